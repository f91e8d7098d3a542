package dev.steward.rag.bench;

import dev.steward.core.knowledge.DocumentId;
import dev.steward.rag.chunk.Chunk;
import dev.steward.rag.chunk.TokenCounter;
import dev.steward.rag.embed.BgeSmallEmbedder;
import dev.steward.rag.embed.E5SmallEmbedder;
import dev.steward.rag.embed.Embedder;
import dev.steward.rag.retrieve.Fusion;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.VectorUtil;

/**
 * Does a second small dense model lift the hybrid default? (BENCHMARK.md, "A second dense model".) Reads the index
 * {@link RetrievalBench} kept with {@code --index DIR}, embeds every chunk with e5-small-v2-q ({@link E5SmallEmbedder};
 * the text bge was given, rebuilt from the stored title, section and text; cached in {@code DIR/}{@value #CACHE} so
 * the next split does not embed them again) and scores, on one split, next to the default:
 * <ul>
 *   <li>the ensemble: one dense list ranked by {@code w cos_bge + (1 - w) cos_e5}, which is the inner product of the
 *       concatenated unit vectors {@code [sqrt(w) bge, sqrt(1 - w) e5]} (one 768-dimension kNN field), fused with BM25
 *       as the default fuses bge (convex combination of min-max scores, dense weight {@code d}); {@code w = 0} is e5
 *       alone, {@code w = 1} bge alone;</li>
 *   <li>three-way score fusion of a bge list, an e5 list and BM25.</li>
 * </ul>
 * The grids rank by exact inner products over every chunk (for bge, HNSW returns 99.2 % of the exact top 300 and
 * fuses within 0.0005 of it). {@code --hnsw W,D} then builds the 768-dimension HNSW index of one setting and scores it
 * as the product would search it, with its size and kNN latency next to a 384-dimension bge index built the same way.
 * Query embedding latency of both models is always measured; {@code --measure} adds passage throughput, the two
 * models taking turns over the same chunk texts.
 *
 * <pre>
 * EnsembleExperiments --index DIR [--dataset DIR] [--split train|test] [--measure] [--hnsw W,D]
 * </pre>
 *
 * Choose on {@code --split train}; run {@code --split test} once, with the chosen setting.
 */
public final class EnsembleExperiments {
    private static final String CACHE = "e5-small-v2-q.f32";
    private static final int CANDIDATES = 300;
    private static final int WARMUP_QUERIES = 50;
    private static final int BLOCK = 100;

    private final RetrievalExperiments base;
    private final Path index;
    /** Per Lucene doc id: the text the product embedded, and its e5 vector. */
    private final List<String> passages;
    private final float[][] e5Chunks;
    /** Per query: the query's e5 vector, and its cosine with every chunk under each model. */
    private final List<float[]> e5Queries = new ArrayList<>();
    private final float[][] bgeCosines;
    private final float[][] e5Cosines;

    private EnsembleExperiments(Path dataset, Path index, String split) throws IOException {
        this.base = new RetrievalExperiments(dataset, index, split);
        this.index = index;
        this.passages = passages(base.searcher());
        checkPassages();
        this.e5Chunks = e5Chunks();
        for (BeirDataset.Query q : base.data().queries()) {
            e5Queries.add(E5SmallEmbedder.shared().embedQuery(q.text()));
        }
        int queries = base.baselines().size();
        bgeCosines = new float[queries][];
        e5Cosines = new float[queries][];
        for (int q = 0; q < queries; q++) {
            bgeCosines[q] = cosines(base.baselines().get(q).vector(), base.chunkVectors());
            e5Cosines[q] = cosines(e5Queries.get(q), e5Chunks);
        }
    }

    public static void main(String[] args) throws IOException {
        Path dataset = Path.of("../shared/datasets/scifact");
        Path index = null;
        String split = "train";
        boolean measure = false;
        double[] hnsw = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dataset" -> dataset = Path.of(args[++i]);
                case "--index" -> index = Path.of(args[++i]);
                case "--split" -> split = args[++i];
                case "--measure" -> measure = true;
                case "--hnsw" -> hnsw = Stream.of(args[++i].split(",")).mapToDouble(Double::parseDouble).toArray();
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (index == null) {
            throw new IllegalArgumentException("--index DIR (built by RetrievalBench --index DIR) is required");
        }
        EnsembleExperiments run = new EnsembleExperiments(dataset, index, split);
        run.queryLatency();
        if (measure) {
            run.passageThroughput();
        }
        run.base.reportBaselines(split);
        run.grids();
        if (hnsw != null) {
            run.hnsw(hnsw[0], hnsw[1]);
        }
    }

    // ------------------------------------------------------------------------------------------------ grids

    /** Every ensemble weight with every dense weight, then the three-way fusions; prints the best fused row. */
    private void grids() {
        int queries = base.baselines().size();
        List<List<Fusion.Scored<Integer>>> bgeLists = null;
        List<List<Fusion.Scored<Integer>>> e5Lists = null;
        Best best = new Best();
        for (int step = 0; step <= 10; step++) {
            double w = step / 10.0;
            List<List<Fusion.Scored<Integer>>> lists = new ArrayList<>();
            for (int q = 0; q < queries; q++) {
                lists.add(exactTop(q, w));
            }
            if (step == 0) {
                e5Lists = lists;
            } else if (step == 10) {
                bgeLists = lists;
            }
            base.report(String.format(Locale.ROOT, "dense only: ensemble w %.1f (exact)", w),
                    base.chunks(i -> RetrievalExperiments.asFused(lists.get(i))));
            for (int d = 50; d <= 90; d += 5) {
                double dense = d / 100.0;
                String name = String.format(Locale.ROOT, "ensemble w %.1f (exact), fused with bm25 at dense %.2f", w, dense);
                best.offer(name, base.report(name, base.chunks(i -> RetrievalExperiments.convex(lists.get(i),
                        base.baselines().get(i).bm25(), dense))));
            }
        }
        List<List<Fusion.Scored<Integer>>> bge = bgeLists;
        List<List<Fusion.Scored<Integer>>> e5 = e5Lists;
        for (int lexical = 10; lexical <= 50; lexical += 5) {
            for (int a = 5; a <= 95 - lexical; a += 5) {
                double[] weights = {a / 100.0, (100 - lexical - a) / 100.0, lexical / 100.0};
                String name = String.format(Locale.ROOT, "3-way: bge %.2f, e5 %.2f, bm25 %.2f (exact)", weights[0], weights[1], weights[2]);
                best.offer(name, base.report(name, base.chunks(i -> Fusion.convexCombination(
                        List.of(bge.get(i), e5.get(i), base.baselines().get(i).bm25()), weights))));
            }
        }
        System.out.printf(Locale.ROOT, "best fused setting on this split: %.4f  %s%n", best.mean, best.name);
    }

    /** The highest mean seen, and its row's name. */
    private static final class Best {
        String name = "";
        double mean = -1;

        void offer(String name, double mean) {
            if (mean > this.mean) {
                this.name = name;
                this.mean = mean;
            }
        }
    }

    /** The 300 chunks with the highest {@code w cos_bge + (1 - w) cos_e5}, by an exact scan of every chunk. */
    private List<Fusion.Scored<Integer>> exactTop(int q, double w) {
        float[] bge = bgeCosines[q];
        float[] e5 = e5Cosines[q];
        return IntStream.range(0, bge.length)
                .mapToObj(d -> new Fusion.Scored<>(d, w * bge[d] + (1 - w) * e5[d]))
                .sorted(Comparator.comparingDouble(s -> -s.score()))
                .limit(CANDIDATES)
                .toList();
    }

    private static float[] cosines(float[] query, float[][] chunks) {
        float[] out = new float[chunks.length];
        for (int d = 0; d < chunks.length; d++) {
            out[d] = VectorUtil.dotProduct(query, chunks[d]);
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------- HNSW

    /**
     * Builds 384-dimension (bge) and 768-dimension (ensemble, weight w) HNSW indexes of the chunk vectors the same way
     * (Lucene's default codec, one segment, no compound file), and reports their sizes, build times, kNN latency and
     * nDCG@10 fused with BM25 at dense weight {@code dense}.
     */
    private void hnsw(double w, double dense) throws IOException {
        float[][] bge = base.chunkVectors();
        float wb = (float) Math.sqrt(w);
        float we = (float) Math.sqrt(1 - w);
        knnIndex("bge alone, 384 dims", bge, q -> base.baselines().get(q).vector(), 0.65);
        knnIndex(String.format(Locale.ROOT, "ensemble w %.2f, 768 dims", w),
                concatenated(bge, e5Chunks, wb, we), q -> concat(base.baselines().get(q).vector(), e5Queries.get(q), wb, we), dense);
        System.out.printf(Locale.ROOT, "the product's index of this corpus (stored text, postings, 384-dim HNSW): %.1f MB%n",
                megabytes(index.resolve(RetrievalBench.TENANT.value()), ""));
    }

    private void knnIndex(String name, float[][] vectors, IntFunction<float[]> query, double dense) throws IOException {
        Path dir = index.resolve("hnsw-" + vectors[0].length);
        long t0 = System.nanoTime();
        try (FSDirectory directory = FSDirectory.open(dir);
                IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig()
                        .setOpenMode(IndexWriterConfig.OpenMode.CREATE).setRAMBufferSizeMB(1024).setUseCompoundFile(false))) {
            for (float[] v : vectors) {
                Document doc = new Document();
                doc.add(new KnnFloatVectorField("vector", v, VectorSimilarityFunction.DOT_PRODUCT));
                writer.addDocument(doc);
            }
            writer.commit();
        }
        double buildSeconds = (System.nanoTime() - t0) / 1e9;
        try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(dir))) {
            if (reader.leaves().size() != 1 || reader.maxDoc() != vectors.length) {
                throw new IllegalStateException("expected one segment of " + vectors.length + " vectors");
            }
            IndexSearcher searcher = new IndexSearcher(reader);
            int queries = base.baselines().size();
            List<List<Fusion.Scored<Integer>>> lists = new ArrayList<>();
            long[] nanos = new long[queries];
            for (int q = -WARMUP_QUERIES; q < queries; q++) {
                float[] v = query.apply(Math.floorMod(q, queries));
                long start = System.nanoTime();
                ScoreDoc[] hits = searcher.search(new KnnFloatVectorQuery("vector", v, CANDIDATES), CANDIDATES).scoreDocs;
                if (q >= 0) {
                    nanos[q] = System.nanoTime() - start;
                    lists.add(Stream.of(hits).map(h -> new Fusion.Scored<>(h.doc, h.score)).toList());
                }
            }
            System.out.printf(Locale.ROOT, "HNSW %s: index %.1f MB (raw vectors .vec %.1f MB, graph .vex %.1f MB), built in"
                            + " %.1f s; kNN %d p50 %.2f ms, p99 %.2f ms%n", name, megabytes(dir, ""), megabytes(dir, ".vec"),
                    megabytes(dir, ".vex"), buildSeconds, CANDIDATES,
                    RetrievalBench.percentile(nanos, 50), RetrievalBench.percentile(nanos, 99));
            base.report(String.format(Locale.ROOT, "HNSW %s, fused with bm25 at dense %.2f", name, dense),
                    base.chunks(i -> RetrievalExperiments.convex(lists.get(i), base.baselines().get(i).bm25(), dense)));
        }
    }

    private static float[][] concatenated(float[][] a, float[][] b, float wa, float wb) {
        float[][] out = new float[a.length][];
        for (int d = 0; d < a.length; d++) {
            out[d] = concat(a[d], b[d], wa, wb);
        }
        return out;
    }

    /** {@code [wa * a, wb * b]}: a unit vector when a and b are and {@code wa² + wb² = 1}. */
    private static float[] concat(float[] a, float[] b, float wa, float wb) {
        float[] out = new float[a.length + b.length];
        for (int j = 0; j < a.length; j++) {
            out[j] = wa * a[j];
        }
        for (int j = 0; j < b.length; j++) {
            out[a.length + j] = wb * b[j];
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------- cost

    /** Embeds every query with both models, taking turns which goes first, and prints p50 / p99 of each. */
    private void queryLatency() {
        List<BeirDataset.Query> queries = base.data().queries();
        Embedder bge = BgeSmallEmbedder.shared();
        Embedder e5 = E5SmallEmbedder.shared();
        long[][] nanos = new long[2][queries.size()];
        for (int q = -WARMUP_QUERIES; q < queries.size(); q++) {
            String text = queries.get(Math.floorMod(q, queries.size())).text();
            boolean e5First = Math.floorMod(q, 2) == 0;
            long first = time(() -> (e5First ? e5 : bge).embedQuery(text));
            long second = time(() -> (e5First ? bge : e5).embedQuery(text));
            if (q >= 0) {
                nanos[0][q] = e5First ? second : first;
                nanos[1][q] = e5First ? first : second;
            }
        }
        long[] both = IntStream.range(0, queries.size()).mapToLong(q -> nanos[0][q] + nanos[1][q]).toArray();
        System.out.printf(Locale.ROOT, "query embedding, %d queries, one thread: bge p50 %.2f / p99 %.2f ms; e5 p50 %.2f /"
                        + " p99 %.2f ms; both one after the other p50 %.2f / p99 %.2f ms%n", queries.size(),
                RetrievalBench.percentile(nanos[0], 50), RetrievalBench.percentile(nanos[0], 99),
                RetrievalBench.percentile(nanos[1], 50), RetrievalBench.percentile(nanos[1], 99),
                RetrievalBench.percentile(both, 50), RetrievalBench.percentile(both, 99));
    }

    /** Every 8th chunk text, in blocks of 100 that each model embeds in turn (which goes first alternates). */
    private void passageThroughput() {
        List<String> sample = IntStream.range(0, passages.size()).filter(d -> d % 8 == 0).mapToObj(passages::get).toList();
        Embedder bge = BgeSmallEmbedder.shared();
        Embedder e5 = E5SmallEmbedder.shared();
        bge.embedAll(sample.subList(0, 20));
        e5.embedAll(sample.subList(0, 20));
        long bgeNanos = 0;
        long e5Nanos = 0;
        for (int start = 0, block = 0; start < sample.size(); start += BLOCK, block++) {
            List<String> texts = sample.subList(start, Math.min(sample.size(), start + BLOCK));
            boolean e5First = block % 2 == 0;
            long first = time(() -> (e5First ? e5 : bge).embedAll(texts));
            long second = time(() -> (e5First ? bge : e5).embedAll(texts));
            bgeNanos += e5First ? second : first;
            e5Nanos += e5First ? first : second;
        }
        TokenCounter tokens = BgeSmallEmbedder.wordPieceCounter();
        double meanTokens = sample.stream().mapToInt(tokens::count).average().orElse(0);
        System.out.printf(Locale.ROOT, "passages (%d chunk texts, %.0f tokens on average, one worker per core): bge %.2f/s,"
                        + " e5 %.2f/s%n", sample.size(), meanTokens, sample.size() / (bgeNanos / 1e9),
                sample.size() / (e5Nanos / 1e9));
    }

    private static long time(Runnable work) {
        long start = System.nanoTime();
        work.run();
        return System.nanoTime() - start;
    }

    // ---------------------------------------------------------------------------------------------- passages

    /** The text the product gave the embedder for each chunk (its {@link Chunk#embeddingText()}), by Lucene doc id. */
    private static List<String> passages(IndexSearcher searcher) throws IOException {
        StoredFields stored = searcher.storedFields();
        List<String> out = new ArrayList<>();
        for (int d = 0; d < searcher.getIndexReader().maxDoc(); d++) {
            Document doc = stored.document(d);
            out.add(new Chunk(new DocumentId(doc.get("documentId")), 0, doc.get("title"), doc.get("section"),
                    doc.get("text")).embeddingText());
        }
        return out;
    }

    /** bge re-embeds the first rebuilt texts: they must give back the stored vectors, or e5 would see other text. */
    private void checkPassages() {
        List<float[]> again = BgeSmallEmbedder.shared().embedAll(passages.subList(0, 16));
        double worst = IntStream.range(0, again.size())
                .mapToDouble(d -> VectorUtil.dotProduct(again.get(d), base.chunkVectors()[d])).min().orElse(0);
        if (worst < 0.999) {
            throw new IllegalStateException("rebuilt chunk texts differ from what was embedded (cosine " + worst + ")");
        }
        System.out.printf(Locale.ROOT, "rebuilt chunk texts: bge gives back the stored vectors (cosine >= %.5f)%n", worst);
    }

    /** Every chunk's e5 vector, read from the cache or embedded (and timed) and then cached. */
    private float[][] e5Chunks() throws IOException {
        Path cache = index.resolve(CACHE);
        if (Files.isRegularFile(cache)) {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(cache)))) {
                int n = in.readInt();
                int dimension = in.readInt();
                if (n == passages.size()) {
                    float[][] vectors = new float[n][dimension];
                    for (float[] v : vectors) {
                        for (int j = 0; j < dimension; j++) {
                            v[j] = in.readFloat();
                        }
                    }
                    System.out.printf(Locale.ROOT, "e5 chunk vectors read from %s%n", cache);
                    return vectors;
                }
            }
        }
        E5SmallEmbedder e5 = E5SmallEmbedder.shared();
        e5.embedAll(passages.subList(0, 20));
        List<float[]> vectors = new ArrayList<>(passages.size());
        long start = System.nanoTime();
        for (int from = 0; from < passages.size(); from += BLOCK) {
            vectors.addAll(e5.embedAll(passages.subList(from, Math.min(passages.size(), from + BLOCK))));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "e5 embedded %d chunks in %.1f s: %.2f passages/s%n", vectors.size(), seconds,
                vectors.size() / seconds);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(cache)))) {
            out.writeInt(vectors.size());
            out.writeInt(e5.dimension());
            for (float[] v : vectors) {
                for (float x : v) {
                    out.writeFloat(x);
                }
            }
        }
        return vectors.toArray(float[][]::new);
    }

    // -------------------------------------------------------------------------------------------------- files

    /** The size of a Lucene index's files whose names end with {@code suffix} ("" for all), in MB. */
    private static double megabytes(Path dir, String suffix) throws IOException {
        long bytes = 0;
        try (FSDirectory directory = FSDirectory.open(dir)) {
            for (String file : directory.listAll()) {
                bytes += file.endsWith(suffix) ? directory.fileLength(file) : 0;
            }
        }
        return bytes / 1e6;
    }
}
