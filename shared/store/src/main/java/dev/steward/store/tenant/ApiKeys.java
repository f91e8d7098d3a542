package dev.steward.store.tenant;

import dev.steward.core.tenant.TenantId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * API key format and hashing. A key reads {@code stw_<tenant>_<keyId>_<secret>}: the tenant and key id let the
 * authorizer find the stored hash with one key lookup; the hash is HMAC-SHA-256 over the whole key under a
 * server-side pepper, so a leaked table does not leak usable keys.
 */
public final class ApiKeys {
    private static final Pattern FORMAT = Pattern.compile("stw_([a-z][a-z0-9-]{1,39})_([A-Za-z0-9]{12})_([A-Za-z0-9]{32})");
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] pepper;

    public ApiKeys(byte[] pepper) {
        if (pepper == null || pepper.length < 16) {
            throw new IllegalArgumentException("the API key pepper must be at least 16 bytes");
        }
        this.pepper = pepper.clone();
    }

    /** A freshly generated key; shown to its owner once and never stored. */
    public record NewKey(TenantId tenant, String keyId, String key) {}

    /** The parts of a well-formed key. */
    public record ParsedKey(TenantId tenant, String keyId, String key) {}

    public NewKey generate(TenantId tenant) {
        String keyId = random(12);
        return new NewKey(tenant, keyId, "stw_" + tenant.value() + "_" + keyId + "_" + random(32));
    }

    public static Optional<ParsedKey> parse(String key) {
        if (key == null) {
            return Optional.empty();
        }
        Matcher m = FORMAT.matcher(key);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new ParsedKey(TenantId.of(m.group(1)), m.group(2), key));
    }

    public String hash(String key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(pepper, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(key.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Constant-time comparison of a presented key with a stored hash. */
    public boolean matches(String key, String storedHash) {
        return MessageDigest.isEqual(
                hash(key).getBytes(StandardCharsets.US_ASCII), storedHash.getBytes(StandardCharsets.US_ASCII));
    }

    private static String random(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }
}
