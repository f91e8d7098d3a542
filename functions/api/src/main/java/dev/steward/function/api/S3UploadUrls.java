package dev.steward.function.api;

import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/**
 * Upload URLs on AWS: a presigned S3 PutObject for the document's key, valid for {@link #LIFETIME}, whose signature
 * covers {@code Content-Length} and {@code x-amz-checksum-sha256} (the declared digest, base64), so S3 itself refuses
 * a body of another length or other bytes. The API function's role needs {@code s3:PutObject} on the bucket.
 */
public final class S3UploadUrls implements UploadUrls {
    /** How long a presigned URL stays valid. */
    public static final Duration LIFETIME = Duration.ofMinutes(15);

    private final S3Presigner presigner;

    public S3UploadUrls(S3Presigner presigner) {
        this.presigner = presigner;
    }

    @Override
    public UploadUrl forPut(String bucket, String key, long size, String sha256Hex) {
        String checksum = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256Hex));
        PresignedPutObjectRequest signed = presigner.presignPutObject(p -> p.signatureDuration(LIFETIME)
                .putObjectRequest(o -> o.bucket(bucket).key(key).contentLength(size).checksumSHA256(checksum)));
        // Host is the URL's own, which every HTTP client sends (and browsers will not let a page set).
        Map<String, String> headers = new TreeMap<>();
        signed.signedHeaders().forEach((name, values) -> {
            if (!name.toLowerCase(Locale.ROOT).equals("host")) {
                headers.put(name, String.join(",", values));
            }
        });
        return new UploadUrl(signed.url().toString(), headers, signed.expiration());
    }
}
