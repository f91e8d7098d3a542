package dev.steward.rag.bench;

import dev.steward.core.knowledge.DocumentId;
import dev.steward.rag.chunk.Chunk;
import dev.steward.rag.chunk.TokenCounter;
import dev.steward.rag.embed.BgeSmallEmbedder;
import dev.steward.rag.embed.Embedder;
import dev.steward.rag.embed.JarModelEmbedder;
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
 * Does a second dense model lift the hybrid default, or replace bge-small-q in it? (BENCHMARK.md, "Third round" for
 * e5-small-v2, "Fourth round" for full-precision bge-small.) Reads the index {@link RetrievalBench} kept with
 * {@code --index DIR}, embeds every chunk with the second model ({@code --model}, a {@link JarModelEmbedder.Model}
 * label; the text bge was given, rebuilt from the stored title, section and text; cached per model in
 * {@code DIR/<model file>.f32} so the next split does not embed them again) and scores, on one split, next to the
 * default:
 * <ul>
 *   <li>the second model alone, and fused with BM25 exactly as the default fuses bge (convex combination of min-max
 *       scores, 300 candidates a side) at dense weights 0.50 to 0.90;</li>
 *   <li>unless {@code --no-ensemble}: the ensemble, one dense list ranked by {@code w cos_bge + (1 - w) cos_2}, which
 *       is the inner product of the concatenated unit vectors {@code [sqrt(w) bge, sqrt(1 - w) v2]} (one
 *       768-dimension kNN field), fused with BM25 the same way ({@code w = 1} is bge alone), and three-way score
 *       fusion of a bge list, a second-model list and BM25.</li>
 * </ul>
 * The grids rank by exact inner products over every chunk (for bge, HNSW returns 99.2 % of the exact top 300 and
 * fuses within 0.0005 of it). {@code --hnsw W,D} then builds the HNSW index of one setting (768 dimensions, or the
 * second model's 384 when {@code W} is 0) and scores it as the product would search it, with its size and kNN latency
 * next to a 384-dimension bge index built the same way. Query embedding latency of both models, the second model's
 * file size and the resident memory it adds are always measured; {@code --measure} adds passage throughput, the two
 * models taking turns over the same chunk texts.
 *
 * <pre>
 * EnsembleExperiments --index DIR [--model e5|bge-fp32] [--no-ensemble] [--dataset DIR] [--split train|test]
 *                     [--measure] [--hnsw W,D]
 * </pre>
 *
 * Choose on {@code --split train}; run {@code --split test} once, with the chosen setting.
 */
public final class EnsembleExperiments {
    private static final int CANDIDATES = 300;
    private static final int WARMUP_QUERIES = 50;
    private static final int BLOCK = 100;

    private final RetrievalExperiments base;
    private final Path index;
    /** The second model, its embedder, and the name rows give it. */
    private final JarModelEmbedder.Model model;
    private final JarModelEmbedder second;
    private final String label;
    /** Per Lucene doc id: the text the product embedded, and its second-model vector. */
    private final List<String> passages;
    private final float[][] secondChunks;
    /** Per query: the query's second-model vector, and its cosine with every chunk under each model. */
    private final List<float[]> secondQueries = new ArrayList<>();
    private final float[][] bgeCosines;
    private final float[][] secondCosines;

    private EnsembleExperiments(Path dataset, Path index, String split, JarModelEmbedder.Model model) throws IOException {
        this.base = new RetrievalExperiments(dataset, index, split);
        this.index = index;
        this.passages = passages(base.searcher());
        checkPassages();
        long rssBefore = residentMegabytes();
        this.model = model;
        this.second = JarModelEmbedder.shared(model);
        this.label = model.label();
        this.secondChunks = secondChunks();
        for (BeirDataset.Query q : base.data().queries()) {
            secondQueries.add(second.embedQuery(q.text()));
        }
        System.out.printf(Locale.ROOT, "%s: model file %.1f MB; resident memory %d MB before loading it, %d MB after"
                        + " loading it and embedding the queries%n", model.file(), second.modelBytes() / 1e6, rssBefore,
                residentMegabytes());
        int queries = base.baselines().size();
        bgeCosines = new float[queries][];
        secondCosines = new float[queries][];
        for (int q = 0; q < queries; q++) {
            bgeCosines[q] = cosines(base.baselines().get(q).vector(), base.chunkVectors());
            secondCosines[q] = cosines(secondQueries.get(q), secondChunks);
        }
    }

    public static void main(String[] args) throws IOException {
        Path dataset = Path.of("../shared/datasets/scifact");
        Path index = null;
        String split = "train";
        boolean measure = false;
        boolean ensemble = true;
        JarModelEmbedder.Model model = JarModelEmbedder.Model.E5_SMALL_V2_Q;
        double[] hnsw = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dataset" -> dataset = Path.of(args[++i]);
                case "--index" -> index = Path.of(args[++i]);
                case "--split" -> split = args[++i];
                case "--measure" -> measure = true;
                case "--model" -> model = JarModelEmbedder.Model.byLabel(args[++i]);
                case "--no-ensemble" -> ensemble = false;
                case "--hnsw" -> hnsw = Stream.of(args[++i].split(",")).mapToDouble(Double::parseDouble).toArray();
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (index == null) {
            throw new IllegalArgumentException("--index DIR (built by RetrievalBench --index DIR) is required");
        }
        EnsembleExperiments run = new EnsembleExperiments(dataset, index, split, model);
        run.queryLatency();
        if (measure) {
            run.passageThroughput();
        }
        run.base.reportBaselines(split);
        run.grids(ensemble);
        if (hnsw != null) {
            run.hnsw(hnsw[0], hnsw[1]);
        }
    }

    // ------------------------------------------------------------------------------------------------ grids

    /**
     * The second model alone and fused with BM25 at every dense weight; then, with {@code ensemble}, every ensemble
     * weight with every dense weight and the three-way fusions. Prints the best fused row of the second model with
     * BM25, and of everything scored.
     */
    private void grids(boolean ensemble) {
        List<List<Fusion.Scored<Integer>>> other = exactTops(0);
        List<List<Fusion.Scored<Integer>>> bge = exactTops(1);
        double[] bgeAlone = base.chunks(i -> RetrievalExperiments.asFused(bge.get(i)));
        double[] otherAlone = base.chunks(i -> RetrievalExperiments.asFused(other.get(i)));
        base.report("bge alone (exact)", bgeAlone);
        base.report(label + " alone (exact)", otherAlone);
        RetrievalExperiments.compare(label + " alone (exact); in brackets: the difference to bge alone (exact)", otherAlone, bgeAlone);
        Best best = fusedWithBm25(label + " (exact)", other);
        System.out.printf(Locale.ROOT, "best %s + bm25 on this split: %.4f  %s%n", label, best.mean, best.name);
        if (!ensemble) {
            return;
        }
        for (int step = 1; step <= 10; step++) {
            double w = step / 10.0;
            List<List<Fusion.Scored<Integer>>> lists = step == 10 ? bge : exactTops(w);
            String name = String.format(Locale.ROOT, "ensemble w %.1f (exact)", w);
            base.report("dense only: " + name, base.chunks(i -> RetrievalExperiments.asFused(lists.get(i))));
            best.offer(fusedWithBm25(name, lists));
        }
        for (int lexical = 10; lexical <= 50; lexical += 5) {
            for (int a = 5; a <= 95 - lexical; a += 5) {
                double[] weights = {a / 100.0, (100 - lexical - a) / 100.0, lexical / 100.0};
                String name = String.format(Locale.ROOT, "3-way: bge %.2f, %s %.2f, bm25 %.2f (exact)", weights[0], label,
                        weights[1], weights[2]);
                best.offer(name, base.report(name, base.chunks(i -> Fusion.convexCombination(
                        List.of(bge.get(i), other.get(i), base.baselines().get(i).bm25()), weights))));
            }
        }
        System.out.printf(Locale.ROOT, "best fused setting on this split: %.4f  %s%n", best.mean, best.name);
    }

    /** Each query's dense list at ensemble weight {@code w} (0: the second model alone, 1: bge alone). */
    private List<List<Fusion.Scored<Integer>>> exactTops(double w) {
        return IntStream.range(0, base.baselines().size()).mapToObj(q -> exactTop(q, w)).toList();
    }

    /** One dense list per query fused with BM25 as the default fuses bge, dense weights 0.50 to 0.90; the best row. */
    private Best fusedWithBm25(String name, List<List<Fusion.Scored<Integer>>> dense) {
        Best best = new Best();
        for (int d = 50; d <= 90; d += 5) {
            double weight = d / 100.0;
            String row = String.format(Locale.ROOT, "%s, fused with bm25 at dense %.2f", name, weight);
            best.offer(row, base.report(row, base.chunks(i -> RetrievalExperiments.convex(dense.get(i),
                    base.baselines().get(i).bm25(), weight))));
        }
        return best;
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

        void offer(Best other) {
            offer(other.name, other.mean);
        }
    }

    /** The 300 chunks with the highest {@code w cos_bge + (1 - w) cos_2}, by an exact scan of every chunk. */
    private List<Fusion.Scored<Integer>> exactTop(int q, double w) {
        float[] bge = bgeCosines[q];
        float[] other = secondCosines[q];
        return IntStream.range(0, bge.length)
                .mapToObj(d -> new Fusion.Scored<>(d, w * bge[d] + (1 - w) * other[d]))
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
     * Builds HNSW indexes of bge's chunk vectors (384 dimensions) and of one setting's (ensemble weight w: 768
     * dimensions, or the second model's 384 alone when w is 0) the same way (Lucene's default codec, one segment, no
     * compound file), and reports their sizes, build times, kNN latency and nDCG@10 fused with BM25 at dense weight
     * {@code dense}.
     */
    private void hnsw(double w, double dense) throws IOException {
        float[][] bge = base.chunkVectors();
        knnIndex("bge alone, 384 dims", "bge", bge, q -> base.baselines().get(q).vector(), 0.65);
        if (w == 0) {
            knnIndex(label + " alone, 384 dims", label, secondChunks, secondQueries::get, dense);
        } else {
            float wb = (float) Math.sqrt(w);
            float we = (float) Math.sqrt(1 - w);
            knnIndex(String.format(Locale.ROOT, "ensemble w %.2f, 768 dims", w), "ensemble", concatenated(bge, secondChunks, wb, we),
                    q -> concat(base.baselines().get(q).vector(), secondQueries.get(q), wb, we), dense);
        }
        System.out.printf(Locale.ROOT, "the product's index of this corpus (stored text, postings, 384-dim HNSW): %.1f MB%n",
                megabytes(index.resolve(RetrievalBench.TENANT.value()), ""));
    }

    private void knnIndex(String name, String dirName, float[][] vectors, IntFunction<float[]> query, double dense)
            throws IOException {
        Path dir = index.resolve("hnsw-" + dirName);
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
        long[][] nanos = new long[2][queries.size()];
        for (int q = -WARMUP_QUERIES; q < queries.size(); q++) {
            String text = queries.get(Math.floorMod(q, queries.size())).text();
            boolean secondFirst = Math.floorMod(q, 2) == 0;
            long first = time(() -> (secondFirst ? second : bge).embedQuery(text));
            long then = time(() -> (secondFirst ? bge : second).embedQuery(text));
            if (q >= 0) {
                nanos[0][q] = secondFirst ? then : first;
                nanos[1][q] = secondFirst ? first : then;
            }
        }
        long[] both = IntStream.range(0, queries.size()).mapToLong(q -> nanos[0][q] + nanos[1][q]).toArray();
        System.out.printf(Locale.ROOT, "query embedding, %d queries, one thread: bge p50 %.2f / p99 %.2f ms; %s p50 %.2f /"
                        + " p99 %.2f ms; both one after the other p50 %.2f / p99 %.2f ms%n", queries.size(),
                RetrievalBench.percentile(nanos[0], 50), RetrievalBench.percentile(nanos[0], 99), label,
                RetrievalBench.percentile(nanos[1], 50), RetrievalBench.percentile(nanos[1], 99),
                RetrievalBench.percentile(both, 50), RetrievalBench.percentile(both, 99));
    }

    /** Every 8th chunk text, in blocks of 100 that each model embeds in turn (which goes first alternates). */
    private void passageThroughput() {
        List<String> sample = IntStream.range(0, passages.size()).filter(d -> d % 8 == 0).mapToObj(passages::get).toList();
        Embedder bge = BgeSmallEmbedder.shared();
        bge.embedAll(sample.subList(0, 20));
        second.embedAll(sample.subList(0, 20));
        long bgeNanos = 0;
        long secondNanos = 0;
        for (int start = 0, block = 0; start < sample.size(); start += BLOCK, block++) {
            List<String> texts = sample.subList(start, Math.min(sample.size(), start + BLOCK));
            boolean secondFirst = block % 2 == 0;
            long first = time(() -> (secondFirst ? second : bge).embedAll(texts));
            long then = time(() -> (secondFirst ? bge : second).embedAll(texts));
            bgeNanos += secondFirst ? then : first;
            secondNanos += secondFirst ? first : then;
        }
        TokenCounter tokens = BgeSmallEmbedder.wordPieceCounter();
        double meanTokens = sample.stream().mapToInt(tokens::count).average().orElse(0);
        System.out.printf(Locale.ROOT, "passages (%d chunk texts, %.0f tokens on average, one worker per core): bge %.2f/s,"
                        + " %s %.2f/s%n", sample.size(), meanTokens, sample.size() / (bgeNanos / 1e9), label,
                sample.size() / (secondNanos / 1e9));
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

    /** bge re-embeds the first rebuilt texts: they must give back the stored vectors, or the second model would see other text. */
    private void checkPassages() {
        List<float[]> again = BgeSmallEmbedder.shared().embedAll(passages.subList(0, 16));
        double worst = IntStream.range(0, again.size())
                .mapToDouble(d -> VectorUtil.dotProduct(again.get(d), base.chunkVectors()[d])).min().orElse(0);
        if (worst < 0.999) {
            throw new IllegalStateException("rebuilt chunk texts differ from what was embedded (cosine " + worst + ")");
        }
        System.out.printf(Locale.ROOT, "rebuilt chunk texts: bge gives back the stored vectors (cosine >= %.5f)%n", worst);
    }

    /** Every chunk's second-model vector, read from the model's cache or embedded (and timed) and then cached. */
    private float[][] secondChunks() throws IOException {
        Path cache = cacheOf(index, model);
        float[][] cached = cachedVectors(cache, passages.size());
        if (cached != null) {
            System.out.printf(Locale.ROOT, "%s chunk vectors read from %s%n", label, cache);
            return cached;
        }
        second.embedAll(passages.subList(0, 20));
        List<float[]> vectors = new ArrayList<>(passages.size());
        long start = System.nanoTime();
        for (int from = 0; from < passages.size(); from += BLOCK) {
            vectors.addAll(second.embedAll(passages.subList(from, Math.min(passages.size(), from + BLOCK))));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "%s embedded %d chunks in %.1f s: %.2f passages/s%n", label, vectors.size(), seconds,
                vectors.size() / seconds);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(cache)))) {
            out.writeInt(vectors.size());
            out.writeInt(second.dimension());
            for (float[] v : vectors) {
                for (float x : v) {
                    out.writeFloat(x);
                }
            }
        }
        return vectors.toArray(float[][]::new);
    }

    /** Where a model's chunk vectors are cached next to the index. */
    static Path cacheOf(Path index, JarModelEmbedder.Model model) {
        return index.resolve(model.file() + ".f32");
    }

    /** The chunk vectors cached in {@code cache}, or null when there is none for {@code chunks} chunks. */
    static float[][] cachedVectors(Path cache, int chunks) throws IOException {
        if (!Files.isRegularFile(cache)) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(cache)))) {
            int n = in.readInt();
            int dimension = in.readInt();
            if (n != chunks) {
                return null;
            }
            float[][] vectors = new float[n][dimension];
            for (float[] v : vectors) {
                for (int j = 0; j < dimension; j++) {
                    v[j] = in.readFloat();
                }
            }
            return vectors;
        }
    }

    // -------------------------------------------------------------------------------------------------- files

    /** This process's resident set size ({@code VmRSS} of {@code /proc/self/status}), in MB; -1 where there is none. */
    private static long residentMegabytes() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return -1;
        }
        try (Stream<String> lines = Files.lines(status)) {
            return lines.filter(l -> l.startsWith("VmRSS:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024)
                    .findFirst().orElse(-1);
        }
    }

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
