package dev.steward.rag.bench;

import dev.steward.rag.embed.JarModelEmbedder;
import dev.steward.rag.retrieve.Fusion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.util.VectorUtil;

/**
 * Learned fusion (BENCHMARK.md, "Fifth round"): a linear learning-to-rank model over a handful of per-document
 * features of the default's candidates, trained on the train qrels, against the default convex fusion. Candidates
 * are the documents of the union of the dense and BM25 top-300 chunk lists; a document counts at its best chunk, as
 * the metrics do. Features: the default's fused score, the min-max normalised dense and BM25 scores, the raw cosines
 * of int8 bge, fp32 bge and e5 (exact, over the document's chunks, second-model vectors read from the caches
 * {@link EnsembleExperiments} keeps next to the index), reciprocal ranks and presence in each list, the share of the
 * query's terms the document contains, BM25 times the log of the query length, the document's chunk count and whether
 * its best chunk is its first.
 *
 * <pre>
 * LearnedFusionExperiments --index DIR [--dataset DIR] [--split train|test]
 * </pre>
 *
 * {@code --split train} estimates each model by 5-fold cross-validation by query on train. {@code --split test} fits
 * the pairwise model on every train query, prints its weights and scores test once.
 */
public final class LearnedFusionExperiments {
    private static final int FOLDS = 5;
    private static final long SEED = 20261124L;
    /** L2 penalties tried by cross-validation on train; the first is every model's, the others the pairwise one's. */
    private static final double[] PENALTIES = {1e-3, 1e-2, 1e-1, 1};
    /** The model with the best cross-validated train nDCG@10: pairwise over all candidates, all features, L2 0.01. */
    private static final double CHOSEN_L2 = 1e-2;
    private static final int HEAD = 30;
    static final List<String> FEATURES = List.of("default fused score", "dense (min-max)", "bm25 (min-max)",
            "cos int8 bge", "cos fp32 bge", "cos e5", "1/rank dense", "1/rank bm25", "in dense", "in bm25",
            "query terms matched", "bm25 x log query terms", "log chunks", "best chunk first");
    /** Features a product could compute without a second model (no fp32 bge, no e5 cosine). */
    private static final int[] ONE_MODEL = {0, 1, 2, 3, 6, 7, 8, 9, 10, 11, 12, 13};

    /** One candidate document of a query: its best fused chunk, features and relevance. */
    record Candidate(int chunk, double[] x, boolean relevant) {}

    /** A split's queries as candidate lists, and the default's per-query nDCG@10. */
    record Split(RetrievalExperiments base, List<List<Candidate>> queries, double[] reference) {}

    /** The ways a linear model is fitted. */
    enum Loss { PAIRWISE_ALL, PAIRWISE_HEAD, POINTWISE }

    public static void main(String[] args) throws IOException {
        ExperimentArgs parsed = ExperimentArgs.parse(args);
        Path dataset = parsed.dataset();
        Path index = parsed.index();
        String split = parsed.split();
        Split train = load(dataset, index, "train");
        if (split.equals("train")) {
            crossValidate(train);
        } else {
            Split test = load(dataset, index, split);
            Model model = Model.fit(train.queries(), allFeatures(), Loss.PAIRWISE_ALL, CHOSEN_L2);
            model.print();
            RetrievalExperiments.compare("learned fusion, pairwise, all features, L2 " + CHOSEN_L2 + ", fitted on all train queries",
                    ndcg(test, model), test.reference());
        }
    }

    private static int[] allFeatures() {
        return IntStream.range(0, FEATURES.size()).toArray();
    }

    /** Each model's 5-fold cross-validated nDCG@10 against the default on the same train queries. */
    private static void crossValidate(Split train) {
        int[] fold = folds(train.queries().size());
        RetrievalExperiments.compare("default (reference)", train.reference(), train.reference());
        RetrievalExperiments.compare("ranked by the default fused score feature alone (sanity: the default)",
                ndcg(train, new Model(new int[] {0}, new double[] {0}, new double[] {1}, new double[] {1})),
                train.reference());
        for (Loss loss : Loss.values()) {
            cv(train, fold, allFeatures(), loss, PENALTIES[0], "all features");
        }
        cv(train, fold, ONE_MODEL, Loss.PAIRWISE_ALL, PENALTIES[0], "without fp32 bge and e5");
        for (double l2 : Arrays.copyOfRange(PENALTIES, 1, PENALTIES.length)) {
            cv(train, fold, allFeatures(), Loss.PAIRWISE_ALL, l2, "all features");
        }
    }

    /** Each of n queries' fold (0 to 4): a shuffle with the fixed seed, dealt round-robin (the sixth round reuses it). */
    static int[] folds(int n) {
        List<Integer> order = new ArrayList<>(IntStream.range(0, n).boxed().toList());
        Collections.shuffle(order, new Random(SEED));
        int[] fold = new int[n];
        for (int i = 0; i < n; i++) {
            fold[order.get(i)] = i % FOLDS;
        }
        return fold;
    }

    private static void cv(Split train, int[] fold, int[] features, Loss loss, double l2, String name) {
        double[] out = new double[fold.length];
        for (int f = 0; f < FOLDS; f++) {
            int held = f;
            List<List<Candidate>> fit = IntStream.range(0, fold.length).filter(q -> fold[q] != held)
                    .mapToObj(train.queries()::get).toList();
            double[] scored = ndcg(train, Model.fit(fit, features, loss, l2));
            for (int q = 0; q < fold.length; q++) {
                if (fold[q] == held) {
                    out[q] = scored[q];
                }
            }
        }
        RetrievalExperiments.compare("5-fold CV, " + loss.name().toLowerCase(Locale.ROOT) + ", L2 " + l2 + ", " + name, out,
                train.reference());
    }

    /** Per-query nDCG@10 of the split's candidates ranked by the model (a document at its best fused chunk). */
    private static double[] ndcg(Split split, Model model) {
        return split.base().chunks(q -> split.queries().get(q).stream()
                .map(c -> new Fusion.Fused<>(c.chunk(), model.score(c.x())))
                .sorted(Comparator.comparingDouble(h -> -h.score()))
                .toList());
    }

    // ------------------------------------------------------------------------------------------------ features

    private static Split load(Path dataset, Path index, String split) throws IOException {
        RetrievalExperiments base = new RetrievalExperiments(dataset, index, split);
        int chunks = base.chunkVectors().length;
        float[][] fp32 = vectors(index, JarModelEmbedder.Model.BGE_SMALL_FP32, chunks);
        float[][] e5 = vectors(index, JarModelEmbedder.Model.E5_SMALL_V2_Q, chunks);
        Map<String, List<Integer>> chunksOf = new HashMap<>();
        for (int d = 0; d < chunks; d++) {
            chunksOf.computeIfAbsent(base.documentOf(d), k -> new ArrayList<>()).add(d);
        }
        List<Set<String>> terms = analysedChunks(base);
        JarModelEmbedder fp32Model = JarModelEmbedder.shared(JarModelEmbedder.Model.BGE_SMALL_FP32);
        JarModelEmbedder e5Model = JarModelEmbedder.shared(JarModelEmbedder.Model.E5_SMALL_V2_Q);
        List<List<Candidate>> queries = new ArrayList<>();
        long[] nanos = new long[base.baselines().size()];
        for (int q = 0; q < base.baselines().size(); q++) {
            RetrievalExperiments.Baseline b = base.baselines().get(q);
            BeirDataset.Query query = base.data().queries().get(q);
            Map<String, Integer> relevance = base.data().qrels().get(query.id());
            float[][] queryVectors = {b.vector(), fp32Model.embedQuery(query.text()), e5Model.embedQuery(query.text())};
            float[][][] chunkVectors = {base.chunkVectors(), fp32, e5};
            long start = System.nanoTime();
            Map<String, Double> dense = normalisedBest(b.dense(), base);
            Map<String, Double> bm25 = normalisedBest(b.bm25(), base);
            Map<String, Integer> denseRank = ranks(dense);
            Map<String, Integer> bm25Rank = ranks(bm25);
            Map<String, Fusion.Fused<Integer>> fused = new LinkedHashMap<>();
            b.fused().forEach(h -> fused.putIfAbsent(base.documentOf(h.item()), h));
            List<Candidate> candidates = new ArrayList<>();
            for (Map.Entry<String, Fusion.Fused<Integer>> e : fused.entrySet()) {
                String doc = e.getKey();
                List<Integer> own = chunksOf.get(doc);
                double[] x = new double[FEATURES.size()];
                x[0] = e.getValue().score();
                x[1] = dense.getOrDefault(doc, 0.0);
                x[2] = bm25.getOrDefault(doc, 0.0);
                for (int m = 0; m < 3; m++) {
                    x[3 + m] = bestCosine(queryVectors[m], chunkVectors[m], own);
                }
                x[6] = denseRank.containsKey(doc) ? 1.0 / denseRank.get(doc) : 0;
                x[7] = bm25Rank.containsKey(doc) ? 1.0 / bm25Rank.get(doc) : 0;
                x[8] = dense.containsKey(doc) ? 1 : 0;
                x[9] = bm25.containsKey(doc) ? 1 : 0;
                x[10] = matched(b.terms(), own, terms);
                x[11] = x[2] * Math.log(1 + b.terms().size());
                x[12] = Math.log(own.size());
                x[13] = e.getValue().item().equals(own.getFirst()) ? 1 : 0;
                candidates.add(new Candidate(e.getValue().item(), x, relevance.getOrDefault(doc, 0) > 0));
            }
            nanos[q] = System.nanoTime() - start;
            queries.add(candidates);
        }
        System.out.printf(Locale.ROOT, "%s: %.0f candidate documents a query on average; features (given the query vectors"
                        + " and both lists) p50 %.3f / p99 %.3f ms a query%n", split,
                queries.stream().mapToInt(List::size).average().orElse(0), RetrievalBench.percentile(nanos, 50),
                RetrievalBench.percentile(nanos, 99));
        double[] reference = base.chunks(i -> base.baselines().get(i).fused());
        return new Split(base, queries, reference);
    }

    private static float[][] vectors(Path index, JarModelEmbedder.Model model, int chunks) throws IOException {
        float[][] vectors = EnsembleExperiments.cachedVectors(EnsembleExperiments.cacheOf(index, model), chunks);
        if (vectors == null) {
            throw new IllegalStateException("no cached " + model.label() + " chunk vectors next to " + index
                    + ": run EnsembleExperiments --model " + model.label() + " first");
        }
        return vectors;
    }

    /** Each document's best min-max normalised score in one list (as the default normalises it). */
    private static Map<String, Double> normalisedBest(List<Fusion.Scored<Integer>> list, RetrievalExperiments base) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (list.isEmpty()) {
            return out;
        }
        double max = list.getFirst().score();
        double min = list.getLast().score();
        for (Fusion.Scored<Integer> s : list) {
            out.putIfAbsent(base.documentOf(s.item()), max > min ? (s.score() - min) / (max - min) : 1.0);
        }
        return out;
    }

    /** A document's rank (from 1) in a list in descending order. */
    private static Map<String, Integer> ranks(Map<String, Double> ordered) {
        Map<String, Integer> out = new HashMap<>();
        for (String doc : ordered.keySet()) {
            out.put(doc, out.size() + 1);
        }
        return out;
    }

    private static double bestCosine(float[] query, float[][] vectors, List<Integer> chunks) {
        double best = -1;
        for (int d : chunks) {
            best = Math.max(best, VectorUtil.dotProduct(query, vectors[d]));
        }
        return best;
    }

    private static double matched(List<String> queryTerms, List<Integer> chunks, List<Set<String>> terms) {
        if (queryTerms.isEmpty()) {
            return 0;
        }
        long hits = queryTerms.stream().filter(t -> chunks.stream().anyMatch(d -> terms.get(d).contains(t))).count();
        return (double) hits / queryTerms.size();
    }

    /** Each chunk's analysed terms over its title, section and text (the fields BM25 searches). */
    private static List<Set<String>> analysedChunks(RetrievalExperiments base) throws IOException {
        StoredFields stored = base.searcher().storedFields();
        List<Set<String>> out = new ArrayList<>();
        for (int d = 0; d < base.chunkVectors().length; d++) {
            Document doc = stored.document(d);
            out.add(Set.copyOf(base.termFrequencies(doc.get("title") + "\n" + doc.get("section") + "\n"
                    + doc.get("text")).keySet()));
        }
        return out;
    }

    // --------------------------------------------------------------------------------------------------- model

    /**
     * A linear scorer over standardised features: {@code sum w_j (x_j - mean_j) / sd_j}. Fitted by Newton's method on
     * an L2-regularised logistic loss, each query weighing the same: pairwise (relevant against non-relevant
     * candidates, all of them or those in the default's top 30) or pointwise (relevant or not).
     */
    record Model(int[] features, double[] mean, double[] sd, double[] w) {
        double score(double[] x) {
            double s = 0;
            for (int j = 0; j < features.length; j++) {
                s += w[j] * (x[features[j]] - mean[j]) / sd[j];
            }
            return s;
        }

        void print() {
            System.out.println("weights (standardised feature: weight, mean, sd):");
            for (int j = 0; j < features.length; j++) {
                System.out.printf(Locale.ROOT, "  %-24s %+.4f  (mean %.4f, sd %.4f)%n", FEATURES.get(features[j]), w[j],
                        mean[j], sd[j]);
            }
        }

        static Model fit(List<List<Candidate>> queries, int[] features, Loss loss, double l2) {
            int k = features.length;
            double[] mean = new double[k];
            double[] sd = new double[k];
            long rows = queries.stream().mapToLong(List::size).sum();
            for (List<Candidate> q : queries) {
                for (Candidate c : q) {
                    for (int j = 0; j < k; j++) {
                        mean[j] += c.x()[features[j]] / rows;
                    }
                }
            }
            for (List<Candidate> q : queries) {
                for (Candidate c : q) {
                    for (int j = 0; j < k; j++) {
                        sd[j] += Math.pow(c.x()[features[j]] - mean[j], 2) / rows;
                    }
                }
            }
            for (int j = 0; j < k; j++) {
                sd[j] = sd[j] > 0 ? Math.sqrt(sd[j]) : 1;
            }
            List<List<double[]>> examples = new ArrayList<>(); // per query: rows z with target 1 (pairs: z = a - b)
            List<List<Double>> targets = new ArrayList<>();
            for (List<Candidate> q : queries) {
                List<double[]> z = new ArrayList<>();
                List<Double> y = new ArrayList<>();
                if (loss == Loss.POINTWISE) {
                    for (Candidate c : q) {
                        z.add(standardise(c.x(), features, mean, sd, true));
                        y.add(c.relevant() ? 1.0 : 0.0);
                    }
                } else {
                    List<Candidate> negatives = (loss == Loss.PAIRWISE_HEAD ? q.subList(0, Math.min(HEAD, q.size())) : q)
                            .stream().filter(c -> !c.relevant()).toList();
                    for (Candidate pos : q) {
                        if (!pos.relevant()) {
                            continue;
                        }
                        double[] a = standardise(pos.x(), features, mean, sd, false);
                        for (Candidate neg : negatives) {
                            double[] b = standardise(neg.x(), features, mean, sd, false);
                            double[] d = new double[k];
                            for (int j = 0; j < k; j++) {
                                d[j] = a[j] - b[j];
                            }
                            z.add(d);
                            y.add(1.0);
                        }
                    }
                }
                if (!z.isEmpty()) {
                    examples.add(z);
                    targets.add(y);
                }
            }
            int dim = loss == Loss.POINTWISE ? k + 1 : k; // pointwise has an intercept (last), pairs cannot
            double[] w = newton(examples, targets, dim, l2);
            return new Model(features, mean, sd, Arrays.copyOf(w, k));
        }

        private static double[] standardise(double[] x, int[] features, double[] mean, double[] sd, boolean intercept) {
            double[] z = new double[features.length + (intercept ? 1 : 0)];
            for (int j = 0; j < features.length; j++) {
                z[j] = (x[features[j]] - mean[j]) / sd[j];
            }
            if (intercept) {
                z[features.length] = 1;
            }
            return z;
        }

        /** Minimises mean over queries of the mean logistic loss of its rows, plus l2 / 2 |w|², by Newton steps. */
        private static double[] newton(List<List<double[]>> examples, List<List<Double>> targets, int dim, double l2) {
            double[] w = new double[dim];
            for (int iteration = 0; iteration < 30; iteration++) {
                double[] g = new double[dim];
                double[][] h = new double[dim][dim];
                for (int j = 0; j < dim; j++) {
                    g[j] = l2 * w[j];
                    h[j][j] = l2;
                }
                for (int q = 0; q < examples.size(); q++) {
                    List<double[]> z = examples.get(q);
                    double share = 1.0 / (examples.size() * z.size());
                    for (int r = 0; r < z.size(); r++) {
                        double[] x = z.get(r);
                        double p = 1 / (1 + Math.exp(-dot(w, x)));
                        double e = (p - targets.get(q).get(r)) * share;
                        double v = p * (1 - p) * share;
                        for (int a = 0; a < dim; a++) {
                            g[a] += e * x[a];
                            for (int b = 0; b <= a; b++) {
                                h[a][b] += v * x[a] * x[b];
                            }
                        }
                    }
                }
                for (int a = 0; a < dim; a++) {
                    for (int b = a + 1; b < dim; b++) {
                        h[a][b] = h[b][a];
                    }
                }
                double[] step = new CholeskyDecomposition(new Array2DRowRealMatrix(h, false)).getSolver()
                        .solve(new ArrayRealVector(g, false)).toArray();
                double size = 0;
                for (int j = 0; j < dim; j++) {
                    w[j] -= step[j];
                    size = Math.max(size, Math.abs(step[j]));
                }
                if (size < 1e-8) {
                    break;
                }
            }
            return w;
        }

        private static double dot(double[] a, double[] b) {
            double s = 0;
            for (int j = 0; j < a.length; j++) {
                s += a[j] * b[j];
            }
            return s;
        }
    }
}
