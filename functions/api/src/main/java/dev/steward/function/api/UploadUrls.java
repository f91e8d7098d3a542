package dev.steward.function.api;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Where a client PUTs a document's bytes itself, so a file larger than the API's request limit (about 6 MB through
 * API Gateway and Lambda) can still be uploaded. The URL admits one object only: exactly {@code size} bytes whose
 * SHA-256 is the one the client declared, stored under the document's key; the object's creation event then queues
 * it for the ingest worker as a direct upload's does. On AWS a presigned S3 PutObject ({@link S3UploadUrls}); local
 * mode serves such URLs from its own gateway, since its object store sends no events.
 */
public interface UploadUrls {

    /** A URL for one PUT to {@code key} in {@code bucket} of {@code size} bytes with SHA-256 {@code sha256Hex}. */
    UploadUrl forPut(String bucket, String key, long size, String sha256Hex);

    /**
     * How to upload: PUT {@code url} with these {@code headers} (signed with it: other values are refused) before
     * {@code expiresAt}.
     */
    record UploadUrl(String url, Map<String, String> headers, Instant expiresAt) {
        public UploadUrl {
            Objects.requireNonNull(url, "url");
            headers = Map.copyOf(headers);
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }
}
