package dev.steward.store.idempotency;

import dev.steward.core.run.RunId;
import dev.steward.core.tenant.TenantId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The identity of one external action: lower-case hex SHA-256 of (tenant, run, step, tool-call id).
 *
 * <p>The same tool call retried (a Lambda retry, a state-machine Retry, a resumed segment) derives the same key,
 * so the {@link IdempotencyStore} recognises it; a different tenant, run, step or call derives a different one.
 * The key is opaque (it reveals none of its inputs), so it may be passed on to vendors, e.g. as a Message-ID.
 */
public record IdempotencyKey(String value) {
    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");
    /** Versioned so that a change of derivation can never collide with keys already stored. */
    private static final byte[] DOMAIN = "steward.idempotency.v1".getBytes(StandardCharsets.UTF_8);

    public IdempotencyKey {
        if (value == null || !HEX_SHA256.matcher(value).matches()) {
            throw new IllegalArgumentException("idempotency key must be 64 lower-case hex characters, got '" + value + "'");
        }
    }

    /**
     * Derives the key of a tool call. {@code step} is the run's step index and must identify the step across
     * segments (it must not restart at 0 when a run resumes after a review).
     */
    public static IdempotencyKey of(TenantId tenant, RunId run, int step, String callId) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(run, "run");
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        if (callId == null || callId.isEmpty()) {
            throw new IllegalArgumentException("callId must not be empty");
        }
        MessageDigest sha = sha256();
        sha.update(DOMAIN);
        // Each field is length-prefixed, so ("ab","c") and ("a","bc") can never hash alike.
        field(sha, tenant.value());
        field(sha, run.value());
        field(sha, Integer.toString(step));
        field(sha, callId);
        return new IdempotencyKey(HexFormat.of().formatHex(sha.digest()));
    }

    private static void field(MessageDigest sha, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        sha.update(bytes);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
