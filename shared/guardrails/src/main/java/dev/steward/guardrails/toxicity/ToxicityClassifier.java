package dev.steward.guardrails.toxicity;

import dev.steward.guardrails.learn.HashedFeatures;
import dev.steward.guardrails.learn.LabeledText;
import dev.steward.guardrails.learn.LogisticRegression;
import dev.steward.guardrails.learn.SparseVector;
import dev.steward.guardrails.learn.Splits;
import dev.steward.guardrails.learn.Thresholds;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Toxic or not (insults, obscenity, hate speech): a profanity lexicon plus, when trained, a logistic regression
 * over hashed n-grams of the de-obfuscated text with the lexicon count as a feature. The threshold maximizes F1
 * on 5-fold out-of-fold scores of the training data. Deterministic for a seed; immutable and thread-safe.
 */
public final class ToxicityClassifier {
    private static final HashedFeatures FEATURES = new HashedFeatures(18);
    private final Optional<LogisticRegression> model;
    private final double threshold;

    private ToxicityClassifier(Optional<LogisticRegression> model, double threshold) {
        this.model = model;
        this.threshold = threshold;
    }

    /** The lexicon alone: flags a text with at least one hit. */
    public static ToxicityClassifier lexiconOnly() {
        return new ToxicityClassifier(Optional.empty(), 0.5);
    }

    public static ToxicityClassifier train(List<LabeledText> examples, long seed) {
        int k = 5;
        int[] fold = Splits.folds(examples.size(), k, seed);
        double[] oof = new double[examples.size()];
        boolean[] labels = new boolean[examples.size()];
        for (int f = 0; f < k; f++) {
            List<LabeledText> train = new ArrayList<>();
            for (int i = 0; i < examples.size(); i++) {
                if (fold[i] != f) {
                    train.add(examples.get(i));
                }
            }
            LogisticRegression m = fit(train, seed);
            for (int i = 0; i < examples.size(); i++) {
                if (fold[i] == f) {
                    oof[i] = m.predict(vectorize(examples.get(i).text()));
                    labels[i] = examples.get(i).positive();
                }
            }
        }
        return new ToxicityClassifier(Optional.of(fit(examples, seed)), Thresholds.maxF1(oof, labels));
    }

    private static LogisticRegression fit(List<LabeledText> examples, long seed) {
        List<SparseVector> xs = new ArrayList<>(examples.size());
        List<Boolean> ys = new ArrayList<>(examples.size());
        for (LabeledText e : examples) {
            xs.add(vectorize(e.text()));
            ys.add(e.positive());
        }
        var d = LogisticRegression.Options.defaults();
        return LogisticRegression.train(xs, ys, FEATURES.dimensions(),
                new LogisticRegression.Options(d.epochs(), d.learningRate(), d.l2(), 1.0, seed));
    }

    private static SparseVector vectorize(String text) {
        String normalized = ToxicityLexicon.normalize(text);
        int hits = ToxicityLexicon.count(normalized);
        return FEATURES.vectorize(normalized, "lexicon_any", hits > 0 ? 1 : 0, "lexicon_count", Math.min(hits, 5) / 5.0);
    }

    public double threshold() {
        return threshold;
    }

    public ToxicityScore score(String text) {
        String normalized = ToxicityLexicon.normalize(text);
        int hits = ToxicityLexicon.count(normalized);
        double s = model.isPresent() ? model.get().predict(vectorize(text)) : (hits > 0 ? 1 - Math.pow(0.3, hits) : 0);
        return new ToxicityScore(s, s >= threshold, hits);
    }
}
