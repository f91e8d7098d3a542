package dev.steward.rag.embed;

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
import dev.steward.core.knowledge.DocumentId;
import dev.steward.core.knowledge.RetrievedChunk;
import dev.steward.core.tenant.TenantId;
import dev.steward.rag.index.EmbedderMismatchException;
import dev.steward.rag.HybridKnowledgeBase;
import dev.steward.rag.KnowledgeBases;
import dev.steward.rag.SourceDocument;
import dev.steward.rag.index.VectorSpace;
import dev.steward.rag.lucene.LuceneChunkIndex;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The real Bedrock runtime client and langchain4j-bedrock's Titan model against a local server speaking
 * {@code InvokeModel}'s wire format: {@code POST /model/amazon.titan-embed-text-v2:0/invoke} with
 * {@code {"inputText","dimensions","normalize"}}, answered with {@code {"embedding":[...],"inputTextTokenCount"}};
 * errors as Bedrock sends them ({@code x-amzn-ErrorType}, HTTP 429 / 400).
 */
class TitanEmbedderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer server;
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    private volatile int failWith; // 0: answer; else an HTTP status to fail the next call with
    private TitanEmbedder titan;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
        titan = TitanEmbedder.fromEnvironment(Map.of(
                TitanEmbedder.ENDPOINT_VARIABLE, "http://127.0.0.1:" + server.getAddress().getPort(),
                TitanEmbedder.REGION_VARIABLE, "eu-west-1",
                TitanEmbedder.DIMENSIONS_VARIABLE, "256"),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
    }

    @AfterEach
    void stop() {
        titan.close();
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        paths.add(exchange.getRequestURI().getRawPath());
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        bodies.add(body);
        int status = failWith;
        failWith = 0;
        byte[] reply;
        if (status == 429) {
            exchange.getResponseHeaders().add("x-amzn-ErrorType", "ThrottlingException");
            reply = "{\"message\":\"Too many requests, please wait before trying again.\"}".getBytes(StandardCharsets.UTF_8);
        } else if (status == 400) {
            exchange.getResponseHeaders().add("x-amzn-ErrorType", "ValidationException");
            reply = "{\"message\":\"Malformed input request: expected maxLength: 50000\"}".getBytes(StandardCharsets.UTF_8);
        } else {
            status = 200;
            ObjectNode out = JSON.createObjectNode();
            ArrayNode vector = out.putArray("embedding");
            for (float v : wordVector(body.path("inputText").asText(), body.path("dimensions").asInt())) {
                vector.add(v);
            }
            out.put("inputTextTokenCount", body.path("inputText").asText().split("\\s+").length);
            reply = JSON.writeValueAsBytes(out);
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, reply.length);
        exchange.getResponseBody().write(reply);
        exchange.close();
    }

    /** A unit bag-of-words vector: texts sharing words are close, as a real model's would be for this test. */
    private static float[] wordVector(String text, int dimension) {
        float[] v = new float[dimension];
        for (String w : text.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
            if (w.length() > 2) {
                v[Math.floorMod(w.hashCode(), dimension)] += 1;
            }
        }
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = norm == 0 ? (i == 0 ? 1 : 0) : (float) (v[i] / Math.sqrt(norm));
        }
        return v;
    }

    @Test
    void embedsEachTextWithTheRequestedDimensionsAndNormalization() {
        List<float[]> vectors = titan.embedAll(List.of("Refunds take fourteen days.", "Shipping is free over fifty euros."));
        assertThat(vectors).hasSize(2).allSatisfy(v -> assertThat(v).hasSize(256));
        assertThat(paths).containsExactly("/model/amazon.titan-embed-text-v2%3A0/invoke", "/model/amazon.titan-embed-text-v2%3A0/invoke");
        assertThat(bodies).extracting(b -> b.path("inputText").asText())
                .containsExactly("Refunds take fourteen days.", "Shipping is free over fifty euros.");
        assertThat(bodies).allSatisfy(b -> {
            assertThat(b.path("dimensions").asInt()).isEqualTo(256);
            assertThat(b.path("normalize").asBoolean()).isTrue();
        });
        assertThat(titan.embedQuery("refund days")).hasSize(256);
        assertThat(bodies.getLast().path("inputText").asText()).isEqualTo("refund days"); // symmetric: no instruction
        assertThat(titan.id()).isEqualTo("bedrock/amazon.titan-embed-text-v2:0/256/normalized");
    }

    @Test
    void aKnowledgeBaseIngestsAndRetrievesWithTitanVectors() {
        TenantId acme = TenantId.of("acme");
        try (HybridKnowledgeBase kb = KnowledgeBases.lucene(dir.resolve("titan"), titan)) {
            DocumentId refunds = DocumentId.random();
            kb.ingest(acme, new SourceDocument(refunds, "refunds.txt", "Refunds reach the customer within fourteen days.".getBytes(StandardCharsets.UTF_8)));
            kb.ingest(acme, new SourceDocument(DocumentId.random(), "otters.txt", "Otters hold hands while they sleep.".getBytes(StandardCharsets.UTF_8)));
            List<RetrievedChunk> found = kb.retrieve(acme, "when do refunds reach the customer", 1);
            assertThat(found).singleElement().extracting(RetrievedChunk::documentId).isEqualTo(refunds.value());
        }
        // The index remembers Titan: another embedder's vectors are refused, not mixed.
        try (LuceneChunkIndex index = new LuceneChunkIndex(dir.resolve("titan"), new VectorSpace("hashing-256", 256))) {
            assertThatThrownBy(() -> index.searcher(TenantId.of("acme"))).isInstanceOf(EmbedderMismatchException.class);
        }
    }

    @Test
    void throttlingIsTransientAndAValidationErrorPermanent() {
        failWith = 429;
        assertThatThrownBy(() -> titan.embed("anything")).isInstanceOf(TransientException.class).hasMessageContaining("429");
        failWith = 400;
        assertThatThrownBy(() -> titan.embed("anything")).isInstanceOf(PermanentException.class).hasMessageContaining("400");
        assertThat(titan.embed("works again")).hasSize(256);
    }

    @Test
    void refusesDimensionsTitanDoesNotHave() {
        assertThatThrownBy(() -> TitanEmbedder.fromEnvironment(Map.of(TitanEmbedder.DIMENSIONS_VARIABLE, "384", TitanEmbedder.REGION_VARIABLE, "eu-west-1"),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("STEWARD_TITAN_DIMENSIONS").hasMessageContaining("384");
        assertThatThrownBy(() -> KnowledgeBases.fromEnvironment(Map.of(KnowledgeBases.EMBEDDER, "word2vec"), dir))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("STEWARD_EMBEDDER").hasMessageContaining("word2vec");
    }
}
