package dev.steward.guardrails.models;

import dev.steward.guardrails.injection.InjectionDetector;
import dev.steward.guardrails.toxicity.ToxicityClassifier;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * The injection detector and toxicity classifier to use in production: the trained models bundled in this jar
 * (written at build time by {@code TrainModels} into this package's resources) when present and readable, else
 * the lexicon-only detectors. Which one is in use: {@link InjectionDetector#trained()},
 * {@link ToxicityClassifier#trained()}.
 *
 * <p>{@link #bundled()} reads the resources once per class loader and logs one warning when it falls back.
 */
public record GuardrailModels(InjectionDetector injection, ToxicityClassifier toxicity) {
    /** Resource names, relative to this package. */
    public static final String INJECTION_FILE = "injection.model";
    public static final String TOXICITY_FILE = "toxicity.model";
    private static final Logger LOG = Logger.getLogger(GuardrailModels.class.getName());

    public GuardrailModels {
        Objects.requireNonNull(injection, "injection");
        Objects.requireNonNull(toxicity, "toxicity");
    }

    /** The bundled models, or the lexicon for each one missing or refused. */
    public static GuardrailModels bundled() {
        return Bundled.MODELS;
    }

    public static GuardrailModels lexiconOnly() {
        return new GuardrailModels(InjectionDetector.lexiconOnly(), ToxicityClassifier.lexiconOnly());
    }

    /** Where the models are read from: a resource name to a stream, or null when there is none. */
    @FunctionalInterface
    interface Resources {
        InputStream open(String name) throws IOException;
    }

    @FunctionalInterface
    private interface Reader<T> {
        T read(InputStream in) throws IOException;
    }

    static GuardrailModels load(Resources resources) {
        List<String> problems = new ArrayList<>();
        InjectionDetector injection = read(resources, INJECTION_FILE, "injection detector", InjectionDetector::readFrom, problems);
        ToxicityClassifier toxicity = read(resources, TOXICITY_FILE, "toxicity classifier", ToxicityClassifier::readFrom, problems);
        if (!problems.isEmpty()) {
            LOG.warning("guardrails use the lexicon-only " + String.join("; ", problems));
        }
        return new GuardrailModels(injection == null ? InjectionDetector.lexiconOnly() : injection,
                toxicity == null ? ToxicityClassifier.lexiconOnly() : toxicity);
    }

    private static <T> T read(Resources resources, String name, String what, Reader<T> reader, List<String> problems) {
        try (InputStream in = resources.open(name)) {
            if (in == null) {
                problems.add(what + " (no bundled model " + name + "; the build had no training data)");
                return null;
            }
            return reader.read(in);
        } catch (IOException | RuntimeException e) {
            problems.add(what + " (bundled model " + name + " refused: " + e.getMessage() + ")");
            return null;
        }
    }

    private static final class Bundled {
        static final GuardrailModels MODELS = load(GuardrailModels.class::getResourceAsStream);
    }
}
