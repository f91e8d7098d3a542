package dev.steward.rag.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.json.Json;
import dev.steward.core.knowledge.DocumentId;
import dev.steward.core.knowledge.RetrievalFilter;
import dev.steward.core.knowledge.RetrievedChunk;
import dev.steward.rag.HybridKnowledgeBase;
import dev.steward.rag.chunk.Chunker;
import dev.steward.rag.chunk.TokenCounter;
import dev.steward.rag.index.FilterTerms;
import dev.steward.rag.index.HashingEmbedder;
import dev.steward.core.tenant.TenantId;
import dev.steward.rag.KnowledgeBase;
import dev.steward.rag.KnowledgeBases;
import dev.steward.rag.embed.BgeSmallEmbedder;
import dev.steward.rag.retrieve.RetrievalStrategy;
import dev.steward.rag.index.ChunkIndex;
import dev.steward.rag.index.ChunkIndexContract;
import dev.steward.rag.index.LexicalQuery;
import dev.steward.rag.index.VectorSpace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend contract on a real OpenSearch node (k-NN plugin, Lucene engine), plus what is OpenSearch's own: the
 * index definition and choosing the backend from the environment. Each test gets its own index on the shared node.
 */
@ExtendWith(OpenSearchNodeExtension.class)
class OpenSearchChunkIndexIT extends ChunkIndexContract {
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path luceneRoot;

    @Override
    protected ChunkIndex<?> open(String name, VectorSpace space) {
        return OpenSearchChunkIndex.connect(OpenSearchNodeExtension.url(), name, space);
    }

    @Override
    protected int countChunks(ChunkIndex<?> index, TenantId tenant, DocumentId document) {
        return count("{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"tenant\":\"" + tenant.value()
                + "\"}},{\"term\":{\"document_id\":\"" + document.value() + "\"}}]}}}");
    }

    @Override
    protected int countAll(ChunkIndex<?> index, TenantId tenant) {
        return count("{\"query\":{\"term\":{\"tenant\":\"" + tenant.value() + "\"}}}");
    }

    private int count(String query) {
        JsonNode response = request("POST", "/" + storage + "/_count", query);
        return response.path("count").asInt(0);
    }

    private JsonNode request(String method, String path, String body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(OpenSearchNodeExtension.url().resolve(path))
                    .header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return Json.tree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void dropIndex() {
        request("DELETE", "/" + storage, null);
        http.close();
    }

    @Test
    void theIndexHasATenantKeywordALuceneHnswVectorEnglishTextAndRecordsTheEmbedder() {
        try (ChunkIndex<?> index = open(storage, new VectorSpace("test-model/v1", 8))) {
            JsonNode mapping = request("GET", "/" + storage + "/_mapping", null).path(storage).path("mappings");
            assertThat(mapping.path("_meta").path("embedder").asText()).isEqualTo("test-model/v1");
            assertThat(mapping.path("_meta").path("dimension").asInt()).isEqualTo(8);
            JsonNode props = mapping.path("properties");
            assertThat(props.path("tenant").path("type").asText()).isEqualTo("keyword");
            assertThat(props.path("document_id").path("type").asText()).isEqualTo("keyword");
            JsonNode vector = props.path("vector");
            assertThat(vector.path("type").asText()).isEqualTo("knn_vector");
            assertThat(vector.path("dimension").asInt()).isEqualTo(8);
            assertThat(vector.path("method").path("engine").asText()).isEqualTo("lucene");
            assertThat(vector.path("method").path("name").asText()).isEqualTo("hnsw");
            assertThat(vector.path("method").path("space_type").asText()).isEqualTo("innerproduct");
            assertThat(props.path("text").path("analyzer").asText()).isEqualTo("steward_english");
            assertThat(props.path(FilterTerms.VALUES).path("type").asText()).isEqualTo("keyword");
            assertThat(props.path(FilterTerms.TIMES).path("type").asText()).isEqualTo("keyword");
            JsonNode settings = request("GET", "/" + storage + "/_settings", null).path(storage).path("settings").path("index");
            assertThat(settings.path("number_of_shards").asText()).isEqualTo("1");
            // one replica where a second node can hold it, none on a single node (which stays green)
            assertThat(settings.path("auto_expand_replicas").asText()).isEqualTo("0-1");
            // The same analysis as the Lucene backend: possessive and stopwords gone, Porter stems.
            String text = "How do the employees' holidays work after travelling? O'Neil's 3.5 kWh";
            JsonNode tokens = request("POST", "/" + storage + "/_analyze",
                    Json.write(Map.of("analyzer", "steward_english", "text", text)));
            assertThat(tokens.path("tokens").findValuesAsText("token"))
                    .isEqualTo(LexicalQuery.parse(text, RetrievalStrategy.TermMatch.ANY).terms())
                    .contains("employe", "holidai", "travel")
                    .doesNotContain("how", "the", "after");
        }
    }

    /**
     * An index made before filters existed: opening it adds the filter fields to its mapping; its old chunks are still
     * found without a filter and pass a filter once their document is ingested again.
     */
    @Test
    void anIndexFromBeforeFiltersGetsTheFilterFieldsAndItsChunksBecomeFilterableWhenIngestedAgain() {
        HashingEmbedder embedder = new HashingEmbedder("one");
        request("PUT", "/" + storage, """
                {"settings": {"index": {"knn": true, "number_of_shards": 1}},
                 "mappings": {"_meta": {"embedder": "%s", "dimension": 64}, "properties": {
                   "tenant": {"type": "keyword"}, "document_id": {"type": "keyword"},
                   "chunk_id": {"type": "keyword", "index": false}, "ordinal": {"type": "integer"},
                   "generation": {"type": "long"}, "title": {"type": "text"}, "section": {"type": "text"},
                   "text": {"type": "text"}, "metadata": {"type": "object", "enabled": false},
                   "vector": {"type": "knn_vector", "dimension": 64,
                     "method": {"name": "hnsw", "engine": "lucene", "space_type": "innerproduct"}}}}}""".formatted(embedder.id()));
        String text = "Walruses sleep on the ice floe.";
        request("PUT", "/" + storage + "/_doc/acme-old-0?refresh=true", Json.write(Map.of("tenant", "acme",
                "document_id", "doc_oldchunk01", "chunk_id", "doc_oldchunk01#0", "ordinal", 0, "generation", 1,
                "title", "old", "section", "", "text", text, "metadata", Map.of("source", "old.txt"),
                "vector", embedder.embed("old\n" + text))));
        RetrievalFilter old = RetrievalFilter.anyOf("source", "old.txt");
        try (HybridKnowledgeBase kb = new HybridKnowledgeBase(open(storage, VectorSpace.of(embedder)), embedder,
                new Chunker(TokenCounter.approximate()))) {
            JsonNode props = request("GET", "/" + storage + "/_mapping", null).path(storage).path("mappings").path("properties");
            assertThat(props.path(FilterTerms.VALUES).path("type").asText()).isEqualTo("keyword");
            assertThat(props.path(FilterTerms.TIMES).path("type").asText()).isEqualTo("keyword");
            assertThat(kb.retrieve(ACME, "walrus ice", 5)).extracting(RetrievedChunk::documentId).containsExactly("doc_oldchunk01");
            assertThat(kb.retrieve(ACME, "walrus ice", 5, old)).isEmpty();

            kb.ingest(ACME, new DocumentId("doc_oldchunk01"), "old.txt", text.getBytes(StandardCharsets.UTF_8));
            assertThat(kb.retrieve(ACME, "walrus ice", 5, old)).extracting(RetrievedChunk::documentId).containsExactly("doc_oldchunk01");
        }
    }

    @Test
    void theEnvironmentChoosesOpenSearchWhenItsUrlIsSet() throws IOException {
        Map<String, String> env = Map.of(KnowledgeBases.OPENSEARCH_URL, OpenSearchNodeExtension.url().toString(),
                KnowledgeBases.OPENSEARCH_INDEX, storage);
        try (KnowledgeBase kb = KnowledgeBases.fromEnvironment(env, luceneRoot)) {
            kb.ingest(ACME, new DocumentId("doc_envchoice1"), "a.txt",
                    "The refund window is 30 days.".getBytes(StandardCharsets.UTF_8));
            assertThat(kb.retrieve(ACME, "how long is the refund window", 1)).hasSize(1);
        }
        assertThat(countAll(null, ACME)).isEqualTo(1);
        JsonNode meta = request("GET", "/" + storage + "/_mapping", null).path(storage).path("mappings").path("_meta");
        assertThat(meta.path("embedder").asText()).isEqualTo(BgeSmallEmbedder.ID);
        try (var files = Files.list(luceneRoot)) {
            assertThat(files).isEmpty();
        }
    }
}
