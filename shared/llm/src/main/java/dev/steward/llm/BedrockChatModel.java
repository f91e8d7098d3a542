package dev.steward.llm;

import dev.langchain4j.model.bedrock.BedrockChatRequestParameters;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/**
 * Amazon Bedrock through the Converse API ({@code POST /model/{modelId}/converse}) with LangChain4j's Bedrock
 * model on the AWS SDK's {@link BedrockRuntimeClient}: tools go out as {@code toolConfig.tools[].toolSpec}, tool
 * calls come back as {@code toolUse} content blocks with {@code stopReason: tool_use}.
 *
 * <p>The client is built with no SDK retries (the SDK's standard strategy would retry throttling three times
 * inside one Lambda invocation; retries belong to the state machine and the fallback chain), the URL-connection
 * HTTP client used across Steward, and the provider timeout as the API-call timeout. {@code ThrottlingException},
 * {@code ServiceUnavailableException}, 5xx and timeouts surface as {@link dev.steward.core.error.TransientException};
 * {@code ValidationException}, {@code AccessDeniedException} and unknown model ids as
 * {@link dev.steward.core.error.PermanentException}. Thread-safe. {@link #close()} closes the client only if this
 * object built it.
 */
public final class BedrockChatModel implements ChatModel, AutoCloseable {
    private final dev.langchain4j.model.bedrock.BedrockChatModel model;
    private final BedrockRuntimeClient client;
    private final boolean ownsClient;
    private final String id;

    /** Signs with the default AWS credentials chain (in Lambda: the function's role). */
    public static BedrockChatModel create(ProviderConfig config) {
        return create(config, DefaultCredentialsProvider.builder().build());
    }

    /** Signs with {@code credentials}; {@link ProviderConfig#baseUrl()}, when set, overrides the endpoint. */
    public static BedrockChatModel create(ProviderConfig config, AwsCredentialsProvider credentials) {
        if (config.kind() != ProviderKind.BEDROCK) {
            throw new IllegalArgumentException("provider " + config.name() + " is " + config.kind() + ", not BEDROCK");
        }
        return new BedrockChatModel(config.label(), config.model(), client(config, credentials), true);
    }

    /** Uses a client the caller built and owns (custom retry strategy, interceptors, HTTP client). */
    public BedrockChatModel(String id, String modelId, BedrockRuntimeClient client) {
        this(id, modelId, client, false);
    }

    private BedrockChatModel(String id, String modelId, BedrockRuntimeClient client, boolean ownsClient) {
        this.id = Objects.requireNonNull(id, "id");
        this.client = Objects.requireNonNull(client, "client");
        this.ownsClient = ownsClient;
        this.model = dev.langchain4j.model.bedrock.BedrockChatModel.builder()
                .client(client)
                .modelId(Objects.requireNonNull(modelId, "modelId"))
                .maxRetries(0)
                .defaultRequestParameters(BedrockChatRequestParameters.builder().temperature(0.0).build())
                .build();
    }

    static BedrockRuntimeClient client(ProviderConfig config, AwsCredentialsProvider credentials) {
        Duration timeout = config.timeout();
        var builder = BedrockRuntimeClient.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10))
                        .socketTimeout(timeout)
                        .build())
                .overrideConfiguration(o -> o.apiCallTimeout(timeout).retryStrategy(AwsRetryStrategy.doNotRetry()));
        if (config.baseUrl() != null) {
            builder.endpointOverride(URI.create(config.baseUrl()));
        }
        return builder.build();
    }

    @Override
    public ModelReply chat(ModelRequest request) {
        return LangChain4jChat.chat(model, id, request);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }
}
