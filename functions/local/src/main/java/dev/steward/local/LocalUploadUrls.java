package dev.steward.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.error.ApiException;
import dev.steward.core.json.Json;
import dev.steward.function.api.S3UploadUrls;
import dev.steward.function.api.UploadUrls;
import dev.steward.store.document.DocumentRecord;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Upload URLs in local mode, where S3 presigning cannot serve: S3Proxy would store the object but send no event. The
 * URL is the local gateway's own {@code PUT /_local/uploads/<token>}; the token carries bucket, key, size, SHA-256
 * and expiry, signed with HMAC-SHA256 under a key kept in the data dir's secrets. The gateway {@link #grant checks}
 * it and {@link #store stores} the body through the platform's S3 client, whose {@link S3EventEmitter} then queues
 * the ingestion as S3's event does on AWS. Refusals are what S3 would refuse: 403 a token not signed here, 410 an
 * expired one, 400 a body of another length or digest.
 */
final class LocalUploadUrls implements UploadUrls {
    static final String PATH = "/_local/uploads/";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;
    private final S3Client s3;
    private final Supplier<URI> gateway;
    private final Clock clock;
    private final Duration lifetime;

    /** {@code gateway}: the local gateway's address, known once it listens (after the API handler is built). */
    LocalUploadUrls(byte[] key, S3Client s3, Supplier<URI> gateway, Clock clock, Duration lifetime) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
        this.s3 = s3;
        this.gateway = gateway;
        this.clock = clock;
        this.lifetime = lifetime;
    }

    /** URLs valid as long as S3's presigned ones. */
    LocalUploadUrls(byte[] key, S3Client s3, Supplier<URI> gateway, Clock clock) {
        this(key, s3, gateway, clock, S3UploadUrls.LIFETIME);
    }

    /** What a valid token admits: one PUT of {@code size} bytes with this SHA-256 (hex) to {@code key}. */
    record Grant(String bucket, String key, long size, String sha256) {}

    @Override
    public UploadUrl forPut(String bucket, String objectKey, long size, String sha256Hex) {
        Instant expires = clock.instant().plus(lifetime);
        String payload = B64.encodeToString(Json.write(Json.object().put("bucket", bucket).put("key", objectKey).put("size", size)
                .put("sha256", sha256Hex).put("expires", expires.getEpochSecond())).getBytes(StandardCharsets.UTF_8));
        String token = payload + "." + B64.encodeToString(mac(payload));
        return new UploadUrl(gateway.get() + PATH + token, Map.of("content-length", Long.toString(size)),
                Instant.ofEpochSecond(expires.getEpochSecond()));
    }

    /** The upload a token admits: 403 {@code invalid_upload_token} unless signed here, 410 {@code upload_expired}. */
    Grant grant(String token) {
        int dot = token.indexOf('.');
        byte[] signature;
        try {
            signature = dot < 0 ? null : Base64.getUrlDecoder().decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            signature = null;
        }
        if (signature == null || !MessageDigest.isEqual(mac(token.substring(0, dot)), signature)) {
            throw new ApiException(403, "invalid_upload_token", "this upload URL was not issued by this Steward; ask for a new one");
        }
        JsonNode p = Json.tree(new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8));
        Instant expires = Instant.ofEpochSecond(p.path("expires").asLong());
        if (!clock.instant().isBefore(expires)) {
            throw new ApiException(410, "upload_expired", "this upload URL expired at " + expires
                    + "; ask for a new one with POST /v1/documents/uploads");
        }
        return new Grant(p.path("bucket").asText(), p.path("key").asText(), p.path("size").asLong(), p.path("sha256").asText());
    }

    /**
     * Stores {@code body} as the granted object (the emitter sends its event): 400 {@code length_mismatch} or
     * {@code digest_mismatch} when it is not the file the URL was issued for.
     */
    void store(Grant grant, byte[] body) {
        if (body.length != grant.size()) {
            throw ApiException.badRequest("length_mismatch", "the body is " + (body.length > grant.size() ? "longer than " : body.length + " bytes; ")
                    + "the upload URL is for " + grant.size() + " bytes");
        }
        if (!DocumentRecord.contentHashOf(body).equals(grant.sha256())) {
            throw ApiException.badRequest("digest_mismatch", "the body's SHA-256 is not the one the upload URL was issued for");
        }
        s3.putObject(b -> b.bucket(grant.bucket()).key(grant.key()), RequestBody.fromBytes(body));
    }

    private byte[] mac(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }
}
