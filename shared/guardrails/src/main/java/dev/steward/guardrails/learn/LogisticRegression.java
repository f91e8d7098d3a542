package dev.steward.guardrails.learn;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;
import java.util.Random;

/**
 * Binary logistic regression over {@link SparseVector}s, trained with AdaGrad SGD and L2 regularization.
 * Training is deterministic for a given seed (the only randomness is the shuffle order). The trained model is
 * immutable and thread-safe.
 *
 * <p>Hand-written: Tribuo or Smile would do this, but they bring tens of MB for a 60-line loop, and a Lambda
 * guardrail wants a small jar.
 */
public final class LogisticRegression {
    private final float[] weights;
    private final float bias;

    private LogisticRegression(float[] weights, float bias) {
        this.weights = weights;
        this.bias = bias;
    }

    /** Hyper-parameters; {@link #defaults()} are what the detectors use. */
    public record Options(int epochs, double learningRate, double l2, double positiveWeight, long seed) {
        public static Options defaults() {
            return new Options(12, 0.5, 1e-6, 1.0, 42L);
        }

        public Options withPositiveWeight(double w) {
            return new Options(epochs, learningRate, l2, w, seed);
        }
    }

    public static LogisticRegression train(List<SparseVector> xs, List<Boolean> ys, int dimensions, Options o) {
        if (xs.size() != ys.size() || xs.isEmpty()) {
            throw new IllegalArgumentException("need as many labels as examples, and at least one");
        }
        float[] w = new float[dimensions];
        float[] g2 = new float[dimensions];
        double b = 0;
        double gb2 = 0;
        int[] order = new int[xs.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random random = new Random(o.seed());
        for (int epoch = 0; epoch < o.epochs(); epoch++) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int i : order) {
                SparseVector x = xs.get(i);
                boolean y = ys.get(i);
                double p = sigmoid(x.dot(w) + b);
                double g = (p - (y ? 1 : 0)) * (y ? o.positiveWeight() : 1.0);
                int[] idx = x.indices();
                float[] val = x.values();
                for (int k = 0; k < idx.length; k++) {
                    int f = idx[k];
                    double grad = g * val[k] + o.l2() * w[f];
                    g2[f] += (float) (grad * grad);
                    w[f] -= (float) (o.learningRate() * grad / (Math.sqrt(g2[f]) + 1e-8));
                }
                gb2 += g * g;
                b -= o.learningRate() * g / (Math.sqrt(gb2) + 1e-8);
            }
        }
        return new LogisticRegression(w, (float) b);
    }

    /**
     * Writes the bias and the non-zero weights (indices delta-coded as varints, values as raw floats), so
     * {@link #read} gives back a model whose predictions are bit-for-bit the same.
     */
    public void write(DataOutput out) throws IOException {
        out.writeInt(weights.length);
        out.writeFloat(bias);
        int nonZero = 0;
        for (float w : weights) {
            nonZero += w != 0f ? 1 : 0;
        }
        out.writeInt(nonZero);
        int previous = 0;
        for (int f = 0; f < weights.length; f++) {
            if (weights[f] != 0f) {
                writeVarint(out, f - previous);
                previous = f;
            }
        }
        for (float w : weights) {
            if (w != 0f) {
                out.writeFloat(w);
            }
        }
    }

    /** Reads what {@link #write} wrote; refuses a model whose dimensions are not {@code dimensions}. */
    public static LogisticRegression read(DataInput in, int dimensions) throws IOException {
        int stored = in.readInt();
        if (stored != dimensions) {
            throw new IOException("model has " + stored + " dimensions, expected " + dimensions);
        }
        float bias = in.readFloat();
        int nonZero = in.readInt();
        if (nonZero < 0 || nonZero > dimensions) {
            throw new IOException("model has " + nonZero + " non-zero weights out of " + dimensions);
        }
        int[] index = new int[nonZero];
        int f = 0;
        for (int k = 0; k < nonZero; k++) {
            f += readVarint(in);
            if (f < 0 || f >= dimensions || (k > 0 && f <= index[k - 1])) {
                throw new IOException("model weight index " + f + " out of order or range");
            }
            index[k] = f;
        }
        float[] w = new float[dimensions];
        for (int k = 0; k < nonZero; k++) {
            w[index[k]] = in.readFloat();
        }
        return new LogisticRegression(w, bias);
    }

    private static void writeVarint(DataOutput out, int value) throws IOException {
        int v = value;
        while ((v & ~0x7f) != 0) {
            out.writeByte((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.writeByte(v);
    }

    private static int readVarint(DataInput in) throws IOException {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("malformed varint in model weights");
    }

    /** The probability of the positive class. */
    public double predict(SparseVector x) {
        return sigmoid(x.dot(weights) + bias);
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
