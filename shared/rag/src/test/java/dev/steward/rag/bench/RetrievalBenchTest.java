package dev.steward.rag.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.json.Json;
import dev.steward.rag.chunk.TokenCounter;
import dev.steward.rag.embed.Embedder;
import dev.steward.rag.load.DocumentLoaders;
import dev.steward.rag.load.ParsedDocument;
import dev.steward.rag.load.Section;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole benchmark on a synthetic 10-document BEIR folder, with a bag-of-words embedder so that it runs fast. */
class RetrievalBenchTest {
    static final String[] TOPICS = {
        "volcano eruption lava magma", "penguin colony antarctic ice", "quantum entanglement photon spin",
        "sourdough bread yeast flour", "glacier retreat meltwater climate", "violin concerto orchestra bow",
        "malaria parasite mosquito vaccine", "tectonic plate earthquake fault", "honeybee pollination hive nectar",
        "lithium battery cathode anode"};

    @TempDir
    Path dir;

    @BeforeEach
    void createCollection() throws IOException {
        writeCollection(dir);
    }

    /** Ten documents on unrelated topics; query i asks about two rare words of document i. */
    static void writeCollection(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("qrels"));
        List<String> corpus = new ArrayList<>();
        List<String> queries = new ArrayList<>();
        StringBuilder test = new StringBuilder("query-id\tcorpus-id\tscore\n");
        StringBuilder train = new StringBuilder("query-id\tcorpus-id\tscore\n");
        for (int i = 0; i < TOPICS.length; i++) {
            String[] words = TOPICS[i].split(" ");
            String text = ("A study of " + TOPICS[i] + ". ").repeat(3) + "Results on the " + words[0] + " [n = " + i
                    + "] are *reported* <here> & in # notes.";
            corpus.add(Json.write(java.util.Map.of("_id", "D" + i, "title", "On " + words[0] + " and " + words[1],
                    "text", text)));
            queries.add(Json.write(java.util.Map.of("_id", "q" + i, "text", "what about " + words[2] + " " + words[3])));
            (i % 2 == 0 ? test : train).append("q").append(i).append("\tD").append(i).append("\t1\n");
        }
        train.append("q1\tD9\t0\n"); // a non-relevant judgment must not count
        Files.write(dir.resolve("corpus.jsonl"), corpus);
        Files.write(dir.resolve("queries.jsonl"), queries);
        Files.writeString(dir.resolve("qrels/test.tsv"), test);
        Files.writeString(dir.resolve("qrels/train.tsv"), train);
    }

    @Test
    void jsonLineHasEveryRequiredKeyAndSensibleFigures() {
        Run run = run("--dataset", dir.toString(), "--backend", "lucene", "--json");

        assertThat(run.code).as(run.err).isZero();
        JsonNode json = run.lastLine();
        assertThat(json.path("backend").asText()).isEqualTo("lucene");
        assertThat(json.path("split").asText()).isEqualTo("test");
        assertThat(json.path("queries").asInt()).isEqualTo(5);
        for (String key : List.of("ingest_docs_per_s", "ingest_chunks_per_s", "embed_passages_per_s", "ingest_vs_embed",
                "peak_rss_mb")) {
            assertThat(json.path(key).asDouble()).as(key).isPositive();
        }
        JsonNode pipelines = json.path("pipelines");
        assertThat(pipelines.has(json.path("default").asText())).isTrue();
        for (String name : List.of("bm25", "dense", "hybrid", "hybrid+rerank")) {
            JsonNode p = pipelines.path(name);
            for (String key : List.of("ndcg@10", "recall@100", "mrr@10", "p50_ms", "p99_ms", "p50_ms_with_embedding")) {
                assertThat(p.has(key)).as(name + " " + key).isTrue();
                assertThat(p.path(key).asDouble()).as(name + " " + key).isBetween(0.0, 10_000.0);
            }
            assertThat(p.path("ndcg@10").asDouble()).as(name).isLessThanOrEqualTo(1.0);
        }
        // Each query shares two rare words with exactly one document: every pipeline should put it first.
        assertThat(pipelines.path("bm25").path("ndcg@10").asDouble()).isEqualTo(1.0);
        assertThat(pipelines.path("hybrid").path("mrr@10").asDouble()).isEqualTo(1.0);
        assertThat(pipelines.path("hybrid").path("recall@100").asDouble()).isEqualTo(1.0);
        assertThat(pipelines.path("hybrid+rerank").path("reranker").asText()).startsWith("none");
        // Through the filter on one source part, only that part's chunks come back.
        JsonNode filtered = json.path("filtered");
        assertThat(filtered.path("filter").asText()).isEqualTo("{\"source\":\"part-0.md\"}");
        assertThat(filtered.path("p99_ms").asDouble()).isPositive();
        assertThat(filtered.path("chunks_per_query").asDouble()).isPositive();
        assertThat(filtered.path("chunks_outside_filter").asInt()).isZero();
        assertThat(run.out).contains("peak RSS");
    }

    @Test
    void tuningRunsOnTrainAndRefusesTheTestSplit() {
        Run refused = run("--dataset", dir.toString(), "--backend", "lucene", "--tune", "--split", "test");
        assertThat(refused.code).isEqualTo(2);
        assertThat(refused.err).contains("train split only");

        Run tuned = run("--dataset", dir.toString(), "--backend", "lucene", "--tune", "--json", "--raw-fraction", "0");
        assertThat(tuned.code).as(tuned.err).isZero();
        JsonNode json = tuned.lastLine();
        assertThat(json.path("split").asText()).isEqualTo("train");
        assertThat(json.path("tuning").path("best").asText()).isNotBlank();
        assertThat(json.path("tuning").path("best_ndcg@10").asDouble()).isEqualTo(1.0);
        assertThat(tuned.out).contains("best on train");
    }

    @Test
    void aKeptIndexIsReusedWithoutIngestingAgain() {
        Path index = dir.resolve("index");
        Run first = run("--dataset", dir.toString(), "--backend", "lucene", "--index", index.toString(), "--json",
                "--limit-queries", "2");
        assertThat(first.code).as(first.err).isZero();
        Run second = run("--dataset", dir.toString(), "--backend", "lucene", "--index", index.toString(),
                "--reuse-index", "--json");
        assertThat(second.code).as(second.err).isZero();
        assertThat(second.out).contains("reusing the index");
        assertThat(second.lastLine().has("ingest_docs_per_s")).isFalse();
        assertThat(second.lastLine().path("pipelines").path("bm25").path("ndcg@10").asDouble()).isEqualTo(1.0);
    }

    @Test
    void badArgumentsAndMissingFilesExitWithTwo() {
        assertThat(run("--backend", "lucene").code).isEqualTo(2);
        assertThat(run("--dataset", dir.toString(), "--backend", "solr").code).isEqualTo(2);
        assertThat(run("--dataset", dir.toString(), "--backend", "opensearch", "--index", "x").code).isEqualTo(2);
        assertThat(run("--dataset", dir.toString(), "--opensearch-url", "http://127.0.0.1:1").code).isEqualTo(2);
        Run missing = run("--dataset", dir.resolve("nowhere").toString(), "--backend", "lucene");
        assertThat(missing.code).isEqualTo(2);
        assertThat(missing.err).contains("corpus.jsonl");
    }

    @Test
    void documentsReachTheLoaderAsMarkdownThatRendersTheirTextVerbatim() {
        String text = "Results [n = 3] are *reported* <b>here</b> & in # notes_x; 1. p<0.05 `code` \\ ~~ | end.";
        ParsedDocument parsed = DocumentLoaders.load("doc.md",
                RetrievalBench.markdown(new BeirDataset.Doc("7", "Title * with _marks_", text)));
        assertThat(parsed.title()).isEqualTo("Title * with _marks_");
        assertThat(parsed.sections()).extracting(Section::text).containsExactly(text);
    }

    record Run(int code, String out, String err) {
        JsonNode lastLine() {
            String[] lines = out.strip().split("\n");
            return Json.tree(lines[lines.length - 1]);
        }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = RetrievalBench.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new RetrievalBench.Models(new WordHashEmbedder(), TokenCounter.approximate()));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Deterministic bag of words hashed into 32 buckets; enough for the rare topic words to dominate. */
    static final class WordHashEmbedder implements Embedder {
        @Override
        public float[] embed(String text) {
            float[] v = new float[32];
            v[31] = 0.1f;
            for (String word : text.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
                if (word.length() > 4) {
                    v[Math.floorMod(word.hashCode(), 31)] += 1;
                }
            }
            double norm = 0;
            for (float x : v) {
                norm += x * x;
            }
            for (int i = 0; i < v.length; i++) {
                v[i] /= (float) Math.sqrt(norm);
            }
            return v;
        }

        @Override
        public List<float[]> embedAll(List<String> texts) {
            return texts.stream().map(this::embed).toList();
        }

        @Override
        public int dimension() {
            return 32;
        }

        @Override
        public String id() {
            return "word-hash-32";
        }
    }
}
