package dev.steward.guardrails.learn;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * The stored form of a trained detector: its kind, the fingerprint of the feature code it was trained with, and
 * one {@link Part} (optional regression plus flag threshold) per model it holds.
 *
 * <p>Layout, gzip-compressed: magic {@code STWM}, format version (int), kind (modified UTF-8), feature
 * fingerprint (long), feature dimensions (int), part count (int), then per part the threshold (double), a
 * presence flag and, when present, the regression as {@link LogisticRegression#write} stores it (non-zero weights
 * only).
 *
 * <p>{@link #read} refuses, with an {@link IncompatibleModelException} naming the difference, a file of another
 * format version, another kind, other dimensions, or a feature fingerprint other than the running code's: a model
 * is only meaningful with the exact features it was trained on.
 */
public record ModelFile(String kind, long featureFingerprint, int dimensions, List<Part> parts) {
    public static final int FORMAT_VERSION = 1;
    private static final int MAGIC = 0x5354574d;

    /** One model: the regression (absent for the lexicon alone) and the score at or above which a text is flagged. */
    public record Part(Optional<LogisticRegression> regression, double threshold) {
        public Part {
            Objects.requireNonNull(regression, "regression");
        }
    }

    public ModelFile {
        Objects.requireNonNull(kind, "kind");
        parts = List.copyOf(parts);
    }

    /**
     * A hash of the feature vectors of {@code probes}: it changes when the tokenizer, the hashing, the lexicon
     * features or the feature space change in a way the probes exercise.
     */
    public static long fingerprint(int dimensions, Stream<SparseVector> probes) {
        long h = 0xcbf29ce484222325L ^ dimensions;
        for (SparseVector v : (Iterable<SparseVector>) probes::iterator) {
            h = (h ^ v.indices().length) * 0x100000001b3L;
            for (int k = 0; k < v.indices().length; k++) {
                h = (h ^ v.indices()[k]) * 0x100000001b3L;
                h = (h ^ Float.floatToIntBits(v.values()[k])) * 0x100000001b3L;
            }
        }
        return h;
    }

    public void write(OutputStream out) throws IOException {
        GZIPOutputStream gzip = new GZIPOutputStream(out);
        DataOutputStream data = new DataOutputStream(gzip);
        data.writeInt(MAGIC);
        data.writeInt(FORMAT_VERSION);
        data.writeUTF(kind);
        data.writeLong(featureFingerprint);
        data.writeInt(dimensions);
        data.writeInt(parts.size());
        for (Part p : parts) {
            data.writeDouble(p.threshold());
            data.writeBoolean(p.regression().isPresent());
            if (p.regression().isPresent()) {
                p.regression().get().write(data);
            }
        }
        data.flush();
        gzip.finish();
    }

    /**
     * Reads a model file written by {@link #write}, checking that it is of {@code kind} with {@code parts} parts
     * and was built with the feature code whose fingerprint is {@code featureFingerprint}.
     */
    public static ModelFile read(InputStream in, String kind, long featureFingerprint, int dimensions, int parts)
            throws IOException {
        DataInputStream data;
        try {
            data = new DataInputStream(new GZIPInputStream(in));
        } catch (ZipException e) {
            throw new IncompatibleModelException("not a Steward model file (not gzip): " + e.getMessage());
        }
        try {
            if (data.readInt() != MAGIC) {
                throw new IncompatibleModelException("not a Steward model file (bad magic)");
            }
            int version = data.readInt();
            if (version != FORMAT_VERSION) {
                throw new IncompatibleModelException("model file format version " + version
                        + ", this code reads version " + FORMAT_VERSION + "; retrain the models");
            }
            String storedKind = data.readUTF();
            if (!storedKind.equals(kind)) {
                throw new IncompatibleModelException(
                        "model file is for kind '" + storedKind + "', expected '" + kind + "'");
            }
            long storedFingerprint = data.readLong();
            if (storedFingerprint != featureFingerprint) {
                throw new IncompatibleModelException(String.format(
                        "%s model was trained with different feature code (fingerprint %016x, this code %016x); "
                                + "retrain the models", kind, storedFingerprint, featureFingerprint));
            }
            int storedDimensions = data.readInt();
            if (storedDimensions != dimensions) {
                throw new IncompatibleModelException(kind + " model has " + storedDimensions
                        + " feature dimensions, this code uses " + dimensions);
            }
            int count = data.readInt();
            if (count != parts) {
                throw new IncompatibleModelException(kind + " model file has " + count + " parts, expected " + parts);
            }
            List<Part> read = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                double threshold = data.readDouble();
                Optional<LogisticRegression> regression = data.readBoolean()
                        ? Optional.of(LogisticRegression.read(data, dimensions)) : Optional.empty();
                read.add(new Part(regression, threshold));
            }
            return new ModelFile(storedKind, storedFingerprint, storedDimensions, read);
        } catch (EOFException e) {
            throw new IncompatibleModelException(kind + " model file is truncated");
        }
    }

    /** A model file that this code cannot use; the message says why. */
    public static final class IncompatibleModelException extends IOException {
        public IncompatibleModelException(String message) {
            super(message);
        }
    }
}
