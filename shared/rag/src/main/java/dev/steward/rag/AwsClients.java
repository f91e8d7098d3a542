package dev.steward.rag;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * How the knowledge base's AWS model clients (Titan embeddings, Bedrock rerank) are built: the JDK-based HTTP client
 * the other modules use, one timeout for connecting, reading and the whole call, and no retries of the SDK's own (a
 * failure surfaces at once and is retried by the ingest queue or the state machine), plus a region and an endpoint
 * override from two environment variables each provider names.
 */
public final class AwsClients {
    private AwsClients() {}

    /**
     * Configures {@code builder} as described above.
     *
     * @param regionVariable names the region; unset or blank leaves the SDK's region chain to decide
     * @param endpointVariable names an endpoint override (a VPC endpoint, or a local server in tests); unset or blank
     *     keeps AWS's endpoint
     * @throws IllegalArgumentException when the endpoint is not a URL, naming the variable
     */
    public static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder,
            Map<String, String> env, String regionVariable, String endpointVariable, AwsCredentialsProvider credentials,
            Duration timeout) {
        builder.credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout))
                .overrideConfiguration(o -> o.apiCallTimeout(timeout).retryStrategy(AwsRetryStrategy.doNotRetry()));
        String region = env.getOrDefault(regionVariable, "").strip();
        if (!region.isEmpty()) {
            builder.region(Region.of(region));
        }
        String endpoint = env.getOrDefault(endpointVariable, "").strip();
        if (!endpoint.isEmpty()) {
            try {
                builder.endpointOverride(URI.create(endpoint));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(endpointVariable + " is not a URL: '" + endpoint + "'", e);
            }
        }
        return builder;
    }
}
