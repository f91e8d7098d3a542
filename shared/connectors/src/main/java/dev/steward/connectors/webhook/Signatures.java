package dev.steward.connectors.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 signatures as both vendors send them (Base64), compared in constant time, and the replay window. */
final class Signatures {
    private Signatures() {}

    /** Base64 of HMAC-SHA256 over the parts, in order, with the UTF-8 bytes of {@code secret} as the key. */
    static String hmacSha256Base64(String secret, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return Base64.getEncoder().encodeToString(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /** Refuses the request unless {@code given} equals {@code expected}; the comparison time does not depend on where they differ. */
    static void requireMatch(String expected, String given, String vendor) {
        if (given == null || given.isBlank()) {
            throw WebhookRejectedException.unauthenticated("the request carries no " + vendor + " signature");
        }
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given.strip().getBytes(StandardCharsets.US_ASCII))) {
            throw WebhookRejectedException.unauthenticated("the " + vendor + " signature does not match this webhook's secret");
        }
    }

    /** Refuses a timestamp more than {@link Webhook#REPLAY_WINDOW} away from {@code now}. */
    static void requireFresh(Instant signedAt, Instant now, String vendor) {
        if (Duration.between(signedAt, now).abs().compareTo(Webhook.REPLAY_WINDOW) > 0) {
            throw WebhookRejectedException.unauthenticated("the " + vendor + " request timestamp " + signedAt + " is more than "
                    + Webhook.REPLAY_WINDOW.toMinutes() + " minutes from now; refused as a possible replay");
        }
    }
}
