package dev.steward.rag.bench;

import dev.steward.rag.retrieve.Fusion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.util.VectorUtil;

/**
 * A query-side linear adapter (BENCHMARK.md, "Sixth round"): the query's bge vector q becomes q' = normalize(W q), W a
 * 384 x 384 matrix started at the identity and fitted on the train qrels by Adam on a several-positive InfoNCE loss over
 * each query's candidate chunks (the dense top 300 under q, every chunk of its relevant documents, 100 random chunks),
 * plus lambda ||W - I||². The chunk vectors stay as indexed; q' is searched by the index's HNSW graph (300 candidates)
 * and fused with BM25 exactly as the default fuses.
 *
 * <pre>
 * AdapterExperiments --index DIR [--dataset DIR] [--split train|test]
 * </pre>
 *
 * {@code --split train} estimates each lambda by 5-fold cross-validation by query on train (the fifth round's folds).
 * {@code --split test} fits the chosen lambda on every train query and scores test once, dense alone and fused.
 */
public final class AdapterExperiments {
    private static final int FOLDS = 5;
    /** Seeds the random negatives and the minibatch order (the folds are the fifth round's, from its own seed). */
    private static final long SEED = 20261124L;
    private static final int CANDIDATES = 300;
    private static final double DENSE_WEIGHT = 0.65;
    private static final int RANDOM_NEGATIVES = 100;
    private static final double TEMPERATURE = 0.02;
    private static final double LEARNING_RATE = 1e-3;
    private static final int BATCH = 16;
    private static final int EPOCHS = 20;
    private static final double[] PENALTIES = {0.01, 0.1, 1};
    /** The lambda with the best cross-validated train nDCG@10 (set after the train run; see BENCHMARK.md). */
    private static final double CHOSEN_L2 = 0.01;

    /** A query's training example: its vector, candidate chunks and which of them are positives. */
    record Example(float[] query, int[] chunks, boolean[] positive) {}

    private final RetrievalExperiments base;
    private final int dim;

    private AdapterExperiments(RetrievalExperiments base) {
        this.base = base;
        this.dim = base.chunkVectors()[0].length;
    }

    public static void main(String[] args) throws IOException {
        ExperimentArgs parsed = ExperimentArgs.parse(args);
        Path dataset = parsed.dataset();
        Path index = parsed.index();
        String split = parsed.split();
        AdapterExperiments train = new AdapterExperiments(new RetrievalExperiments(dataset, index, "train"));
        List<Example> examples = train.examples();
        if (split.equals("train")) {
            train.crossValidate(examples);
        } else {
            if (Double.isNaN(CHOSEN_L2)) {
                throw new IllegalStateException("choose lambda on train first (CHOSEN_L2)");
            }
            long start = System.nanoTime();
            double[] w = train.fit(examples, CHOSEN_L2);
            System.out.printf(Locale.ROOT, "fitted on all %d train queries in %.1f s, ||W - I||_F %.4f%n", examples.size(),
                    (System.nanoTime() - start) / 1e9, distanceToIdentity(w));
            AdapterExperiments test = new AdapterExperiments(new RetrievalExperiments(dataset, index, split));
            double[][] scored = test.score(w, "lambda " + CHOSEN_L2 + ", fitted on all train queries", q -> true);
            test.byOverlap(scored, test.overlaps(train.relevantDocuments(q -> true)), "a train query's relevant document");
            test.measure(w);
        }
    }

    /** Each lambda's 5-fold cross-validated nDCG@10 (dense alone and fused) against the default on the same queries. */
    private void crossValidate(List<Example> examples) {
        int n = examples.size();
        int[] fold = LearnedFusionExperiments.folds(n);
        score(identity(), "W = I (sanity: the default)", q -> true);
        double[] w0 = identity();
        boolean[] seen = new boolean[n]; // held-out query shares a relevant document with a query of its training folds
        for (int f = 0; f < FOLDS; f++) {
            int held = f;
            boolean[] overlap = overlaps(relevantDocuments(q -> fold[q] != held));
            for (int q = 0; q < n; q++) {
                seen[q] |= fold[q] == held && overlap[q];
            }
        }
        for (double l2 : PENALTIES) {
            double[] dense = new double[n];
            double[] fused = new double[n];
            long start = System.nanoTime();
            for (int f = 0; f < FOLDS; f++) {
                int held = f;
                List<Example> fit = IntStream.range(0, n).filter(q -> fold[q] != held).mapToObj(examples::get).toList();
                double[] w = fit(fit, l2);
                System.out.printf(Locale.ROOT, "  lambda %s fold %d: training loss %.4f -> %.4f, ||W - I||_F %.4f%n", l2, f,
                        loss(fit, w0), loss(fit, w), distanceToIdentity(w));
                double[][] scored = ndcg(w, q -> fold[q] == held);
                for (int q = 0; q < n; q++) {
                    if (fold[q] == held) {
                        dense[q] = scored[0][q];
                        fused[q] = scored[1][q];
                    }
                }
            }
            System.out.printf(Locale.ROOT, "  (5 fits in %.1f s)%n", (System.nanoTime() - start) / 1e9);
            RetrievalExperiments.compare("5-fold CV, adapted dense alone, lambda " + l2 + " (against the default dense)",
                    dense, denseReference());
            RetrievalExperiments.compare("5-fold CV, adapted dense + BM25, convex 0.65, lambda " + l2, fused, fusedReference());
            byOverlap(new double[][] {dense, fused}, seen, "a relevant document of a query in its training folds");
        }
    }

    /** Prints dense-alone and fused nDCG@10 of W on the selected queries, against the default's on the same. */
    private double[][] score(double[] w, String name, java.util.function.IntPredicate selected) {
        double[][] scored = ndcg(w, selected);
        RetrievalExperiments.compare("default dense (reference)", denseReference(), denseReference());
        RetrievalExperiments.compare("adapted dense alone, " + name, scored[0], denseReference());
        RetrievalExperiments.compare("default: convex 0.65 (reference)", fusedReference(), fusedReference());
        RetrievalExperiments.compare("adapted dense + BM25, convex 0.65, " + name, scored[1], fusedReference());
        return scored;
    }

    /** The documents relevant to the selected queries of this split. */
    private Set<String> relevantDocuments(java.util.function.IntPredicate selected) {
        Set<String> out = new java.util.HashSet<>();
        for (int q = 0; q < base.baselines().size(); q++) {
            if (selected.test(q)) {
                base.data().qrels().get(base.data().queries().get(q).id()).forEach((doc, grade) -> {
                    if (grade > 0) {
                        out.add(doc);
                    }
                });
            }
        }
        return out;
    }

    /** Per query of this split: whether one of its relevant documents is in {@code documents}. */
    private boolean[] overlaps(Set<String> documents) {
        boolean[] out = new boolean[base.baselines().size()];
        for (int q = 0; q < out.length; q++) {
            out[q] = base.data().qrels().get(base.data().queries().get(q).id()).entrySet().stream()
                    .anyMatch(e -> e.getValue() > 0 && documents.contains(e.getKey()));
        }
        return out;
    }

    /**
     * A diagnostic added after the first cross-validated figures (not part of the rule): the dense [0] and fused [1]
     * differences, separately for the queries that share a relevant document with the queries W was fitted on and
     * for those that do not.
     */
    private void byOverlap(double[][] scored, boolean[] shares, String what) {
        double[][] references = {denseReference(), fusedReference()};
        String[] names = {"dense alone", "dense + BM25"};
        for (boolean side : new boolean[] {true, false}) {
            int[] picked = IntStream.range(0, shares.length).filter(q -> shares[q] == side).toArray();
            for (int r = 0; r < 2; r++) {
                double[] a = new double[picked.length];
                double[] b = new double[picked.length];
                for (int i = 0; i < picked.length; i++) {
                    a[i] = scored[r][picked[i]];
                    b[i] = references[r][picked[i]];
                }
                RetrievalExperiments.compare("    " + names[r] + ", " + picked.length + " queries " + (side ? "sharing " : "not sharing ")
                        + what, a, b);
            }
        }
    }

    private double[] denseReference() {
        return base.chunks(i -> RetrievalExperiments.asFused(base.baselines().get(i).dense()));
    }

    private double[] fusedReference() {
        return base.chunks(i -> base.baselines().get(i).fused());
    }

    /** Per-query nDCG@10 of the adapted dense list alone [0] and fused with BM25 [1]; 0 for queries not selected. */
    private double[][] ndcg(double[] w, java.util.function.IntPredicate selected) {
        int n = base.baselines().size();
        List<List<Fusion.Scored<Integer>>> dense = new ArrayList<>();
        for (int q = 0; q < n; q++) {
            dense.add(selected.test(q) ? nearest(adapt(w, base.baselines().get(q).vector())) : List.of());
        }
        double[] alone = base.chunks(q -> RetrievalExperiments.asFused(dense.get(q)));
        double[] fused = base.chunks(q -> selected.test(q)
                ? RetrievalExperiments.convex(dense.get(q), base.baselines().get(q).bm25(), DENSE_WEIGHT) : List.of());
        return new double[][] {alone, fused};
    }

    private List<Fusion.Scored<Integer>> nearest(float[] vector) {
        try {
            List<Fusion.Scored<Integer>> out = new ArrayList<>();
            for (ScoreDoc hit : base.searcher().search(new KnnFloatVectorQuery("vector", vector, CANDIDATES), CANDIDATES).scoreDocs) {
                out.add(new Fusion.Scored<>(hit.doc, hit.score));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------------------------------------ training

    /** One example per train query that has a relevant chunk: dense top 300, its relevant chunks, random chunks. */
    private List<Example> examples() {
        float[][] vectors = base.chunkVectors();
        Map<String, List<Integer>> chunksOf = new HashMap<>();
        for (int d = 0; d < vectors.length; d++) {
            chunksOf.computeIfAbsent(base.documentOf(d), k -> new ArrayList<>()).add(d);
        }
        Random random = new Random(SEED);
        List<Example> out = new ArrayList<>();
        for (int q = 0; q < base.baselines().size(); q++) {
            RetrievalExperiments.Baseline b = base.baselines().get(q);
            Map<String, Integer> relevance = base.data().qrels().get(base.data().queries().get(q).id());
            Set<Integer> candidates = new LinkedHashSet<>();
            relevance.forEach((doc, grade) -> {
                if (grade > 0) {
                    candidates.addAll(chunksOf.getOrDefault(doc, List.of()));
                }
            });
            b.dense().forEach(s -> candidates.add(s.item()));
            for (int r = 0; r < RANDOM_NEGATIVES; r++) {
                candidates.add(random.nextInt(vectors.length));
            }
            int[] chunks = candidates.stream().mapToInt(Integer::intValue).toArray();
            boolean[] positive = new boolean[chunks.length];
            boolean any = false;
            for (int i = 0; i < chunks.length; i++) {
                positive[i] = relevance.getOrDefault(base.documentOf(chunks[i]), 0) > 0;
                any |= positive[i];
            }
            // every example is kept in the list so that indices match the queries; one without positives adds no loss
            out.add(new Example(b.vector(), chunks, positive));
            if (!any) {
                System.out.println("query " + q + " has no relevant chunk in the index");
            }
        }
        return out;
    }

    private static double[] identity() {
        int d = 384;
        double[] w = new double[d * d];
        for (int j = 0; j < d; j++) {
            w[j * d + j] = 1;
        }
        return w;
    }

    /** Adam from W = I: EPOCHS passes in minibatches of BATCH queries (order shuffled each epoch, fixed seed). */
    private double[] fit(List<Example> examples, double l2) {
        int size = dim * dim;
        double[] w = identity();
        double[] m = new double[size];
        double[] v = new double[size];
        double[] g = new double[size];
        Random random = new Random(SEED);
        List<Integer> order = new ArrayList<>(IntStream.range(0, examples.size()).boxed().toList());
        int step = 0;
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            Collections.shuffle(order, random);
            for (int from = 0; from < order.size(); from += BATCH) {
                List<Integer> batch = order.subList(from, Math.min(order.size(), from + BATCH));
                java.util.Arrays.fill(g, 0);
                for (int e : batch) {
                    accumulate(examples.get(e), w, g, 1.0 / batch.size());
                }
                step++;
                double c1 = 1 - Math.pow(0.9, step);
                double c2 = 1 - Math.pow(0.999, step);
                for (int j = 0; j < dim; j++) {
                    for (int k = 0; k < dim; k++) {
                        int a = j * dim + k;
                        double grad = g[a] + 2 * l2 * (w[a] - (j == k ? 1 : 0));
                        m[a] = 0.9 * m[a] + 0.1 * grad;
                        v[a] = 0.999 * v[a] + 0.001 * grad * grad;
                        w[a] -= LEARNING_RATE * (m[a] / c1) / (Math.sqrt(v[a] / c2) + 1e-8);
                    }
                }
            }
        }
        return w;
    }

    /** Mean InfoNCE loss over the examples (without the penalty). */
    private double loss(List<Example> examples, double[] w) {
        double total = 0;
        for (Example e : examples) {
            total += accumulate(e, w, null, 0);
        }
        return total / examples.size();
    }

    /**
     * One query's loss, mean over its positives p of -log(exp(z_p) / (exp(z_p) + sum_n exp(z_n))), z = cos(W q, c) / t;
     * adds {@code share} times its gradient with respect to W into {@code g} when g is not null.
     */
    private double accumulate(Example e, double[] w, double[] g, double share) {
        float[][] vectors = base.chunkVectors();
        double[] raw = new double[dim];
        for (int j = 0; j < dim; j++) {
            double s = 0;
            for (int k = 0; k < dim; k++) {
                s += w[j * dim + k] * e.query()[k];
            }
            raw[j] = s;
        }
        double norm = Math.sqrt(dot(raw, raw));
        double[] u = new double[dim];
        for (int j = 0; j < dim; j++) {
            u[j] = raw[j] / norm;
        }
        int n = e.chunks().length;
        double[] z = new double[n];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float[] c = vectors[e.chunks()[i]];
            double s = 0;
            for (int j = 0; j < dim; j++) {
                s += u[j] * c[j];
            }
            z[i] = s / TEMPERATURE;
            max = Math.max(max, z[i]);
        }
        double negatives = 0;
        int positives = 0;
        for (int i = 0; i < n; i++) {
            if (e.positive()[i]) {
                positives++;
            } else {
                negatives += Math.exp(z[i] - max);
            }
        }
        if (positives == 0) {
            return 0;
        }
        double loss = 0;
        double[] dz = new double[n];
        double negativeShare = 0; // sum over positives of 1 / D_p
        for (int i = 0; i < n; i++) {
            if (e.positive()[i]) {
                double own = Math.exp(z[i] - max);
                double denominator = own + negatives;
                loss += (Math.log(denominator) - (z[i] - max)) / positives;
                dz[i] = (own / denominator - 1) / positives;
                negativeShare += 1 / denominator;
            }
        }
        if (g == null) {
            return loss;
        }
        double[] du = new double[dim];
        for (int i = 0; i < n; i++) {
            double d = e.positive()[i] ? dz[i] : Math.exp(z[i] - max) * negativeShare / positives;
            d /= TEMPERATURE;
            float[] c = vectors[e.chunks()[i]];
            for (int j = 0; j < dim; j++) {
                du[j] += d * c[j];
            }
        }
        double along = dot(u, du);
        for (int j = 0; j < dim; j++) {
            double dRaw = (du[j] - u[j] * along) / norm * share;
            for (int k = 0; k < dim; k++) {
                g[j * dim + k] += dRaw * e.query()[k];
            }
        }
        return loss;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
        }
        return s;
    }

    private static double distanceToIdentity(double[] w) {
        int d = (int) Math.sqrt(w.length);
        double s = 0;
        for (int j = 0; j < d; j++) {
            for (int k = 0; k < d; k++) {
                s += Math.pow(w[j * d + k] - (j == k ? 1 : 0), 2);
            }
        }
        return Math.sqrt(s);
    }

    /** q' = normalize(W q) in float, as a product would compute it (W's rows as float vectors). */
    private float[] adapt(double[] w, float[] query) {
        return adapt(rows(w), query);
    }

    private static float[][] rows(double[] w) {
        int d = (int) Math.sqrt(w.length);
        float[][] rows = new float[d][d];
        for (int j = 0; j < d; j++) {
            for (int k = 0; k < d; k++) {
                rows[j][k] = (float) w[j * d + k];
            }
        }
        return rows;
    }

    private static float[] adapt(float[][] rows, float[] query) {
        float[] out = new float[rows.length];
        for (int j = 0; j < rows.length; j++) {
            out[j] = VectorUtil.dotProduct(rows[j], query);
        }
        return VectorUtil.l2normalize(out);
    }

    /** Times q' = normalize(W q) per query on one thread (after a warm-up), as a product would compute it. */
    private void measure(double[] w) {
        float[][] rows = rows(w);
        List<RetrievalExperiments.Baseline> queries = base.baselines();
        float sink = 0;
        for (int r = 0; r < 200; r++) {
            for (RetrievalExperiments.Baseline b : queries) {
                sink += adapt(rows, b.vector())[0];
            }
        }
        long[] nanos = new long[queries.size() * 3];
        for (int r = 0; r < 3; r++) {
            for (int q = 0; q < queries.size(); q++) {
                long start = System.nanoTime();
                sink += adapt(rows, queries.get(q).vector())[0];
                nanos[r * queries.size() + q] = System.nanoTime() - start;
            }
        }
        System.out.printf(Locale.ROOT, "adapter q' = normalize(W q), one thread, %d samples: p50 %.4f / p99 %.4f ms (%s)%n",
                nanos.length, RetrievalBench.percentile(nanos, 50), RetrievalBench.percentile(nanos, 99), sink != 0 ? "ok" : "0");
    }
}
