package dev.steward.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.function.api.S3UploadUrls;
import dev.steward.function.api.UploadUrls;
import dev.steward.store.document.DocumentRecord;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The AWS upload URLs ({@link S3UploadUrls}) against a real S3-compatible server: S3Proxy (as local mode runs it)
 * checking SigV4 signatures. A PUT of the declared bytes with the answered headers is stored. S3Proxy enforces what
 * S3 does here: other bytes of the same length are refused by the signed {@code x-amz-checksum-sha256}
 * ({@code BadDigest}); another length, a PUT without the checksum header and a URL changed after signing by the
 * signature, which covers {@code Content-Length} and that header ({@code SignatureDoesNotMatch}). Nothing refused is
 * stored.
 */
class S3UploadUrlsIT {
    private static final String BUCKET = "uploads";

    @TempDir
    static Path dataDir;
    static S3Client s3;
    static UploadUrls urls;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        LocalObjectStore objects = LocalObjectStore.start(Path.of(System.getProperty("steward.s3proxy.jar")), dataDir, true);
        s3 = objects.client();
        s3.createBucket(b -> b.bucket(BUCKET));
        urls = new S3UploadUrls(S3Presigner.builder().endpointOverride(objects.endpoint()).region(Region.US_EAST_1)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LocalObjectStore.ACCESS_KEY, LocalObjectStore.SECRET_KEY))).build());
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    @Test
    void theDeclaredBytesPutWithTheAnsweredHeadersAreStored() throws Exception {
        String key = "tenants/t/documents/doc_1/pump manual.txt";
        byte[] bytes = "The manual, chapter one: installing the pump.".getBytes(StandardCharsets.UTF_8);
        UploadUrls.UploadUrl url = urlFor(key, bytes);

        HttpResponse<String> r = put(url.url(), url.headers(), bytes);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray()).isEqualTo(bytes);
    }

    @Test
    void otherBytesAreRefusedByTheChecksumAndAnotherLengthByTheSignature() throws Exception {
        String key = "tenants/t/documents/doc_2/filter.txt";
        byte[] bytes = "The manual, chapter two: cleaning the filter.".getBytes(StandardCharsets.UTF_8);
        UploadUrls.UploadUrl url = urlFor(key, bytes);

        HttpResponse<String> sameLength = put(url.url(), url.headers(), "The manual, chapter two: cleaning the FILTER.".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> longer = put(url.url(), url.headers(), "The manual, chapter two: cleaning the filter. More.".getBytes(StandardCharsets.UTF_8));

        assertThat(sameLength.statusCode()).as(sameLength.body()).isEqualTo(400);
        assertThat(sameLength.body()).contains("<Code>BadDigest</Code>");
        assertThat(longer.statusCode()).as(longer.body()).isEqualTo(403);
        assertThat(longer.body()).contains("<Code>SignatureDoesNotMatch</Code>");
        assertNotStored(key);
    }

    @Test
    void aPutWithoutTheSignedChecksumOrToAChangedUrlIsRefused() throws Exception {
        String key = "tenants/t/documents/doc_3/warranty.txt";
        byte[] bytes = "The manual, chapter three: warranty.".getBytes(StandardCharsets.UTF_8);
        UploadUrls.UploadUrl url = urlFor(key, bytes);

        HttpResponse<String> noChecksum = put(url.url(), Map.of(), bytes);
        HttpResponse<String> otherKey = put(url.url().replace("warranty.txt", "other.txt"), url.headers(), bytes);
        HttpResponse<String> longerLife = put(url.url().replace("X-Amz-Expires=900", "X-Amz-Expires=86400"), url.headers(), bytes);

        for (HttpResponse<String> refused : java.util.List.of(noChecksum, otherKey, longerLife)) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
            assertThat(refused.body()).contains("<Code>SignatureDoesNotMatch</Code>");
        }
        assertNotStored(key);
        assertNotStored("tenants/t/documents/doc_3/other.txt");
    }

    private static UploadUrls.UploadUrl urlFor(String key, byte[] bytes) {
        return urls.forPut(BUCKET, key, bytes.length, DocumentRecord.contentHashOf(bytes));
    }

    private static void assertNotStored(String key) {
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket(BUCKET).key(key))).isInstanceOf(NoSuchKeyException.class);
    }

    /** A PUT with the given headers; Content-Length is the body's own (the HTTP client sets it, as browsers do). */
    static HttpResponse<String> put(String url, Map<String, String> headers, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((name, value) -> {
            if (!name.equalsIgnoreCase("content-length")) {
                b.header(name, value);
            }
        });
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
