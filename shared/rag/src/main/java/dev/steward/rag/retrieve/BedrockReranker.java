package dev.steward.rag.retrieve;

import dev.steward.llm.ProviderFailures;
import dev.steward.rag.AwsClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockagentruntime.BedrockAgentRuntimeClient;
import software.amazon.awssdk.services.bedrockagentruntime.model.BedrockRerankingConfiguration;
import software.amazon.awssdk.services.bedrockagentruntime.model.BedrockRerankingModelConfiguration;
import software.amazon.awssdk.services.bedrockagentruntime.model.RerankDocument;
import software.amazon.awssdk.services.bedrockagentruntime.model.RerankDocumentType;
import software.amazon.awssdk.services.bedrockagentruntime.model.RerankQuery;
import software.amazon.awssdk.services.bedrockagentruntime.model.RerankQueryContentType;
import software.amazon.awssdk.services.bedrockagentruntime.model.RerankRequest;
import software.amazon.awssdk.services.bedrockagentruntime.model.RerankResult;
import software.amazon.awssdk.services.bedrockagentruntime.model.RerankSource;
import software.amazon.awssdk.services.bedrockagentruntime.model.RerankSourceType;
import software.amazon.awssdk.services.bedrockagentruntime.model.RerankTextDocument;
import software.amazon.awssdk.services.bedrockagentruntime.model.RerankingConfiguration;
import software.amazon.awssdk.services.bedrockagentruntime.model.RerankingConfigurationType;

/**
 * Reranking on Amazon Bedrock: the Agent Runtime's {@code Rerank} API ({@code POST /rerank}), one text query and the
 * candidates as inline text sources, scored by a Bedrock reranking model ({@value #DEFAULT_MODEL}, or Cohere Rerank
 * 3.5 as {@code cohere.rerank-v3-5:0}; both are offered in us-west-2, ca-central-1, eu-central-1 and ap-northeast-1,
 * only Cohere's in us-east-1). The service takes 1 to {@value #MAX_SOURCES} sources and returns up to
 * {@code numberOfResults} of them, best first, as indexes into the sources with a relevance score.
 *
 * <p>The client makes no retries of its own: a throttled, timed-out or 5xx call surfaces as
 * {@link dev.steward.core.error.TransientException}, a refused one (validation, access denied, unknown model) as
 * {@link dev.steward.core.error.PermanentException}, both from {@link ProviderFailures#classify}. Thread-safe.
 */
public final class BedrockReranker implements Reranker, AutoCloseable {
    public static final String DEFAULT_MODEL = "amazon.rerank-v1:0";
    /** The most sources one {@code Rerank} request takes (the service model's {@code RerankSourcesList}). */
    public static final int MAX_SOURCES = 1000;
    /** Environment: a reranking model id (default {@value #DEFAULT_MODEL}) or a full model ARN. */
    public static final String MODEL_VARIABLE = "STEWARD_RERANK_MODEL";
    /** Environment: the Bedrock region (default: the SDK's region chain); the model ARN names it too. */
    public static final String REGION_VARIABLE = "STEWARD_RERANKER_REGION";
    /** Environment: an endpoint override (a VPC endpoint, or a local server in tests). */
    public static final String ENDPOINT_VARIABLE = "STEWARD_RERANKER_ENDPOINT";

    private final BedrockAgentRuntimeClient client;
    private final String modelArn;

    /** @param modelArn the reranking model, {@code arn:<partition>:bedrock:<region>::foundation-model/<id>} ({@link #modelArn}) */
    public BedrockReranker(BedrockAgentRuntimeClient client, String modelArn) {
        this.client = Objects.requireNonNull(client, "client");
        this.modelArn = Objects.requireNonNull(modelArn, "modelArn");
    }

    /**
     * The ARN of foundation model {@code modelId} in {@code region}, in the region's partition ({@code aws},
     * {@code aws-cn}, {@code aws-us-gov}, as the stack's grant names it): foundation models have no account in their ARN.
     */
    public static String modelArn(Region region, String modelId) {
        // a region newer than this SDK has no metadata: such regions have all been in the aws partition so far
        String partition = region.metadata() == null ? "aws" : region.metadata().partition().id();
        return "arn:" + partition + ":bedrock:" + region.id() + "::foundation-model/" + modelId;
    }

    /**
     * From {@value #MODEL_VARIABLE}, {@value #REGION_VARIABLE} and {@value #ENDPOINT_VARIABLE}, with {@code credentials}.
     *
     * @throws IllegalArgumentException when no region is set or found, or the endpoint is not a URL
     */
    public static BedrockReranker fromEnvironment(Map<String, String> env, AwsCredentialsProvider credentials) {
        String model = env.getOrDefault(MODEL_VARIABLE, "").strip();
        model = model.isEmpty() ? DEFAULT_MODEL : model;
        BedrockAgentRuntimeClient client;
        try {
            client = AwsClients.configure(BedrockAgentRuntimeClient.builder(), env, REGION_VARIABLE, ENDPOINT_VARIABLE,
                    credentials, Duration.ofSeconds(10)).build();
        } catch (SdkClientException e) {
            throw new IllegalArgumentException("no region for Bedrock rerank: set " + REGION_VARIABLE + " or AWS_REGION", e);
        }
        Region region = client.serviceClientConfiguration().region();
        return new BedrockReranker(client, model.startsWith("arn:") ? model : modelArn(region, model));
    }

    /** From the process environment, with the SDK's default credentials chain. */
    public static BedrockReranker fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, DefaultCredentialsProvider.builder().build());
    }

    @Override
    public List<Ranked> rerank(String query, List<String> texts, int topN) {
        Objects.requireNonNull(query, "query");
        if (texts.isEmpty() || texts.size() > MAX_SOURCES) {
            throw new IllegalArgumentException("Bedrock reranks 1 to " + MAX_SOURCES + " texts, not " + texts.size());
        }
        if (topN < 1 || topN > texts.size()) {
            throw new IllegalArgumentException("topN must be 1 to " + texts.size() + ", got " + topN);
        }
        RerankRequest request = RerankRequest.builder()
                .queries(RerankQuery.builder().type(RerankQueryContentType.TEXT).textQuery(text(query)).build())
                .sources(texts.stream().map(t -> RerankSource.builder().type(RerankSourceType.INLINE)
                        .inlineDocumentSource(RerankDocument.builder().type(RerankDocumentType.TEXT).textDocument(text(t)).build())
                        .build()).toList())
                .rerankingConfiguration(RerankingConfiguration.builder()
                        .type(RerankingConfigurationType.BEDROCK_RERANKING_MODEL)
                        .bedrockRerankingConfiguration(BedrockRerankingConfiguration.builder()
                                .numberOfResults(topN)
                                .modelConfiguration(BedrockRerankingModelConfiguration.builder().modelArn(modelArn).build())
                                .build())
                        .build())
                .build();
        List<RerankResult> results;
        try {
            // The paginator follows nextToken, should the service ever split the results.
            results = client.rerankPaginator(request).results().stream().limit(topN).toList();
        } catch (RuntimeException e) {
            throw ProviderFailures.classify(id(), e);
        }
        List<Ranked> out = new ArrayList<>(results.size());
        BitSet seen = new BitSet(texts.size());
        for (RerankResult result : results) {
            int index = result.index();
            if (index < 0 || index >= texts.size() || seen.get(index)) {
                throw new IllegalStateException("Bedrock rerank returned index " + index + " (again or out of range) for "
                        + texts.size() + " texts");
            }
            seen.set(index);
            out.add(new Ranked(index, result.relevanceScore()));
        }
        return out;
    }

    private static RerankTextDocument text(String text) {
        return RerankTextDocument.builder().text(text).build();
    }

    @Override
    public int maxTexts() {
        return MAX_SOURCES;
    }

    @Override
    public String id() {
        return "bedrock " + modelArn;
    }

    @Override
    public void close() {
        client.close();
    }
}
