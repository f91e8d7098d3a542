package dev.steward.rag.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.core.error.TransientException;
import dev.steward.core.json.Json;
import dev.steward.core.knowledge.DocumentId;
import dev.steward.core.knowledge.RetrievalFilter;
import dev.steward.core.knowledge.RetrievedChunk;
import dev.steward.core.tenant.TenantId;
import dev.steward.rag.DocumentRejectedException;
import dev.steward.rag.IngestOutcome;
import dev.steward.rag.SourceDocument;
import dev.steward.rag.chunk.Chunk;
import dev.steward.rag.chunk.Chunker;
import dev.steward.rag.chunk.TokenCounter;
import dev.steward.rag.embed.BgeSmallEmbedder;
import dev.steward.rag.embed.Embedder;
import dev.steward.rag.load.DocumentLoaders;
import dev.steward.rag.HybridKnowledgeBase;
import dev.steward.rag.index.ChunkIndex;
import dev.steward.rag.index.VectorSpace;
import dev.steward.rag.lucene.LuceneChunkIndex;
import dev.steward.rag.opensearch.OpenSearchChunkIndex;
import dev.steward.rag.opensearch.OpenSearchNode;
import dev.steward.rag.retrieve.Fusion;
import dev.steward.rag.retrieve.RetrievalStrategy;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Retrieval quality and cost of the knowledge base on a BEIR-format collection (SciFact is in
 * {@code ../shared/datasets/scifact}; read it from there, it is not for redistribution), with either index backend.
 *
 * <pre>
 * RetrievalBench --dataset DIR [--backend lucene|opensearch] [--opensearch-url URL] [--json] [--split test|train]
 *                [--limit-queries N] [--tune] [--index DIR [--reuse-index]] [--raw-fraction F]
 * </pre>
 *
 * <p>{@code --backend opensearch} ingests into the OpenSearch index {@value #OPENSEARCH_INDEX} at
 * {@code --opensearch-url} (deleting that index before and after the run), or, without a URL, into a throwaway node
 * that it starts with {@link OpenSearchNode} and stops at the end; the node's own peak RSS is then reported as
 * {@code opensearch_node_rss_mb}. {@code --index} and {@code --reuse-index} are for Lucene only.
 *
 * <h2>What it does</h2>
 * <ol>
 *   <li><b>Ingest</b> every corpus document into one tenant through the product path
 *       ({@link HybridKnowledgeBase#ingestAll}: Markdown loading, chunking with bge's tokenizer, bge-small embeddings,
 *       the backend). A document is handed over as Markdown, {@code # title} then the text, with every ASCII punctuation
 *       character backslash-escaped so that the loader gives back the text verbatim.</li>
 *   <li><b>Raw embedding</b>: the same chunk texts (from the same loader and chunker) go straight through
 *       {@link Embedder#embedAll}, in blocks interleaved with the ingest blocks so that both see the same CPU
 *       contention. {@code --raw-fraction} embeds only that share of each block's documents (default 1: all).</li>
 *   <li><b>Evaluate</b> each pipeline on the split's queries at document level (a document ranks at its best
 *       chunk; {@link RetrievalMetrics} has the definitions): nDCG@10 and MRR@10 from a 30-chunk call (the same
 *       prefix the product returns: every pipeline fuses at least as deep), Recall@100 from a 300-chunk call.
 *       Latency is a 10-chunk call, one thread, after a warm-up: without (query vector computed beforehand) and
 *       with the query embedding.</li>
 * </ol>
 * Pipelines, all at the default strategy's candidate depth: {@code bm25} (plain OR), {@code dense}, {@code hybrid}
 * (plain RRF, k = 60, over the same two lists), {@code hybrid-weighted} (the tuned
 * {@link HybridKnowledgeBase#DEFAULT_STRATEGY}, the product's default) and {@code hybrid+rerank}. The product's only
 * reranker is Bedrock's ({@link dev.steward.rag.retrieve.BedrockReranker}), which needs AWS, and no cross-encoder is
 * available offline (none ships in a Maven package), so {@code hybrid+rerank} is reported as identical to the best
 * pipeline without reranking and says so in its {@code reranker} field.
 *
 * <p>{@code --tune} ingests the same way, then grid-searches fusion weight, RRF k and candidate depth on the
 * <b>train</b> qrels (it refuses {@code --split test}) and prints the train nDCG@10 of each setting and the best.
 *
 * <p>{@code --index DIR} builds the index in DIR and keeps it; with {@code --reuse-index} a DIR that already holds a
 * complete index of the same corpus is searched without ingesting again (no ingest figures then). Without
 * {@code --index} a temporary directory is used and deleted.
 *
 * <p>With {@code --json} the last line printed is one JSON object: {@code {"backend", "split", "queries", "default",
 * "pipelines": {name: {"ndcg@10", "recall@100", "mrr@10", "p50_ms", "p99_ms", "p50_ms_with_embedding",
 * "p99_ms_with_embedding"}}, "ingest_docs_per_s", "ingest_chunks_per_s", "embed_passages_per_s",
 * "ingest_vs_embed", "peak_rss_mb", "filtered": {"filter", "p50_ms", "p99_ms", "chunks_outside_filter", ...}, ...}}
 * ({@code filtered}: the default pipeline's search latency through a filter that keeps a tenth of the documents).
 * Exit code 0, 2 for bad arguments or data, 1 when OpenSearch cannot be reached or started.
 */
public final class RetrievalBench {
    static final TenantId TENANT = TenantId.of("bench");
    /** Chunks fetched for nDCG@10 and MRR@10: enough for 10 distinct documents. */
    static final int RANKING_CHUNKS = 30;
    /** Chunks fetched for Recall@100: enough for 100 distinct documents. */
    static final int RECALL_CHUNKS = 300;
    static final int LATENCY_CHUNKS = 10;
    /** The OpenSearch index the bench writes to. */
    static final String OPENSEARCH_INDEX = "steward-bench";
    /** Documents per {@link HybridKnowledgeBase#ingestAll} call (one commit or bulk request each). */
    private static final int INGEST_BLOCK = 100;
    private static final int WARMUP_QUERIES = 100;
    /**
     * Timed passes over the queries per pipeline: a p99 over 300 samples is the third-slowest query, which one GC
     * pause or scheduler hiccup moves by several milliseconds; three passes give 900 samples.
     */
    static final int LATENCY_PASSES = 3;
    private static final String MARKER = "bench-ingest.json";
    /** Documents are spread over this many source file names; the filtered measurement keeps one of them. */
    static final int FILTER_PARTS = 10;
    static final RetrievalFilter FILTERED_SOURCE = RetrievalFilter.anyOf("source", "part-0.md");

    private RetrievalBench() {}

    public static void main(String[] args) {
        int code = run(args, System.out, System.err, null);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs the benchmark with the bundled bge model; the exit code is 0 on success (the CLI's entry). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, null);
    }

    /** The model and the token counter the chunker sizes with; tests pass small deterministic ones. */
    record Models(Embedder embedder, TokenCounter tokens) {}

    record Options(Path dataset, String backend, URI openSearchUrl, boolean json, int limitQueries, String split,
            boolean tune, Path index, boolean reuseIndex, double rawFraction) {

        static Options parse(String[] args) {
            Path dataset = null;
            String backend = "lucene";
            URI openSearchUrl = null;
            boolean json = false;
            int limit = Integer.MAX_VALUE;
            String split = null;
            boolean tune = false;
            Path index = null;
            boolean reuse = false;
            double raw = 1.0;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--dataset" -> dataset = Path.of(value(args, ++i, arg));
                    case "--backend" -> backend = value(args, ++i, arg);
                    case "--opensearch-url" -> openSearchUrl = URI.create(value(args, ++i, arg));
                    case "--json" -> json = true;
                    case "--limit-queries" -> limit = positive(value(args, ++i, arg), arg);
                    case "--split" -> split = value(args, ++i, arg);
                    case "--tune" -> tune = true;
                    case "--index" -> index = Path.of(value(args, ++i, arg));
                    case "--reuse-index" -> reuse = true;
                    case "--raw-fraction" -> {
                        raw = Double.parseDouble(value(args, ++i, arg));
                        if (!(raw >= 0 && raw <= 1)) {
                            throw new IllegalArgumentException("--raw-fraction must be in [0, 1]");
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown argument " + arg);
                }
            }
            if (dataset == null) {
                throw new IllegalArgumentException("--dataset DIR is required");
            }
            if (!backend.equals("lucene") && !backend.equals("opensearch")) {
                throw new IllegalArgumentException("unknown backend '" + backend + "' (available: lucene, opensearch)");
            }
            if (openSearchUrl != null && !backend.equals("opensearch")) {
                throw new IllegalArgumentException("--opensearch-url needs --backend opensearch");
            }
            if (index != null && !backend.equals("lucene")) {
                throw new IllegalArgumentException("--index and --reuse-index are for --backend lucene");
            }
            if (tune && split != null && !split.equals("train")) {
                throw new IllegalArgumentException("--tune works on the train split only: tuning on " + split
                        + " would report a number fitted to the data it is measured on");
            }
            if (split == null) {
                split = tune ? "train" : "test";
            }
            if (reuse && index == null) {
                throw new IllegalArgumentException("--reuse-index needs --index DIR");
            }
            return new Options(dataset, backend, openSearchUrl, json, limit, split, tune, index, reuse, raw);
        }

        private static String value(String[] args, int i, String name) {
            if (i >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            return args[i];
        }

        private static int positive(String s, String name) {
            int n = Integer.parseInt(s);
            if (n < 1) {
                throw new IllegalArgumentException(name + " must be >= 1");
            }
            return n;
        }
    }

    /**
     * Runs the benchmark.
     *
     * @param models null for bge-small with its own tokenizer
     * @return the exit code: 0, or 2 for bad arguments or data
     */
    static int run(String[] args, PrintStream out, PrintStream err, Models models) {
        Options options;
        BeirDataset data;
        try {
            options = Options.parse(args);
            data = BeirDataset.load(options.dataset(), options.split()).limitQueries(options.limitQueries());
        } catch (IllegalArgumentException | UncheckedIOException e) {
            err.println("RetrievalBench: " + e.getMessage());
            err.println("usage: RetrievalBench --dataset DIR [--backend lucene|opensearch] [--opensearch-url URL]"
                    + " [--json] [--split test|train] [--limit-queries N] [--tune] [--index DIR [--reuse-index]]"
                    + " [--raw-fraction F]");
            return 2;
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            err.println("RetrievalBench: warning: jdk.incubator.vector is not loaded, Lucene's vector search runs"
                    + " without SIMD (slower kNN); run with MAVEN_OPTS='--add-modules jdk.incubator.vector'");
        }
        if (models == null) {
            BgeSmallEmbedder bge = BgeSmallEmbedder.shared();
            models = new Models(bge, bge.tokenCounter());
        }
        if (options.backend().equals("opensearch")) {
            return runOnOpenSearch(options, data, models, out, err);
        }
        Path root = options.index();
        boolean temporary = root == null;
        try {
            if (temporary) {
                root = Files.createTempDirectory("retrieval-bench");
            }
            LuceneChunkIndex index = new LuceneChunkIndex(root, VectorSpace.of(models.embedder()));
            return new Session(options, data, models, index, root, out).run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (temporary && root != null) {
                deleteTree(root);
            }
        }
    }

    /** @return the exit code: 0, or 1 when OpenSearch cannot be reached or started */
    private static int runOnOpenSearch(Options options, BeirDataset data, Models models, PrintStream out, PrintStream err) {
        OpenSearchNode node = null;
        URI url = options.openSearchUrl();
        try {
            if (url == null) {
                out.println("starting an OpenSearch node (about 30 s)...");
                node = OpenSearchNode.start();
                url = node.url();
                out.println("OpenSearch at " + url);
            }
            deleteIndex(url);
            Session session = new Session(options, data, models,
                    OpenSearchChunkIndex.connect(url, OPENSEARCH_INDEX, VectorSpace.of(models.embedder())), null, out);
            if (node != null) {
                OpenSearchNode started = node;
                session.beforeReport = report -> report.put("opensearch_node_rss_mb", round(started.peakRssMb(), 1));
            }
            int code = session.run();
            deleteIndex(url);
            return code;
        } catch (IOException | TransientException | IllegalStateException e) {
            err.println("RetrievalBench: OpenSearch " + (url == null ? "did not start" : "at " + url + " failed") + ": " + e);
            return 1;
        } finally {
            if (node != null) {
                node.close();
            }
        }
    }

    /** Drops the bench's own index, so that every run starts from an empty one (BM25 statistics included). */
    private static void deleteIndex(URI url) throws IOException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(url.resolve("/" + OPENSEARCH_INDEX)).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200 && response.statusCode() != 404) {
                throw new IOException("DELETE /" + OPENSEARCH_INDEX + " answered " + response.statusCode() + ": " + response.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** One benchmark run over one index. */
    private static final class Session {
        final Options options;
        final BeirDataset data;
        final Models models;
        final ChunkIndex<?> index;
        /** The Lucene index directory, where a marker records a complete ingest; null for OpenSearch. */
        final Path root;
        final PrintStream out;
        final ObjectNode report = Json.object();
        Consumer<ObjectNode> beforeReport = report -> {};

        Session(Options options, BeirDataset data, Models models, ChunkIndex<?> index, Path root, PrintStream out) {
            this.options = options;
            this.data = data;
            this.models = models;
            this.index = index;
            this.root = root;
            this.out = out;
        }

        int run() throws IOException {
            Chunker chunker = new Chunker(models.tokens());
            try (HybridKnowledgeBase kb = new HybridKnowledgeBase(index, models.embedder(), chunker)) {
                report.put("backend", options.backend());
                report.put("split", options.split());
                report.put("docs", data.corpus().size());
                report.put("queries", data.queries().size());
                Path marker = root == null ? null : root.resolve(MARKER);
                if (marker != null && options.reuseIndex() && Files.isRegularFile(marker)
                        && Json.tree(Files.readString(marker)).path("docs").asInt(-1) == data.corpus().size()) {
                    out.printf(Locale.ROOT, "reusing the index in %s (no ingest figures)%n", root);
                    report.put("chunks", Json.tree(Files.readString(marker)).path("chunks").asInt());
                } else {
                    ingest(kb, chunker);
                    if (marker != null) {
                        Files.writeString(marker, Json.write(Map.of("docs", data.corpus().size(),
                                "chunks", report.path("chunks").asInt())));
                    }
                }
                List<float[]> vectors = embedQueries();
                if (options.tune()) {
                    tune(kb, vectors);
                } else {
                    evaluate(kb, vectors);
                }
            }
            report.put("peak_rss_mb", peakRssMb());
            out.printf(Locale.ROOT, "peak RSS (VmHWM): %.0f MB%n", report.path("peak_rss_mb").asDouble());
            beforeReport.accept(report);
            if (report.has("opensearch_node_rss_mb")) {
                out.printf(Locale.ROOT, "OpenSearch node peak RSS: %.0f MB%n", report.path("opensearch_node_rss_mb").asDouble());
            }
            if (options.json()) {
                out.println(Json.write(report));
            }
            return 0;
        }

        // ---------------------------------------------------------------------------------------------- ingest

        void ingest(HybridKnowledgeBase kb, Chunker chunker) {
            List<BeirDataset.Doc> corpus = data.corpus();
            warmUp(chunker);
            long ingestNanos = 0;
            long rawNanos = 0;
            int chunks = 0;
            int rawPassages = 0;
            int rejected = 0;
            int every = options.rawFraction() <= 0 ? 0 : (int) Math.round(1 / options.rawFraction());
            for (int start = 0, block = 0; start < corpus.size(); start += INGEST_BLOCK, block++) {
                int end = Math.min(corpus.size(), start + INGEST_BLOCK);
                List<SourceDocument> batch = new ArrayList<>(end - start);
                List<String> texts = new ArrayList<>();
                for (int i = start; i < end; i++) {
                    BeirDataset.Doc doc = corpus.get(i);
                    batch.add(new SourceDocument(documentId(i), fileName(i), markdown(doc)));
                    if (every > 0 && (i - start) % every == 0) {
                        texts.addAll(chunkTexts(chunker, i));
                    }
                }
                // Alternate which of the two goes first, so that neither always runs right after the other's work.
                if (block % 2 == 1 && !texts.isEmpty()) {
                    rawNanos += timeEmbedding(texts);
                }
                long t0 = System.nanoTime();
                for (IngestOutcome outcome : kb.ingestAll(TENANT, batch)) {
                    switch (outcome) {
                        case IngestOutcome.Ingested ok -> chunks += ok.result().chunks();
                        case IngestOutcome.Rejected unused -> rejected++;
                    }
                }
                ingestNanos += System.nanoTime() - t0;
                if (block % 2 == 0 && !texts.isEmpty()) {
                    rawNanos += timeEmbedding(texts);
                }
                rawPassages += texts.size();
                if (end % 1000 < INGEST_BLOCK || end == corpus.size()) {
                    out.printf(Locale.ROOT, "  ingested %d/%d documents (%d chunks), %.1f docs/s%n",
                            end, corpus.size(), chunks, end / seconds(ingestNanos));
                    out.flush();
                }
            }
            double ingestSeconds = seconds(ingestNanos);
            report.put("chunks", chunks);
            report.put("rejected_docs", rejected);
            report.put("ingest_seconds", round(ingestSeconds, 1));
            report.put("ingest_docs_per_s", round(corpus.size() / ingestSeconds, 2));
            report.put("ingest_chunks_per_s", round(chunks / ingestSeconds, 2));
            out.printf(Locale.ROOT, "ingest: %d docs -> %d chunks in %.1f s: %.2f docs/s, %.2f chunks/s (%d rejected)%n",
                    corpus.size(), chunks, ingestSeconds, corpus.size() / ingestSeconds, chunks / ingestSeconds,
                    rejected);
            if (rawPassages > 0) {
                double rawRate = rawPassages / seconds(rawNanos);
                double ratio = (chunks / ingestSeconds) / rawRate;
                report.put("embed_passages_per_s", round(rawRate, 2));
                report.put("embed_passages", rawPassages);
                report.put("ingest_vs_embed", round(ratio, 3));
                out.printf(Locale.ROOT, "raw embedding of the same chunk texts: %d passages, %.2f passages/s;"
                        + " ingest runs at %.1f%% of it%n", rawPassages, rawRate, 100 * ratio);
            }
        }

        /** The chunk texts the product embeds for document {@code i}, from the same loader and chunker. */
        private List<String> chunkTexts(Chunker chunker, int i) {
            BeirDataset.Doc doc = data.corpus().get(i);
            try {
                return chunker.chunk(documentId(i), DocumentLoaders.load(fileName(i), markdown(doc))).stream()
                        .map(Chunk::embeddingText)
                        .toList();
            } catch (DocumentRejectedException e) {
                return List.of(); // the ingest counts it as rejected
            }
        }

        private long timeEmbedding(List<String> texts) {
            long t0 = System.nanoTime();
            models.embedder().embedAll(texts);
            return System.nanoTime() - t0;
        }

        /** First inferences and first parses are slow (native arenas, JIT); neither side of the comparison pays them. */
        private void warmUp(Chunker chunker) {
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < Math.min(20, data.corpus().size()); i++) {
                texts.addAll(chunkTexts(chunker, i));
            }
            models.embedder().embedAll(texts);
        }

        List<float[]> embedQueries() {
            List<float[]> vectors = new ArrayList<>();
            long[] nanos = new long[data.queries().size()];
            int i = 0;
            for (BeirDataset.Query q : data.queries()) {
                long t0 = System.nanoTime();
                vectors.add(models.embedder().embedQuery(q.text()));
                nanos[i++] = System.nanoTime() - t0;
            }
            report.put("query_embed_p50_ms", round(percentile(nanos, 50), 2));
            return vectors;
        }

        // -------------------------------------------------------------------------------------------- evaluate

        record Pipeline(String name, RetrievalStrategy strategy) {}

        record Scores(double ndcg10, double recall100, double mrr10) {}

        void evaluate(HybridKnowledgeBase kb, List<float[]> vectors) {
            RetrievalStrategy best = HybridKnowledgeBase.DEFAULT_STRATEGY;
            int depth = best.candidates();
            List<Pipeline> pipelines = List.of(
                    new Pipeline("bm25", new RetrievalStrategy.Lexical(depth, RetrievalStrategy.TermMatch.ANY)),
                    new Pipeline("dense", new RetrievalStrategy.Dense(depth)),
                    // Plain RRF over the same two lists as the default, so that only the fusion differs.
                    new Pipeline("hybrid", new RetrievalStrategy.RankFusion(
                            depth, Fusion.DEFAULT_K, 0.5, RetrievalStrategy.TermMatch.ANY)),
                    new Pipeline("hybrid-weighted", best));
            ObjectNode all = report.putObject("pipelines");
            String bestName = null;
            double bestNdcg = -1;
            out.printf(Locale.ROOT, "%d %s queries; document-level metrics%n", data.queries().size(), options.split());
            out.printf(Locale.ROOT, "%-16s %8s %10s %8s %8s %8s %12s %12s%n",
                    "pipeline", "nDCG@10", "Recall@100", "MRR@10", "p50 ms", "p99 ms", "p50 ms+emb", "p99 ms+emb");
            for (Pipeline p : pipelines) {
                Scores s = score(kb, p.strategy(), vectors);
                long[][] latency = latency(kb, p.strategy(), vectors);
                ObjectNode node = all.putObject(p.name());
                node.put("ndcg@10", round(s.ndcg10(), 4));
                node.put("recall@100", round(s.recall100(), 4));
                node.put("mrr@10", round(s.mrr10(), 4));
                node.put("p50_ms", round(percentile(latency[0], 50), 3));
                node.put("p99_ms", round(percentile(latency[0], 99), 3));
                node.put("p50_ms_with_embedding", round(percentile(latency[1], 50), 3));
                node.put("p99_ms_with_embedding", round(percentile(latency[1], 99), 3));
                node.put("strategy", p.strategy().toString());
                print(p.name(), node);
                if (s.ndcg10() > bestNdcg) {
                    bestNdcg = s.ndcg10();
                    bestName = p.name();
                }
            }
            ObjectNode rerank = all.putObject("hybrid+rerank");
            rerank.setAll(((ObjectNode) all.get(bestName)).deepCopy());
            rerank.put("reranker", "none: Bedrock rerank needs AWS and no cross-encoder model is available offline; identical to "
                    + bestName);
            print("hybrid+rerank", rerank);
            out.println("hybrid+rerank: no local reranker (Bedrock rerank needs AWS; no cross-encoder ships in a Maven package); same as "
                    + bestName);
            String defaultName = pipelines.stream()
                    .filter(p -> p.strategy().equals(HybridKnowledgeBase.DEFAULT_STRATEGY))
                    .map(Pipeline::name)
                    .findFirst()
                    .orElseThrow();
            report.put("default", defaultName);
            out.println("default pipeline (KnowledgeBase.retrieve): " + defaultName + " = "
                    + HybridKnowledgeBase.DEFAULT_STRATEGY);
            filtered(kb, vectors);
        }

        /**
         * The default pipeline's latency through {@link #FILTERED_SOURCE} (a tenth of the documents), measured as the
         * unfiltered pipelines are; also checks that every chunk returned passes the filter.
         */
        void filtered(HybridKnowledgeBase kb, List<float[]> vectors) {
            List<BeirDataset.Query> queries = data.queries();
            RetrievalStrategy strategy = HybridKnowledgeBase.DEFAULT_STRATEGY;
            for (int i = 0; i < Math.min(WARMUP_QUERIES, queries.size()); i++) {
                kb.retrieve(TENANT, queries.get(i).text(), vectors.get(i), strategy, FILTERED_SOURCE, LATENCY_CHUNKS);
            }
            int n = queries.size();
            long[] search = new long[n * LATENCY_PASSES];
            int returned = 0;
            int outside = 0;
            for (int pass = 0; pass < LATENCY_PASSES; pass++) {
                for (int i = 0; i < n; i++) {
                    long t0 = System.nanoTime();
                    List<RetrievedChunk> hits = kb.retrieve(TENANT, queries.get(i).text(), vectors.get(i), strategy,
                            FILTERED_SOURCE, LATENCY_CHUNKS);
                    search[pass * n + i] = System.nanoTime() - t0;
                    if (pass == 0) {
                        returned += hits.size();
                        outside += (int) hits.stream().filter(c -> !"part-0.md".equals(c.metadata().get("source"))).count();
                    }
                }
            }
            ObjectNode node = report.putObject("filtered");
            node.put("filter", FILTERED_SOURCE.toJson().toString());
            node.put("share_of_documents", 1.0 / FILTER_PARTS);
            node.put("pipeline", strategy.toString());
            node.put("p50_ms", round(percentile(search, 50), 3));
            node.put("p99_ms", round(percentile(search, 99), 3));
            node.put("chunks_per_query", round((double) returned / Math.max(1, queries.size()), 2));
            node.put("chunks_outside_filter", outside);
            out.printf(Locale.ROOT, "%-16s %8s %10s %8s %8.3f %8.3f  (filter %s, %.1f chunks per query, %d outside it)%n",
                    "filtered 10 %", "", "", "", node.path("p50_ms").asDouble(), node.path("p99_ms").asDouble(),
                    node.path("filter").asText(), node.path("chunks_per_query").asDouble(), outside);
        }

        private void print(String name, ObjectNode n) {
            out.printf(Locale.ROOT, "%-16s %8.4f %10.4f %8.4f %8.3f %8.3f %12.3f %12.3f%n", name,
                    n.path("ndcg@10").asDouble(), n.path("recall@100").asDouble(), n.path("mrr@10").asDouble(),
                    n.path("p50_ms").asDouble(), n.path("p99_ms").asDouble(),
                    n.path("p50_ms_with_embedding").asDouble(), n.path("p99_ms_with_embedding").asDouble());
        }

        Scores score(HybridKnowledgeBase kb, RetrievalStrategy strategy, List<float[]> vectors) {
            return score(kb, strategy, vectors, true);
        }

        Scores score(HybridKnowledgeBase kb, RetrievalStrategy strategy, List<float[]> vectors, boolean withRecall) {
            double ndcg = 0;
            double recall = 0;
            double mrr = 0;
            List<BeirDataset.Query> queries = data.queries();
            for (int i = 0; i < queries.size(); i++) {
                BeirDataset.Query q = queries.get(i);
                Map<String, Integer> judged = data.qrels().get(q.id());
                List<String> top = documents(kb.retrieve(TENANT, q.text(), vectors.get(i), strategy, RANKING_CHUNKS), q.id());
                ndcg += RetrievalMetrics.ndcg(top, judged, 10);
                mrr += RetrievalMetrics.mrr(top, judged, 10);
                if (withRecall) {
                    List<String> deep =
                            documents(kb.retrieve(TENANT, q.text(), vectors.get(i), strategy, RECALL_CHUNKS), q.id());
                    recall += RetrievalMetrics.recall(deep, judged, 100);
                }
            }
            int n = Math.max(1, queries.size());
            return new Scores(ndcg / n, recall / n, mrr / n);
        }

        /** [0]: search only (vector given), [1]: embedding the query too; nanoseconds per query. */
        long[][] latency(HybridKnowledgeBase kb, RetrievalStrategy strategy, List<float[]> vectors) {
            List<BeirDataset.Query> queries = data.queries();
            for (int i = 0; i < Math.min(WARMUP_QUERIES, queries.size()); i++) {
                kb.retrieve(TENANT, queries.get(i).text(), vectors.get(i), strategy, LATENCY_CHUNKS);
                kb.retrieve(TENANT, queries.get(i).text(), strategy, LATENCY_CHUNKS);
            }
            int n = queries.size();
            long[] search = new long[n * LATENCY_PASSES];
            long[] withEmbedding = new long[n * LATENCY_PASSES];
            for (int pass = 0; pass < LATENCY_PASSES; pass++) {
                for (int i = 0; i < n; i++) {
                    String text = queries.get(i).text();
                    long t0 = System.nanoTime();
                    kb.retrieve(TENANT, text, vectors.get(i), strategy, LATENCY_CHUNKS);
                    long t1 = System.nanoTime();
                    kb.retrieve(TENANT, text, strategy, LATENCY_CHUNKS);
                    long t2 = System.nanoTime();
                    search[pass * n + i] = t1 - t0;
                    withEmbedding[pass * n + i] = t2 - t1;
                }
            }
            return new long[][] {search, withEmbedding};
        }

        /** The collection's ids of the documents of the chunks, best chunk first. */
        private List<String> documents(List<RetrievedChunk> chunks, String queryId) {
            List<String> ids = new ArrayList<>(chunks.size());
            for (RetrievedChunk c : chunks) {
                ids.add(data.corpus().get(Integer.parseInt(c.documentId().substring("doc_".length()))).id());
            }
            return RetrievalMetrics.documentRanking(ids, queryId);
        }

        // ------------------------------------------------------------------------------------------------ tune

        record Trial(RetrievalStrategy strategy, double ndcg10, double mrr10) {}

        /**
         * Two stages, to keep the number of passes over the queries down: every fusion setting at 100 candidates, then
         * other depths for the three best settings.
         */
        void tune(HybridKnowledgeBase kb, List<float[]> vectors) {
            out.printf(Locale.ROOT, "tuning on %d %s queries (nDCG@10, document level)%n", data.queries().size(),
                    options.split());
            List<Trial> trials = new ArrayList<>();
            for (RetrievalStrategy.TermMatch match : RetrievalStrategy.TermMatch.values()) {
                trials.add(trial(kb, new RetrievalStrategy.Lexical(RANKING_CHUNKS, match), vectors));
            }
            trials.add(trial(kb, new RetrievalStrategy.Dense(RANKING_CHUNKS), vectors));
            List<Trial> fusion = new ArrayList<>();
            for (RetrievalStrategy.TermMatch match : RetrievalStrategy.TermMatch.values()) {
                for (int w = 0; w <= 20; w++) {
                    fusion.add(trial(kb, new RetrievalStrategy.ScoreFusion(100, w / 20.0, match), vectors));
                }
                for (int k : new int[] {10, 30, 60}) {
                    for (int w = 3; w <= 8; w++) {
                        fusion.add(trial(kb, new RetrievalStrategy.RankFusion(100, k, w / 10.0, match), vectors));
                    }
                }
            }
            fusion.sort(BEST_FIRST);
            List<Trial> deeper = new ArrayList<>();
            for (Trial t : fusion.subList(0, Math.min(3, fusion.size()))) {
                for (int depth : new int[] {50, 200, 300}) {
                    deeper.add(trial(kb, withCandidates(t.strategy(), depth), vectors));
                }
            }
            trials.addAll(fusion);
            trials.addAll(deeper);
            List<Trial> ranked = new ArrayList<>(trials);
            ranked.sort(BEST_FIRST);
            ObjectNode node = report.putObject("tuning");
            node.put("best", ranked.getFirst().strategy().toString());
            node.put("best_ndcg@10", round(ranked.getFirst().ndcg10(), 4));
            ObjectNode grid = node.putObject("grid");
            for (Trial t : trials) {
                grid.put(t.strategy().toString(), round(t.ndcg10(), 4));
            }
            out.println("top settings:");
            for (Trial t : ranked.subList(0, Math.min(15, ranked.size()))) {
                out.printf(Locale.ROOT, "  %.4f  MRR@10 %.4f  %s%n", t.ndcg10(), t.mrr10(), t.strategy());
            }
            out.println("best on " + options.split() + ": " + ranked.getFirst().strategy()
                    + String.format(Locale.ROOT, " (nDCG@10 %.4f)", ranked.getFirst().ndcg10()));
        }

        /** Best nDCG@10 first; on a tie the shallower (cheaper) setting. */
        static final Comparator<Trial> BEST_FIRST = Comparator.comparingDouble((Trial t) -> -t.ndcg10())
                .thenComparingInt(t -> t.strategy().candidates());

        private static RetrievalStrategy withCandidates(RetrievalStrategy s, int candidates) {
            return switch (s) {
                case RetrievalStrategy.Lexical l -> new RetrievalStrategy.Lexical(candidates, l.match());
                case RetrievalStrategy.Dense unused -> new RetrievalStrategy.Dense(candidates);
                case RetrievalStrategy.RankFusion r ->
                        new RetrievalStrategy.RankFusion(candidates, r.k(), r.denseWeight(), r.match());
                case RetrievalStrategy.ScoreFusion c ->
                        new RetrievalStrategy.ScoreFusion(candidates, c.denseWeight(), c.match());
            };
        }

        private Trial trial(HybridKnowledgeBase kb, RetrievalStrategy strategy, List<float[]> vectors) {
            Scores s = score(kb, strategy, vectors, false);
            out.printf(Locale.ROOT, "  %.4f  %s%n", s.ndcg10(), strategy);
            out.flush();
            return new Trial(strategy, s.ndcg10(), s.mrr10());
        }
    }

    // -------------------------------------------------------------------------------------------------- helpers

    static DocumentId documentId(int index) {
        return new DocumentId(String.format(Locale.ROOT, "doc_%08d", index));
    }


    /**
     * {@code part-<i mod 10>.md}: the file name is each chunk's {@code source} metadata, so that a filter on one part
     * selects a tenth of the corpus ({@link #FILTERED_SOURCE}). Every SciFact document has a title, so the name never
     * becomes one and the indexed text is what it was with a single name for all.
     */
    private static String fileName(int index) {
        return "part-" + index % FILTER_PARTS + ".md";
    }

    /** {@code # title}, a blank line, the text; ASCII punctuation escaped so Markdown renders it verbatim. */
    static byte[] markdown(BeirDataset.Doc doc) {
        StringBuilder md = new StringBuilder();
        if (!doc.title().isBlank()) {
            md.append("# ").append(escape(doc.title().strip())).append("\n\n");
        }
        md.append(escape(doc.text()));
        return md.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 128 && isPunctuation(c)) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    private static boolean isPunctuation(char c) {
        return "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".indexOf(c) >= 0;
    }

    static double percentile(long[] nanos, int p) {
        if (nanos.length == 0) {
            return 0;
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    private static double seconds(long nanos) {
        return Math.max(1e-9, nanos / 1e9);
    }

    static double round(double value, int places) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return value;
        }
        return BigDecimal.valueOf(value).setScale(places, RoundingMode.HALF_UP).doubleValue();
    }

    /** Peak resident set size of this process from {@code /proc/self/status} (VmHWM), in MB; -1 when unknown. */
    static double peakRssMb() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
            return lines.filter(l -> l.startsWith("VmHWM:"))
                    .findFirst()
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0)
                    .map(mb -> round(mb, 1))
                    .orElse(-1.0);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort for a temporary directory
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }
}
