package dev.steward.guardrails.bench;

import dev.steward.guardrails.models.GuardrailModels;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Trains the injection detector and the toxicity classifier exactly as {@link GuardrailsBench} does, on the
 * training parts only (same splits and seeds, through {@link InjectionEval} and {@link ToxicityEval}), and writes
 * them as the model files {@link GuardrailModels#bundled()} reads.
 *
 * <pre>
 * TrainModels DATASETS_DIR OUTPUT_DIR
 * </pre>
 * Run by the build (phase {@code process-classes}) with OUTPUT_DIR in {@code target/classes}, so the models are in
 * the jar. A detector whose data is missing under DATASETS_DIR is not written; a warning says so and the exit
 * code stays 0, so a build without the datasets succeeds with lexicon-only detectors (a model file left in
 * OUTPUT_DIR by an earlier build is removed). Files are replaced atomically.
 */
public final class TrainModels {
    private TrainModels() {}

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: TrainModels DATASETS_DIR OUTPUT_DIR");
            System.exit(2);
        }
        run(Path.of(args[0]).toAbsolutePath().normalize(), Path.of(args[1]), System.out, System.err);
    }

    /** Trains and writes what the data allows; returns how many model files were written. */
    static int run(Path datasets, Path output, PrintStream out, PrintStream err) {
        Path injection = datasets.resolve("prompt_injection");
        Path toxicity = datasets.resolve("toxicity");
        int written = 0;
        long t0 = System.nanoTime();
        if (present(injection, err, "deepset_prompt_injections_train.jsonl", "bipia_email_train.jsonl",
                "bipia_text_attacks_train.jsonl")) {
            var detector = InjectionEval.train(InjectionEval.trainingPart(injection));
            write(output.resolve(GuardrailModels.INJECTION_FILE), detector::writeTo);
            written++;
        } else {
            removeStale(output.resolve(GuardrailModels.INJECTION_FILE), err);
        }
        if (present(toxicity, err, "davidson_sample.jsonl")) {
            var classifier = ToxicityEval.train(ToxicityEval.split(toxicity).train());
            write(output.resolve(GuardrailModels.TOXICITY_FILE), classifier::writeTo);
            written++;
        } else {
            removeStale(output.resolve(GuardrailModels.TOXICITY_FILE), err);
        }
        out.printf(Locale.ROOT, "guardrail models: %d of 2 trained from %s into %s in %.1f s%n",
                written, datasets, output, (System.nanoTime() - t0) / 1e9);
        return written;
    }

    private static boolean present(Path dir, PrintStream err, String... files) {
        List<Path> missing = Arrays.stream(files).map(dir::resolve).filter(f -> !Files.isRegularFile(f)).toList();
        if (!missing.isEmpty()) {
            err.println("WARNING: guardrail model " + dir.getFileName() + " not trained, missing " + missing
                    + "; the jar will use the lexicon-only detector");
        }
        return missing.isEmpty();
    }

    /** A model left by an earlier build with data would otherwise end up in this build's jar. */
    private static void removeStale(Path file, PrintStream err) {
        try {
            if (Files.deleteIfExists(file)) {
                err.println("WARNING: removed " + file + " left by an earlier build");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file, e);
        }
    }

    @FunctionalInterface
    private interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    private static void write(Path file, Writer writer) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (OutputStream o = Files.newOutputStream(tmp)) {
                writer.writeTo(o);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
