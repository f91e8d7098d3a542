package dev.steward.function.api;

import dev.steward.guardrails.aws.GuardrailProviders;
import dev.steward.store.Stores;
import dev.steward.store.tenant.ApiKeys;
import dev.steward.store.tenant.TenantLimit;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * An API configuration (and handler) over real stores whose S3 and Step Functions endpoints refuse every connection;
 * its upload URLs are presigned for that S3 endpoint (signing needs no connection).
 */
final class UnreachableServices {
    private static final URI NOWHERE = URI.create("http://127.0.0.1:9");

    private UnreachableServices() {}

    /** Keys of a fixed test pepper, as the authorizer of these tests would check them. */
    /** The deployment's daily token budget these tests run under. */
    static final long DAILY_TOKENS = 750_000;
    /** The deployment's run starts per minute these tests run under. */
    static final long RUNS_PER_MINUTE = 1_000;
    static final ApiKeys KEYS = new ApiKeys("a-test-pepper-of-32-bytes-length".getBytes(StandardCharsets.UTF_8));

    /** The API handler over {@link #config}, whose new tenants get the bundled agent templates. */
    static ApiHandler handler(Stores stores) {
        return handler(stores, S3Client.builder().region(Region.US_EAST_1).endpointOverride(NOWHERE)
                .credentialsProvider(AnonymousCredentialsProvider.create()).build());
    }

    /** As {@link #handler(Stores)}, with {@code s3} as the object store. */
    static ApiHandler handler(Stores stores, S3Client s3) {
        ApiConfig config = config(stores, s3);
        return new ApiHandler(config, new TenantAdmin(stores, KEYS, AgentTemplates::bundled, config.clock()));
    }

    private static ApiConfig config(Stores stores, S3Client s3) {
        return new ApiConfig(stores,
                s3,
                "bucket",
                new S3UploadUrls(S3Presigner.builder().region(Region.US_EAST_1).endpointOverride(NOWHERE)
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test-key", "test-secret"))).build()),
                SfnClient.builder().region(Region.US_EAST_1).endpointOverride(NOWHERE).credentialsProvider(AnonymousCredentialsProvider.create()).build(),
                "arn:aws:states:us-east-1:000000000000:stateMachine:none", 1024,
                Map.of(TenantLimit.DAILY_TOKENS, DAILY_TOKENS, TenantLimit.RUNS_PER_MINUTE, RUNS_PER_MINUTE),
                Clock.fixed(Instant.parse("2026-05-01T12:00:00Z"), ZoneOffset.UTC),
                GuardrailProviders.fromEnvironment(Map.of(), AnonymousCredentialsProvider::create));
    }
}
