package dev.steward.guardrails.bench;

import dev.steward.guardrails.learn.LabeledText;
import dev.steward.guardrails.learn.Splits;
import dev.steward.guardrails.toxicity.ToxicityClassifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Toxicity evaluation: Davidson sample split 70/30 stratified with seed 42; the Jigsaw sample is a smoke check. */
final class ToxicityEval {
    static final long SEED = 42;

    record Confusion(int tp, int fp, int fn, int tn) {
        double precision() {
            return tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        }

        double recall() {
            return tp + fn == 0 ? 0 : (double) tp / (tp + fn);
        }

        double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }

        /** F1 of the non-toxic class: the figure that shows whether the model does better than "all toxic". */
        double negativeF1() {
            return new Confusion(tn, fn, fp, tp).f1();
        }

        int total() {
            return tp + fp + fn + tn;
        }
    }

    record Result(Confusion test, Confusion allToxicBaseline, Confusion jigsaw, int train, ToxicityClassifier classifier,
                  long trainMillis) {}

    /** The Davidson sample in {@code dir} (the {@code toxicity} folder), split into training and held-out parts. */
    static Splits.Split<LabeledText> split(Path dir) {
        List<LabeledText> all = Jsonl.read(dir.resolve("davidson_sample.jsonl")).stream()
                .map(r -> new LabeledText(r.path("text").asText(), r.path("toxic").asInt() == 1)).toList();
        return Splits.stratified(all, LabeledText::positive, 0.3, SEED);
    }

    /** The classifier the benchmark reports on, trained on {@code train} only. */
    static ToxicityClassifier train(List<LabeledText> train) {
        return ToxicityClassifier.train(train, SEED);
    }

    static Result run(Path dir) {
        var split = split(dir);
        long t0 = System.nanoTime();
        ToxicityClassifier classifier = train(split.train());
        long trainMillis = (System.nanoTime() - t0) / 1_000_000;
        Confusion test = evaluate(classifier, split.test());
        int pos = (int) split.test().stream().filter(LabeledText::positive).count();
        Confusion baseline = new Confusion(pos, split.test().size() - pos, 0, 0);
        Confusion jigsaw = null;
        Path jigsawFile = dir.resolve("jigsaw_ibm_sample.jsonl");
        if (Files.exists(jigsawFile)) {
            jigsaw = evaluate(classifier, Jsonl.read(jigsawFile).stream()
                    .map(r -> new LabeledText(r.path("text").asText(), r.path("toxic").asInt() == 1)).toList());
        }
        return new Result(test, baseline, jigsaw, split.train().size(), classifier, trainMillis);
    }

    static Confusion evaluate(ToxicityClassifier c, List<LabeledText> examples) {
        int tp = 0, fp = 0, fn = 0, tn = 0;
        for (LabeledText e : examples) {
            boolean flagged = c.score(e.text()).flagged();
            if (flagged && e.positive()) tp++;
            else if (flagged) fp++;
            else if (e.positive()) fn++;
            else tn++;
        }
        return new Confusion(tp, fp, fn, tn);
    }

}
