package dev.steward.rag.bench;

import dev.steward.rag.embed.BgeSmallEmbedder;
import dev.steward.rag.index.EnglishAnalysis;
import dev.steward.rag.index.LexicalQuery;
import dev.steward.rag.retrieve.Fusion;
import dev.steward.rag.retrieve.RetrievalStrategy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.VectorUtil;

/**
 * The record of the retrieval ideas tried against the default fusion (BENCHMARK.md, "Second round"): reads a Lucene
 * index that {@link RetrievalBench} built with {@code --index DIR}, and scores each idea's document-level nDCG@10 on
 * one split next to the default ({@code ScoreFusion(300, 0.65, ANY)}), with its standard error and the paired
 * standard error of the difference. Ideas: dense pseudo-relevance feedback (Rocchio on the chunk vectors), RM3
 * expansion of the BM25 query, term-pair proximity clauses, document-level aggregation of chunk scores, and
 * query-adaptive fusion weights. {@link EnsembleExperiments} builds on it for a second dense model.
 *
 * <pre>
 * RetrievalExperiments --index DIR [--dataset DIR] [--split train|test] [--only dprf,rm3,proximity,aggregation,adaptive]
 * </pre>
 *
 * An experiment, not the product: the searches are Lucene's, built here the way {@code LuceneChunkIndex} builds them
 * (same fields, boosts and analysis), so that weighted and positional queries can be tried without changing the
 * {@code ChunkSearcher} interface first. Tune with {@code --split train}; score test once per finished candidate.
 */
public final class RetrievalExperiments {
    private static final int CANDIDATES = 300;
    private static final double DENSE_WEIGHT = 0.65;

    private final BeirDataset data;
    private final IndexSearcher searcher;
    /** Per Lucene doc id: the collection's document id, the chunk vector, the chunk text. */
    private final String[] documentOf;
    private final float[][] vectors;
    private final String[] texts;
    private final List<Baseline> queries = new ArrayList<>();
    private final Analyzer analyzer = EnglishAnalysis.analyzer();
    private double[] reference;

    /** A query's bge vector, terms and the default's two candidate lists and fused ranking. */
    record Baseline(float[] vector, List<String> terms, List<Fusion.Scored<Integer>> dense,
            List<Fusion.Scored<Integer>> bm25, List<Fusion.Fused<Integer>> fused) {}

    /** Reads the index and runs the default's two searches for every query of the split. */
    RetrievalExperiments(Path dataset, Path index, String split) throws IOException {
        data = BeirDataset.load(dataset, split);
        DirectoryReader reader = DirectoryReader.open(FSDirectory.open(index.resolve(RetrievalBench.TENANT.value())));
        searcher = new IndexSearcher(reader);
        int n = reader.maxDoc();
        documentOf = new String[n];
        vectors = new float[n][];
        texts = new String[n];
        for (LeafReaderContext leaf : reader.leaves()) {
            FloatVectorValues values = leaf.reader().getFloatVectorValues("vector");
            KnnVectorValues.DocIndexIterator it = values.iterator();
            for (int d = it.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = it.nextDoc()) {
                vectors[leaf.docBase + d] = values.vectorValue(it.index()).clone();
            }
        }
        StoredFields stored = searcher.storedFields();
        for (int d = 0; d < n; d++) {
            var doc = stored.document(d);
            documentOf[d] = data.corpus().get(Integer.parseInt(doc.get("documentId").substring("doc_".length()))).id();
            texts[d] = doc.get("text");
        }
        BgeSmallEmbedder bge = BgeSmallEmbedder.shared();
        for (BeirDataset.Query q : data.queries()) {
            float[] vector = VectorUtil.l2normalize(bge.embedQuery(q.text()).clone());
            List<String> terms = LexicalQuery.parse(q.text(), RetrievalStrategy.TermMatch.ANY).terms();
            List<Fusion.Scored<Integer>> dense = nearest(vector);
            List<Fusion.Scored<Integer>> bm25 = lexical(uniform(terms), List.of(), 0, 0);
            queries.add(new Baseline(vector, terms, dense, bm25, convex(dense, bm25, DENSE_WEIGHT)));
        }
    }

    public static void main(String[] args) throws IOException {
        Path dataset = Path.of("../shared/datasets/scifact");
        Path index = null;
        String split = "train";
        String only = "dprf,rm3,proximity,aggregation,adaptive";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--dataset" -> dataset = Path.of(args[i + 1]);
                case "--index" -> index = Path.of(args[i + 1]);
                case "--split" -> split = args[i + 1];
                case "--only" -> only = args[i + 1];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (index == null) {
            throw new IllegalArgumentException("--index DIR (built by RetrievalBench --index DIR) is required");
        }
        RetrievalExperiments run = new RetrievalExperiments(dataset, index, split);
        run.reportBaselines(split);
        for (String name : only.split(",")) {
            switch (name) {
                case "dprf" -> run.densePrf();
                case "rm3" -> run.rm3();
                case "proximity" -> run.proximity();
                case "aggregation" -> run.aggregation();
                case "adaptive" -> run.adaptive();
                default -> throw new IllegalArgumentException("unknown experiment " + name);
            }
        }
    }

    /** Prints the header and the rows every comparison starts from: the default (the reference), dense, BM25. */
    void reportBaselines(String split) {
        System.out.printf(Locale.ROOT, "%d %s queries, %d chunks; nDCG@10 (difference to the default ± its standard error)%n",
                queries.size(), split, texts.length);
        report("default: convex 0.65 over 300", chunks(i -> queries.get(i).fused()));
        report("dense", chunks(i -> asFused(queries.get(i).dense())));
        report("bm25", chunks(i -> asFused(queries.get(i).bm25())));
    }

    /** The split's queries in the dataset's order, each with the default's searches. */
    List<Baseline> baselines() {
        return queries;
    }

    /** The bge vector of each chunk, by Lucene doc id. */
    float[][] chunkVectors() {
        return vectors;
    }

    IndexSearcher searcher() {
        return searcher;
    }

    /** The collection's document id of a chunk (a Lucene doc id). */
    String documentOf(int chunk) {
        return documentOf[chunk];
    }

    BeirDataset data() {
        return data;
    }

    // ------------------------------------------------------------------------------------------------ ideas

    /** Rocchio on vectors: q' = q + beta * mean(top-k vectors), searched again; fused as (dense', bm25) or 3-way. */
    private void densePrf() throws IOException {
        for (int k : new int[] {3, 5, 10}) {
            for (double beta : new double[] {0.25, 0.5, 1.0}) {
                List<List<Fusion.Scored<Integer>>> again = new ArrayList<>();
                for (Baseline q : queries) {
                    again.add(nearest(rocchio(q.vector(), items(q.fused()).subList(0, k), beta)));
                }
                String name = "dense PRF from the fused top " + k + ", beta " + beta;
                report(name + ": convex(dense', bm25) 0.65", chunks(i -> convex(again.get(i), queries.get(i).bm25(), DENSE_WEIGHT)));
                report(name + ": convex(dense, dense', bm25) .35/.30/.35", chunks(i -> Fusion.convexCombination(
                        List.of(queries.get(i).dense(), again.get(i), queries.get(i).bm25()), new double[] {.35, .30, .35})));
            }
        }
    }

    /** RM3: the top-k fused chunks' term distribution (weighted by fused score), n terms, mixed with the query's. */
    private void rm3() throws IOException {
        for (int k : new int[] {3, 5, 10}) {
            for (int terms : new int[] {10, 20, 40}) {
                for (double original : new double[] {0.5, 0.7, 0.85}) {
                    List<List<Fusion.Scored<Integer>>> expanded = new ArrayList<>();
                    for (Baseline q : queries) {
                        expanded.add(lexical(rm3Weights(q, k, terms, original), List.of(), 0, 0));
                    }
                    report("RM3 top " + k + ", " + terms + " terms, original weight " + original + ": convex 0.65",
                            chunks(i -> convex(queries.get(i).dense(), expanded.get(i), DENSE_WEIGHT)));
                }
            }
        }
    }

    /** Sequential-dependence style: each adjacent pair of query terms as a sloppy phrase clause of weight lambda. */
    private void proximity() throws IOException {
        for (int slop : new int[] {1, 3, 8}) {
            for (double lambda : new double[] {0.1, 0.25, 0.5, 1.0}) {
                List<List<Fusion.Scored<Integer>>> withPairs = new ArrayList<>();
                for (Baseline q : queries) {
                    withPairs.add(lexical(uniform(q.terms()), q.terms(), slop, lambda));
                }
                report("term pairs, slop " + slop + ", weight " + lambda + ": convex 0.65",
                        chunks(i -> convex(queries.get(i).dense(), withPairs.get(i), DENSE_WEIGHT)));
            }
        }
    }

    /** A document scores its best chunk's fused score plus lambda times its second best (or the sum of the rest). */
    private void aggregation() {
        for (double lambda : new double[] {0.05, 0.1, 0.2, 0.5}) {
            for (boolean rest : new boolean[] {false, true}) {
                report("document = best chunk + " + lambda + " x " + (rest ? "the other chunks" : "the second chunk"),
                        documents(i -> aggregate(queries.get(i).fused(), lambda, rest)));
            }
        }
    }

    /**
     * Query-adaptive weight: each retriever's weight is scaled by how far its top score stands above the mean of its
     * top m (as a share of its score range), so the retriever that is surer of its first hit counts more.
     */
    private void adaptive() {
        for (int m : new int[] {5, 10, 30}) {
            report("adaptive weight, top " + m, chunks(i -> {
                Baseline q = queries.get(i);
                double d = DENSE_WEIGHT * standout(q.dense(), m);
                double b = (1 - DENSE_WEIGHT) * standout(q.bm25(), m);
                return convex(q.dense(), q.bm25(), d + b > 0 ? d / (d + b) : DENSE_WEIGHT);
            }));
        }
    }

    // ---------------------------------------------------------------------------------------------- pieces

    private float[] rocchio(float[] query, List<Integer> feedback, double beta) {
        float[] out = query.clone();
        for (int d : feedback) {
            for (int j = 0; j < out.length; j++) {
                out[j] += (float) (beta * vectors[d][j] / feedback.size());
            }
        }
        return VectorUtil.l2normalize(out);
    }

    private Map<String, Double> rm3Weights(Baseline q, int k, int n, double original) {
        List<Fusion.Fused<Integer>> top = q.fused().subList(0, Math.min(k, q.fused().size()));
        double total = top.stream().mapToDouble(Fusion.Fused::score).sum();
        Map<String, Double> model = new HashMap<>();
        for (Fusion.Fused<Integer> hit : top) {
            Map<String, Integer> tf = termFrequencies(texts[hit.item()]);
            int length = tf.values().stream().mapToInt(Integer::intValue).sum();
            tf.forEach((t, f) -> model.merge(t, hit.score() / total * f / length, Double::sum));
        }
        List<Map.Entry<String, Double>> best = new ArrayList<>(model.entrySet());
        best.sort(Map.Entry.comparingByValue(Comparator.reverseOrder()));
        best = best.subList(0, Math.min(n, best.size()));
        double mass = best.stream().mapToDouble(Map.Entry::getValue).sum();
        Map<String, Double> weights = new LinkedHashMap<>();
        q.terms().forEach(t -> weights.merge(t, original / q.terms().size(), Double::sum));
        best.forEach(e -> weights.merge(e.getKey(), (1 - original) * e.getValue() / mass, Double::sum));
        return weights;
    }

    /** How often each term occurs in {@code text} under the index's analysis. */
    Map<String, Integer> termFrequencies(String text) {
        Map<String, Integer> tf = new HashMap<>();
        try (TokenStream stream = analyzer.tokenStream("text", text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                tf.merge(term.toString(), 1, Integer::sum);
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tf;
    }

    private List<String> aggregate(List<Fusion.Fused<Integer>> fused, double lambda, boolean rest) {
        Map<String, double[]> byDocument = new LinkedHashMap<>(); // best, second, sum of the others
        for (Fusion.Fused<Integer> hit : fused) {
            double[] s = byDocument.get(documentOf[hit.item()]);
            if (s == null) {
                byDocument.put(documentOf[hit.item()], new double[] {hit.score(), 0, 0});
            } else {
                s[1] = s[1] == 0 ? hit.score() : s[1];
                s[2] += hit.score();
            }
        }
        return byDocument.entrySet().stream()
                .sorted(Comparator.comparingDouble(e -> -(e.getValue()[0] + lambda * e.getValue()[rest ? 2 : 1])))
                .map(Map.Entry::getKey)
                .toList();
    }

    private static double standout(List<Fusion.Scored<Integer>> list, int m) {
        if (list.size() < 2) {
            return 0;
        }
        double top = list.getFirst().score();
        double range = top - list.getLast().score();
        double mean = list.subList(0, Math.min(m, list.size())).stream().mapToDouble(Fusion.Scored::score).average().orElse(top);
        return range > 0 ? (top - mean) / range : 0;
    }

    static List<Fusion.Fused<Integer>> convex(List<Fusion.Scored<Integer>> dense, List<Fusion.Scored<Integer>> bm25, double w) {
        return Fusion.convexCombination(List.of(dense, bm25), new double[] {w, 1 - w});
    }

    private static Map<String, Double> uniform(List<String> terms) {
        Map<String, Double> weights = new LinkedHashMap<>();
        terms.forEach(t -> weights.put(t, 1.0));
        return weights;
    }

    private List<Fusion.Scored<Integer>> nearest(float[] vector) throws IOException {
        return search(new KnnFloatVectorQuery("vector", vector, CANDIDATES));
    }

    /** BM25 over text, section and title with the product's boosts, each term weighted; plus sloppy term pairs. */
    private List<Fusion.Scored<Integer>> lexical(Map<String, Double> weights, List<String> pairs, int slop, double pairWeight)
            throws IOException {
        BooleanQuery.Builder all = new BooleanQuery.Builder();
        weights.forEach((term, weight) -> {
            BooleanQuery.Builder fields = new BooleanQuery.Builder();
            fields.add(new TermQuery(new Term("text", term)), BooleanClause.Occur.SHOULD);
            fields.add(new BoostQuery(new TermQuery(new Term("section", term)), LexicalQuery.SECTION_BOOST), BooleanClause.Occur.SHOULD);
            fields.add(new BoostQuery(new TermQuery(new Term("title", term)), LexicalQuery.TITLE_BOOST), BooleanClause.Occur.SHOULD);
            all.add(new BoostQuery(fields.build(), weight.floatValue()), BooleanClause.Occur.SHOULD);
        });
        for (int j = 0; j + 1 < pairs.size(); j++) {
            all.add(new BoostQuery(new PhraseQuery(slop, "text", pairs.get(j), pairs.get(j + 1)), (float) pairWeight),
                    BooleanClause.Occur.SHOULD);
        }
        return search(all.build());
    }

    private List<Fusion.Scored<Integer>> search(Query query) throws IOException {
        List<Fusion.Scored<Integer>> out = new ArrayList<>();
        for (ScoreDoc hit : searcher.search(query, CANDIDATES).scoreDocs) {
            out.add(new Fusion.Scored<>(hit.doc, hit.score));
        }
        return out;
    }

    private static List<Integer> items(List<Fusion.Fused<Integer>> fused) {
        return fused.stream().map(Fusion.Fused::item).toList();
    }

    static List<Fusion.Fused<Integer>> asFused(List<Fusion.Scored<Integer>> scored) {
        return scored.stream().map(s -> new Fusion.Fused<>(s.item(), s.score())).toList();
    }

    // --------------------------------------------------------------------------------------------- scoring

    /** Per-query nDCG@10 of a chunk ranking read as the bench does (its first 30 chunks, a document at its best). */
    double[] chunks(IntFunction<List<Fusion.Fused<Integer>>> ranking) {
        return documents(i -> ranking.apply(i).stream()
                .limit(RetrievalBench.RANKING_CHUNKS)
                .map(hit -> documentOf[hit.item()])
                .toList());
    }

    private double[] documents(IntFunction<List<String>> ranking) {
        double[] ndcg = new double[queries.size()];
        for (int i = 0; i < ndcg.length; i++) {
            BeirDataset.Query q = data.queries().get(i);
            ndcg[i] = RetrievalMetrics.ndcg(RetrievalMetrics.documentRanking(ranking.apply(i), q.id()), data.qrels().get(q.id()), 10);
        }
        return ndcg;
    }

    /**
     * Prints the mean with its standard error, and the mean paired difference to the first ranking reported with
     * the standard error of that difference.
     *
     * @return the mean
     */
    double report(String name, double[] ndcg) {
        if (reference == null) {
            reference = ndcg;
        }
        return compare(name, ndcg, reference);
    }

    /**
     * Prints the mean with its standard error, and the mean paired difference to {@code reference} (another
     * ranking's per-query nDCG@10 on the same queries) with the standard error of that difference.
     *
     * @return the mean
     */
    static double compare(String name, double[] ndcg, double[] reference) {
        double mean = 0;
        double diff = 0;
        for (int i = 0; i < ndcg.length; i++) {
            mean += ndcg[i] / ndcg.length;
            diff += (ndcg[i] - reference[i]) / ndcg.length;
        }
        double var = 0;
        double varDiff = 0;
        for (int i = 0; i < ndcg.length; i++) {
            var += Math.pow(ndcg[i] - mean, 2) / Math.max(1, ndcg.length - 1);
            varDiff += Math.pow(ndcg[i] - reference[i] - diff, 2) / Math.max(1, ndcg.length - 1);
        }
        System.out.printf(Locale.ROOT, "%.4f ± %.4f  (%+.4f ± %.4f)  %s%n", mean, Math.sqrt(var / ndcg.length), diff,
                Math.sqrt(varDiff / ndcg.length), name);
        System.out.flush();
        return mean;
    }
}
