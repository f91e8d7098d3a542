package dev.steward.rag.embed;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.bedrock.BedrockTitanEmbeddingModel;
import dev.steward.llm.ProviderFailures;
import dev.steward.rag.AwsClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClientBuilder;

/**
 * Amazon Titan Text Embeddings v2 on Bedrock ({@code InvokeModel}), through langchain4j-bedrock's
 * {@link BedrockTitanEmbeddingModel}: the AWS provider of passage and query vectors. Titan v2 is symmetric (no query
 * instruction), returns unit vectors when asked to normalize, and has 256, 512 or 1024 dimensions. The client makes
 * no retries of its own: a throttled, timed-out or 5xx call surfaces as {@link dev.steward.core.error.TransientException}
 * (the ingest message or the state machine step is retried), other failures as
 * {@link dev.steward.core.error.PermanentException}. Thread-safe.
 */
public final class TitanEmbedder implements Embedder, AutoCloseable {
    public static final String MODEL = "amazon.titan-embed-text-v2:0";
    public static final Set<Integer> DIMENSIONS = Set.of(256, 512, 1024);
    /** Environment: {@code 256}, {@code 512} or {@code 1024} (default 1024). */
    public static final String DIMENSIONS_VARIABLE = "STEWARD_TITAN_DIMENSIONS";
    /** Environment: the Bedrock region (default: the SDK's region chain). */
    public static final String REGION_VARIABLE = "STEWARD_EMBEDDER_REGION";
    /** Environment: an endpoint override (a VPC endpoint, or a local server in tests). */
    public static final String ENDPOINT_VARIABLE = "STEWARD_EMBEDDER_ENDPOINT";

    private final BedrockRuntimeClient client;
    private final BedrockTitanEmbeddingModel model;
    private final int dimension;

    public TitanEmbedder(BedrockRuntimeClient client, int dimension) {
        if (!DIMENSIONS.contains(dimension)) {
            throw new IllegalArgumentException("Titan Text Embeddings v2 has 256, 512 or 1024 dimensions, not " + dimension);
        }
        this.client = Objects.requireNonNull(client, "client");
        this.dimension = dimension;
        this.model = BedrockTitanEmbeddingModel.builder()
                .client(client)
                .model(MODEL)
                .dimensions(dimension)
                .normalize(true)
                .maxRetries(0)
                .build();
    }

    /** From {@value #DIMENSIONS_VARIABLE}, {@value #REGION_VARIABLE} and {@value #ENDPOINT_VARIABLE}, with {@code credentials}. */
    public static TitanEmbedder fromEnvironment(Map<String, String> env, AwsCredentialsProvider credentials) {
        String dims = env.getOrDefault(DIMENSIONS_VARIABLE, "1024").strip();
        int dimension;
        try {
            dimension = Integer.parseInt(dims);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(DIMENSIONS_VARIABLE + " must be 256, 512 or 1024, not '" + dims + "'", e);
        }
        BedrockRuntimeClientBuilder builder = AwsClients.configure(BedrockRuntimeClient.builder(), env,
                REGION_VARIABLE, ENDPOINT_VARIABLE, credentials, Duration.ofSeconds(30));
        try {
            return new TitanEmbedder(builder.build(), dimension);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(DIMENSIONS_VARIABLE + ": " + e.getMessage(), e);
        }
    }

    /** From the process environment, with the SDK's default credentials chain. */
    public static TitanEmbedder fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, DefaultCredentialsProvider.builder().build());
    }

    @Override
    public float[] embed(String text) {
        return embedAll(List.of(text)).getFirst();
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
        List<Embedding> vectors;
        try {
            vectors = model.embedAll(segments).content();
        } catch (RuntimeException e) {
            throw ProviderFailures.classify("bedrock " + MODEL, e);
        }
        if (vectors.size() != texts.size()) {
            throw new IllegalStateException("Bedrock returned " + vectors.size() + " embeddings for " + texts.size() + " texts");
        }
        return vectors.stream().map(v -> checked(v.vector())).toList();
    }

    private float[] checked(float[] vector) {
        if (vector.length != dimension) {
            throw new IllegalStateException("Bedrock returned a " + vector.length + "-dimensional vector; asked for " + dimension);
        }
        return vector;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public String id() {
        return "bedrock/" + MODEL + "/" + dimension + "/normalized";
    }

    @Override
    public void close() {
        client.close();
    }
}
