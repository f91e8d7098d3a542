package dev.steward.rag.retrieve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.steward.core.error.PermanentException;
import dev.steward.core.error.TransientException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The real Bedrock Agent Runtime client against a local server speaking the {@code Rerank} wire format:
 * {@code POST /rerank} with {@code queries}, {@code sources} and {@code rerankingConfiguration}, answered with
 * {@code {"results":[{"index","relevanceScore"}]}} best first; errors as Bedrock sends them ({@code x-amzn-ErrorType}
 * with HTTP 429, 500 or 400). The server scores a source by the share of the query's words it contains, so the order
 * it returns is not the order sent.
 */
class BedrockRerankerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>(); // method, path and the signature's scope
    private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    private volatile int failWith; // 0: answer; else an HTTP status to fail the next call with
    private volatile Integer indexOverride; // when set, every result carries this index
    private BedrockReranker reranker;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
        reranker = BedrockReranker.fromEnvironment(env(Map.of()), CREDENTIALS);
    }

    @AfterEach
    void stop() {
        reranker.close();
        server.stop(0);
    }

    private Map<String, String> env(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of(
                BedrockReranker.ENDPOINT_VARIABLE, "http://127.0.0.1:" + server.getAddress().getPort(),
                BedrockReranker.REGION_VARIABLE, "eu-central-1"));
        env.putAll(extra);
        return env;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + " "
                + (authorization == null ? "unsigned" : authorization.replaceAll(".*Credential=test/\\d{8}/([^,]+),.*", "$1")));
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        bodies.add(body);
        int status = failWith;
        failWith = 0;
        byte[] reply;
        if (status != 0) {
            String type = switch (status) {
                case 429 -> "ThrottlingException";
                case 400 -> "ValidationException";
                default -> "InternalServerException";
            };
            exchange.getResponseHeaders().add("x-amzn-ErrorType", type);
            reply = ("{\"message\":\"" + type + " from the test server\"}").getBytes(StandardCharsets.UTF_8);
        } else {
            status = 200;
            reply = JSON.writeValueAsBytes(answer(body));
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, reply.length);
        exchange.getResponseBody().write(reply);
        exchange.close();
    }

    /** Sources scored by the share of query words they contain, best first, {@code numberOfResults} of them. */
    private ObjectNode answer(JsonNode body) {
        Set<String> query = words(body.path("queries").path(0).path("textQuery").path("text").asText());
        JsonNode sources = body.path("sources");
        List<double[]> scored = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            Set<String> source = words(sources.path(i).path("inlineDocumentSource").path("textDocument").path("text").asText());
            double score = query.stream().filter(source::contains).count() / (double) Math.max(1, query.size());
            scored.add(new double[] {i, score});
        }
        scored.sort(Comparator.comparingDouble((double[] s) -> -s[1]).thenComparingDouble(s -> s[0]));
        int n = body.path("rerankingConfiguration").path("bedrockRerankingConfiguration").path("numberOfResults").asInt(scored.size());
        ObjectNode out = JSON.createObjectNode();
        ArrayNode results = out.putArray("results");
        for (double[] s : scored.subList(0, Math.min(n, scored.size()))) {
            results.addObject().put("index", indexOverride != null ? indexOverride : (int) s[0]).put("relevanceScore", s[1]);
        }
        return out;
    }

    private static Set<String> words(String text) {
        return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^a-z]+")).filter(w -> w.length() > 2).collect(Collectors.toSet());
    }

    @Test
    void sendsOneTextQueryAndInlineTextSourcesAndReadsTheResultsBestFirst() {
        List<String> texts = List.of(
                "Shipping is free over fifty euros.",
                "Refunds - Billing\nRefunds reach the customer within fourteen days.",
                "Refunds are not offered for gift cards.");
        List<Reranker.Ranked> ranked = reranker.rerank("refunds reach customer days", texts, 2);

        assertThat(ranked).containsExactly(new Reranker.Ranked(1, 1.0), new Reranker.Ranked(2, 0.25));
        // SigV4 with Bedrock's signing name, in the configured region
        assertThat(requests).containsExactly("POST /rerank eu-central-1/bedrock/aws4_request");
        JsonNode body = bodies.getFirst();
        assertThat(body.path("queries")).hasSize(1);
        assertThat(body.path("queries").path(0).path("type").asText()).isEqualTo("TEXT");
        assertThat(body.path("queries").path(0).path("textQuery").path("text").asText()).isEqualTo("refunds reach customer days");
        assertThat(body.path("sources")).hasSize(3).allSatisfy(source -> {
            assertThat(source.path("type").asText()).isEqualTo("INLINE");
            assertThat(source.path("inlineDocumentSource").path("type").asText()).isEqualTo("TEXT");
        });
        assertThat(IntStream.range(0, 3).mapToObj(i -> body.path("sources").path(i).path("inlineDocumentSource").path("textDocument").path("text").asText()))
                .containsExactlyElementsOf(texts);
        JsonNode config = body.path("rerankingConfiguration");
        assertThat(config.path("type").asText()).isEqualTo("BEDROCK_RERANKING_MODEL");
        assertThat(config.path("bedrockRerankingConfiguration").path("numberOfResults").asInt()).isEqualTo(2);
        assertThat(config.path("bedrockRerankingConfiguration").path("modelConfiguration").path("modelArn").asText())
                .isEqualTo("arn:aws:bedrock:eu-central-1::foundation-model/amazon.rerank-v1:0");
        assertThat(reranker.id()).isEqualTo("bedrock arn:aws:bedrock:eu-central-1::foundation-model/amazon.rerank-v1:0");
        assertThat(reranker.maxTexts()).isEqualTo(1000);
    }

    @Test
    void theModelIsAnIdInTheClientsRegionOrAFullArn() {
        try (BedrockReranker cohere = BedrockReranker.fromEnvironment(env(Map.of(BedrockReranker.MODEL_VARIABLE, " cohere.rerank-v3-5:0 ")), CREDENTIALS)) {
            cohere.rerank("refunds", List.of("refunds", "otters"), 1);
        }
        String arn = "arn:aws:bedrock:us-west-2::foundation-model/amazon.rerank-v1:0";
        try (BedrockReranker byArn = BedrockReranker.fromEnvironment(env(Map.of(BedrockReranker.MODEL_VARIABLE, arn)), CREDENTIALS)) {
            byArn.rerank("refunds", List.of("refunds", "otters"), 1);
        }
        assertThat(bodies).extracting(b -> b.at("/rerankingConfiguration/bedrockRerankingConfiguration/modelConfiguration/modelArn").asText())
                .containsExactly("arn:aws:bedrock:eu-central-1::foundation-model/cohere.rerank-v3-5:0", arn);
    }

    @Test
    void theModelArnIsInTheRegionsPartition() {
        assertThat(BedrockReranker.modelArn(Region.CN_NORTH_1, "amazon.rerank-v1:0"))
                .isEqualTo("arn:aws-cn:bedrock:cn-north-1::foundation-model/amazon.rerank-v1:0");
        assertThat(BedrockReranker.modelArn(Region.US_GOV_WEST_1, "amazon.rerank-v1:0"))
                .startsWith("arn:aws-us-gov:bedrock:us-gov-west-1::");
        assertThat(BedrockReranker.modelArn(Region.US_WEST_2, "amazon.rerank-v1:0"))
                .isEqualTo("arn:aws:bedrock:us-west-2::foundation-model/amazon.rerank-v1:0");
        assertThat(BedrockReranker.modelArn(Region.of("xx-future-1"), "amazon.rerank-v1:0"))
                .isEqualTo("arn:aws:bedrock:xx-future-1::foundation-model/amazon.rerank-v1:0");
    }

    @Test
    void throttlingAndServerErrorsAreTransientAndAValidationErrorPermanent() {
        List<String> texts = List.of("refunds take fourteen days", "otters sleep");
        failWith = 429;
        assertThatThrownBy(() -> reranker.rerank("refunds", texts, 1)).isInstanceOf(TransientException.class)
                .hasMessageContaining("429").hasMessageContaining("ThrottlingException");
        failWith = 500;
        assertThatThrownBy(() -> reranker.rerank("refunds", texts, 1)).isInstanceOf(TransientException.class).hasMessageContaining("500");
        failWith = 400;
        assertThatThrownBy(() -> reranker.rerank("refunds", texts, 1)).isInstanceOf(PermanentException.class)
                .hasMessageContaining("400").hasMessageContaining("ValidationException");
        assertThat(reranker.rerank("refunds", texts, 1)).containsExactly(new Reranker.Ranked(0, 1.0));
        assertThat(requests).hasSize(4); // no retries inside the client
    }

    @Test
    void aResultOutsideTheSourcesIsRefused() {
        indexOverride = 5;
        assertThatThrownBy(() -> reranker.rerank("refunds", List.of("refunds", "otters"), 1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("index 5");
    }

    @Test
    void refusesWhatTheServiceWouldRefuseBeforeCallingIt() {
        assertThatThrownBy(() -> reranker.rerank("refunds", List.of(), 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> reranker.rerank("refunds", List.of("a"), 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> reranker.rerank("refunds", java.util.Collections.nCopies(1001, "a"), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1000");
        assertThat(requests).isEmpty();
        assertThatThrownBy(() -> BedrockReranker.fromEnvironment(env(Map.of(BedrockReranker.ENDPOINT_VARIABLE, "not a url")), CREDENTIALS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(BedrockReranker.ENDPOINT_VARIABLE);
    }
}
