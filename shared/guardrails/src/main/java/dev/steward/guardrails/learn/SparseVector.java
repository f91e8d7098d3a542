package dev.steward.guardrails.learn;

/** Sorted feature indices with their values. Treat as immutable (arrays are not copied, for speed). */
public record SparseVector(int[] indices, float[] values) {
    public SparseVector {
        if (indices.length != values.length) {
            throw new IllegalArgumentException("indices and values differ in length");
        }
    }

    public double dot(float[] weights) {
        double s = 0;
        for (int k = 0; k < indices.length; k++) {
            s += weights[indices[k]] * values[k];
        }
        return s;
    }
}
