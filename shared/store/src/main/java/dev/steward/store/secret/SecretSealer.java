package dev.steward.store.secret;

import dev.steward.core.tenant.TenantId;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Seals a tenant's vendor credential (a connection's API token, a webhook's signing secret) before it is stored, and
 * opens it when it is read, bound to the tenant and a purpose ({@code connection/zendesk}, {@code webhook/hubspot}):
 * both are authenticated, so a sealed value copied into another tenant's item, or under another purpose, fails to
 * open with a {@link SecretSealingException} instead of serving the wrong binding.
 *
 * <p>The stored form describes itself: {@value #PREFIX}{@code v1:<scheme>:<base64>}, the scheme naming who can open
 * it ({@code kms}: {@link KmsSecretSealer}, {@code aes-gcm}: {@link AesGcmSecretSealer}). A stored value without the
 * prefix was written before sealing existed: {@link #open} returns it as it is, so existing deployments keep working,
 * and the next write of that item seals it.
 *
 * <p>Which sealer a function uses comes from its environment ({@link #fromEnvironment}), as the API-key pepper does.
 */
public abstract sealed class SecretSealer permits KmsSecretSealer, AesGcmSecretSealer, SecretSealer.Unconfigured {
    /** How every sealed value starts; a stored value without it is a plaintext one from before sealing. */
    public static final String PREFIX = "steward:sealed:";
    static final String VERSION = "v1";
    /** The stage's KMS key (id, ARN or alias): how the functions on AWS seal. */
    public static final String KMS_KEY_VARIABLE = "STEWARD_SECRETS_KMS_KEY";
    /** An AES-256 key as 64 hex digits, for running a function outside AWS (local mode keeps its own in the data dir). */
    public static final String KEY_VARIABLE = "STEWARD_SECRETS_KEY";

    private static final Pattern PURPOSE = Pattern.compile("[a-z0-9][a-z0-9/_.-]{0,127}");

    SecretSealer() {}

    /** The sealed, self-describing form of {@code plaintext}, bound to {@code tenant} and {@code purpose}. */
    public final String seal(TenantId tenant, String purpose, String plaintext) {
        Objects.requireNonNull(plaintext, "plaintext");
        String scheme = scheme();
        byte[] sealed = encrypt(new Binding(tenant, purpose), plaintext.getBytes(StandardCharsets.UTF_8));
        return PREFIX + VERSION + ":" + scheme + ":" + Base64.getEncoder().encodeToString(sealed);
    }

    /**
     * The plaintext of {@code stored}, if it was sealed for {@code tenant} and {@code purpose} by this sealer's key;
     * {@code stored} itself when it has no {@value #PREFIX} (a value written before sealing).
     *
     * @throws SecretSealingException when it was sealed for another tenant or purpose, under another key or scheme, or altered
     */
    public final String open(TenantId tenant, String purpose, String stored) {
        Objects.requireNonNull(stored, "stored");
        Binding binding = new Binding(tenant, purpose);
        if (!isSealed(stored)) {
            return stored;
        }
        String[] parts = stored.substring(PREFIX.length()).split(":", 3);
        if (parts.length != 3 || !parts[0].equals(VERSION)) {
            throw new SecretSealingException("the stored secret for " + binding + " is sealed in an unknown format ("
                    + PREFIX + (parts.length > 1 ? parts[0] + ":" + parts[1] : parts[0]) + ")");
        }
        if (!parts[1].equals(scheme())) {
            throw new SecretSealingException("the stored secret for " + binding + " was sealed with " + parts[1]
                    + ", but this process opens " + scheme() + " only");
        }
        byte[] sealed;
        try {
            sealed = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new SecretSealingException("the stored secret for " + binding + " is not valid base64: it was altered", e);
        }
        return new String(decrypt(binding, sealed), StandardCharsets.UTF_8);
    }

    /** True when {@code stored} is in the sealed form (of any scheme), false for a plaintext one from before sealing. */
    public static boolean isSealed(String stored) {
        return stored.startsWith(PREFIX);
    }

    /** The scheme name in the stored form; the unconfigured sealer throws here, naming what to set. */
    abstract String scheme();

    /** {@code plaintext} encrypted so that only {@code binding} decrypts it. */
    abstract byte[] encrypt(Binding binding, byte[] plaintext);

    /** What {@link #encrypt} took; a {@link SecretSealingException} when {@code sealed} is not for {@code binding} or altered. */
    abstract byte[] decrypt(Binding binding, byte[] sealed);

    /**
     * This function's sealer: {@value #KMS_KEY_VARIABLE} (on AWS) or {@value #KEY_VARIABLE}, never both. With neither
     * the function still starts, since most functions never touch a credential, but sealing, or opening a sealed
     * value, fails naming both variables; plaintext values from before sealing still read.
     */
    public static SecretSealer fromEnvironment(Map<String, String> env) {
        // A lambda over a String, not a Supplier<KmsClient> nor a method reference: creating either resolves KMS SDK
        // classes, and the functions that never seal (authorizer, ingest) run without that optional dependency.
        return fromEnvironment(env, keyId -> KmsSecretSealer.withDefaultClient(keyId));
    }

    /** As {@link #fromEnvironment(Map)}, making the KMS sealer for a key id with {@code kms}. */
    static SecretSealer fromEnvironment(Map<String, String> env, Function<String, SecretSealer> kms) {
        String kmsKey = valueOf(env, KMS_KEY_VARIABLE);
        String key = valueOf(env, KEY_VARIABLE);
        if (kmsKey != null && key != null) {
            throw new IllegalStateException("both " + KMS_KEY_VARIABLE + " and " + KEY_VARIABLE + " are set: set one");
        }
        if (kmsKey != null) {
            return kms.apply(kmsKey);
        }
        if (key != null) {
            byte[] bytes;
            try {
                bytes = HexFormat.of().parseHex(key);
            } catch (IllegalArgumentException e) {
                bytes = new byte[0];
            }
            if (bytes.length != 32) {
                throw new IllegalStateException(KEY_VARIABLE + " must be 64 hex digits (an AES-256 key)");
            }
            return new AesGcmSecretSealer(bytes);
        }
        return new Unconfigured();
    }

    private static String valueOf(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** Who a sealed value is for: the tenant and the purpose, both authenticated by every scheme. */
    record Binding(TenantId tenant, String purpose) {
        Binding {
            Objects.requireNonNull(tenant, "tenant");
            if (purpose == null || !PURPOSE.matcher(purpose).matches()) {
                throw new IllegalArgumentException("invalid purpose '" + purpose
                        + "': use 1-128 lower-case letters, digits and / _ . -, e.g. connection/zendesk");
            }
        }

        /** KMS's encryption context: logged by CloudTrail with every call, and usable in key-policy conditions. */
        Map<String, String> encryptionContext() {
            return Map.of("tenant", tenant.value(), "purpose", purpose);
        }

        /** The same binding as bytes, for AES-GCM's associated data; neither part can hold a newline. */
        byte[] associatedData(String scheme) {
            return (PREFIX + VERSION + ":" + scheme + "\ntenant=" + tenant.value() + "\npurpose=" + purpose)
                    .getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "tenant '" + tenant.value() + "', purpose '" + purpose + "'";
        }
    }

    /** Neither variable set: every credential operation fails, naming them; plaintext from before sealing still reads. */
    static final class Unconfigured extends SecretSealer {
        @Override
        String scheme() {
            throw noKey();
        }

        @Override
        byte[] encrypt(Binding binding, byte[] plaintext) {
            throw noKey();
        }

        @Override
        byte[] decrypt(Binding binding, byte[] sealed) {
            throw noKey();
        }

        private static IllegalStateException noKey() {
            return new IllegalStateException("no key to seal or open vendor credentials with: set " + KMS_KEY_VARIABLE
                    + " (on AWS: the stage's KMS key) or " + KEY_VARIABLE + " (an AES-256 key as 64 hex digits)");
        }
    }
}
