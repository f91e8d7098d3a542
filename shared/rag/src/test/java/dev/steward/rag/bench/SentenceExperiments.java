package dev.steward.rag.bench;

import dev.steward.rag.chunk.Chunk;
import dev.steward.rag.embed.BgeSmallEmbedder;
import dev.steward.rag.retrieve.Fusion;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.util.VectorUtil;

/**
 * Does matching a query against each sentence of a chunk lift the default? SciFact's claims are usually supported by
 * one or two sentences of an abstract, and a chunk vector averages those with the rest. Every sentence of every chunk
 * is embedded with bge-small as the chunk was (title line, then the sentence) and a chunk's sentence score is its best
 * sentence's cosine with the query. Scored next to the default: the sentence score alone, a mix
 * {@code w cos_chunk + (1 - w) cos_best_sentence} fused with BM25 as the default fuses bge, and three-way fusion of
 * the chunk list, the sentence list and BM25. Sentence vectors are cached next to the index.
 *
 * <pre>SentenceExperiments --index DIR [--dataset DIR] [--split train|test]</pre>
 */
public final class SentenceExperiments {
    private static final int CANDIDATES = 300;
    private static final int MIN_SENTENCE = 20;

    private SentenceExperiments() {}

    public static void main(String[] args) throws IOException {
        ExperimentArgs parsed = ExperimentArgs.parse(args);
        Path dataset = parsed.dataset();
        Path index = parsed.index();
        String split = parsed.split();
        RetrievalExperiments base = new RetrievalExperiments(dataset, index, split);
        float[][][] sentences = sentenceVectors(base, index.resolve("bge-sentences.f32"));
        base.reportBaselines(split);
        int queries = base.baselines().size();
        float[][] chunkCos = new float[queries][];
        float[][] sentenceCos = new float[queries][];
        for (int q = 0; q < queries; q++) {
            float[] v = base.baselines().get(q).vector();
            chunkCos[q] = new float[sentences.length];
            sentenceCos[q] = new float[sentences.length];
            for (int d = 0; d < sentences.length; d++) {
                chunkCos[q][d] = VectorUtil.dotProduct(v, base.chunkVectors()[d]);
                float best = chunkCos[q][d];
                for (float[] s : sentences[d]) {
                    best = Math.max(best, VectorUtil.dotProduct(v, s));
                }
                sentenceCos[q][d] = best;
            }
        }
        List<List<Fusion.Scored<Integer>>> sentenceTop = tops(chunkCos, sentenceCos, 0);
        List<List<Fusion.Scored<Integer>>> chunkTop = tops(chunkCos, sentenceCos, 1);
        base.report("best sentence (or the chunk) alone", base.chunks(i -> RetrievalExperiments.asFused(sentenceTop.get(i))));
        String bestName = "";
        double bestMean = -1;
        for (int step = 0; step <= 9; step++) {
            double w = step / 10.0;
            List<List<Fusion.Scored<Integer>>> mixed = step == 0 ? sentenceTop : tops(chunkCos, sentenceCos, w);
            for (int d = 50; d <= 90; d += 5) {
                double weight = d / 100.0;
                String name = String.format(Locale.ROOT, "mix w %.1f, fused with bm25 at dense %.2f", w, weight);
                double mean = base.report(name, base.chunks(i -> RetrievalExperiments.convex(mixed.get(i), base.baselines().get(i).bm25(), weight)));
                if (mean > bestMean) {
                    bestMean = mean;
                    bestName = name;
                }
            }
        }
        for (int lexical = 20; lexical <= 45; lexical += 5) {
            for (int a = 5; a <= 95 - lexical; a += 10) {
                double[] weights = {a / 100.0, (100 - lexical - a) / 100.0, lexical / 100.0};
                String name = String.format(Locale.ROOT, "3-way: chunk %.2f, sentence %.2f, bm25 %.2f", weights[0], weights[1], weights[2]);
                double mean = base.report(name, base.chunks(i -> Fusion.convexCombination(
                        List.of(chunkTop.get(i), sentenceTop.get(i), base.baselines().get(i).bm25()), weights)));
                if (mean > bestMean) {
                    bestMean = mean;
                    bestName = name;
                }
            }
        }
        System.out.printf(Locale.ROOT, "best on this split: %.4f  %s%n", bestMean, bestName);
    }

    private static List<List<Fusion.Scored<Integer>>> tops(float[][] chunkCos, float[][] sentenceCos, double w) {
        return IntStream.range(0, chunkCos.length).mapToObj(q -> IntStream.range(0, chunkCos[q].length)
                        .mapToObj(d -> new Fusion.Scored<>(d, w * chunkCos[q][d] + (1 - w) * sentenceCos[q][d]))
                        .sorted(Comparator.comparingDouble(s -> -s.score()))
                        .limit(CANDIDATES)
                        .toList())
                .toList();
    }

    /** Per chunk (Lucene doc id), the vectors of its sentences: read from {@code cache}, or embedded and cached. */
    private static float[][][] sentenceVectors(RetrievalExperiments base, Path cache) throws IOException {
        StoredFields stored = base.searcher().storedFields();
        int chunks = base.chunkVectors().length;
        if (Files.isRegularFile(cache)) {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(cache)))) {
                if (in.readInt() == chunks) {
                    float[][][] out = new float[chunks][][];
                    for (int d = 0; d < chunks; d++) {
                        out[d] = new float[in.readInt()][384];
                        for (float[] v : out[d]) {
                            for (int k = 0; k < v.length; k++) {
                                v[k] = in.readFloat();
                            }
                        }
                    }
                    System.out.printf(Locale.ROOT, "sentence vectors read from %s%n", cache);
                    return out;
                }
            }
        }
        BgeSmallEmbedder bge = BgeSmallEmbedder.shared();
        float[][][] out = new float[chunks][][];
        long start = System.nanoTime();
        int total = 0;
        for (int d = 0; d < chunks; d++) {
            Document doc = stored.document(d);
            List<String> texts = new ArrayList<>();
            for (String s : sentences(doc.get("text"))) {
                texts.add(Chunk.withHeader(doc.get("title"), doc.get("section"), s));
            }
            out[d] = texts.size() <= 1 ? new float[0][] : bge.embedAll(texts).toArray(float[][]::new);
            total += out[d].length;
            if (d % 500 == 0) {
                System.out.printf(Locale.ROOT, "%d chunks, %d sentences, %.0f s%n", d, total, (System.nanoTime() - start) / 1e9);
            }
        }
        System.out.printf(Locale.ROOT, "embedded %d sentences of %d chunks in %.0f s%n", total, chunks, (System.nanoTime() - start) / 1e9);
        try (DataOutputStream o = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(cache)))) {
            o.writeInt(chunks);
            for (float[][] vs : out) {
                o.writeInt(vs.length);
                for (float[] v : vs) {
                    for (float x : v) {
                        o.writeFloat(x);
                    }
                }
            }
        }
        return out;
    }

    /** A chunk's sentences; a piece shorter than {@value #MIN_SENTENCE} characters joins the next. */
    private static List<String> sentences(String text) {
        BreakIterator it = BreakIterator.getSentenceInstance(Locale.ROOT);
        it.setText(text);
        List<String> out = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (int start = it.first(), end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
            pending.append(text, start, end);
            if (pending.toString().strip().length() >= MIN_SENTENCE) {
                out.add(pending.toString().strip());
                pending.setLength(0);
            }
        }
        if (!pending.toString().isBlank()) {
            out.add(pending.toString().strip());
        }
        return out;
    }
}
