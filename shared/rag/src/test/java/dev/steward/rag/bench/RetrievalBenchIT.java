package dev.steward.rag.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.rag.opensearch.OpenSearchNodeExtension;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark with {@code --backend opensearch} on the synthetic collection, against the shared test node. */
@ExtendWith(OpenSearchNodeExtension.class)
class RetrievalBenchIT {
    @TempDir
    Path dir;

    @Test
    void theOpenSearchBackendReportsTheSameKeysAndFindsEachQuerysDocument() throws IOException {
        RetrievalBenchTest.writeCollection(dir);
        RetrievalBenchTest.Run run = RetrievalBenchTest.run("--dataset", dir.toString(), "--backend", "opensearch",
                "--opensearch-url", OpenSearchNodeExtension.url().toString(), "--json", "--raw-fraction", "0");

        assertThat(run.code()).as(run.err()).isZero();
        JsonNode json = run.lastLine();
        assertThat(json.path("backend").asText()).isEqualTo("opensearch");
        assertThat(json.path("default").asText()).isEqualTo("hybrid-weighted");
        for (String key : List.of("ingest_docs_per_s", "ingest_chunks_per_s", "peak_rss_mb")) {
            assertThat(json.path(key).asDouble()).as(key).isPositive();
        }
        for (String name : List.of("bm25", "dense", "hybrid", "hybrid-weighted")) {
            JsonNode p = json.path("pipelines").path(name);
            assertThat(p.path("recall@100").asDouble()).as(name).isEqualTo(1.0);
            assertThat(p.path("p50_ms").asDouble()).as(name).isPositive();
        }
        // Each query shares two rare words with exactly one document, as in RetrievalBenchTest.
        assertThat(json.path("pipelines").path("bm25").path("ndcg@10").asDouble()).isEqualTo(1.0);
        assertThat(json.path("pipelines").path("hybrid").path("mrr@10").asDouble()).isEqualTo(1.0);
    }
}
