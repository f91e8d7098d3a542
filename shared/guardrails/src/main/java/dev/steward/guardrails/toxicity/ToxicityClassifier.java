package dev.steward.guardrails.toxicity;

import dev.steward.guardrails.learn.HashedFeatures;
import dev.steward.guardrails.learn.LabeledText;
import dev.steward.guardrails.learn.LogisticRegression;
import dev.steward.guardrails.learn.ModelFile;
import dev.steward.guardrails.learn.SparseVector;
import dev.steward.guardrails.learn.Splits;
import dev.steward.guardrails.learn.Thresholds;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
    private static final String KIND = "toxicity";
    /** Texts whose feature vectors fingerprint the feature code a stored model was trained with. */
    private static final List<String> PROBES = List.of(
            "You are a f*cking idiot, shut up and die",
            "sh1t this is sooooo stupid lol &amp; @user #trash",
            "Thanks for the quick reply, see you at the meeting tomorrow!");
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

    /** Writes the model (weights, bias, threshold) in the {@link ModelFile} format. */
    public void writeTo(OutputStream out) throws IOException {
        new ModelFile(KIND, featureFingerprint(), FEATURES.dimensions(),
                List.of(new ModelFile.Part(model, threshold))).write(out);
    }

    /**
     * Reads a classifier written by {@link #writeTo}. A file from other feature code or another format version is
     * refused with a {@link ModelFile.IncompatibleModelException} saying why.
     */
    public static ToxicityClassifier readFrom(InputStream in) throws IOException {
        ModelFile.Part part = ModelFile.read(in, KIND, featureFingerprint(), FEATURES.dimensions(), 1).parts().get(0);
        return new ToxicityClassifier(part.regression(), part.threshold());
    }

    private static long featureFingerprint() {
        return ModelFile.fingerprint(FEATURES.dimensions(), PROBES.stream().map(ToxicityClassifier::vectorize));
    }

    public boolean trained() {
        return model.isPresent();
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
