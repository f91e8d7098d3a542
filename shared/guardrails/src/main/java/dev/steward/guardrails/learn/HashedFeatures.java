package dev.steward.guardrails.learn;

import java.util.Arrays;
import java.util.Locale;

/**
 * Turns a text into a sparse, L2-normalized vector of hashed features (the "hashing trick"): lower-cased word
 * unigrams and bigrams, character 3-5-grams inside words (padded with spaces so prefixes and suffixes count),
 * plus caller-supplied named features (lexicon hits). Stateless and thread-safe; the same text always gives the
 * same vector, so a model trained in one JVM scores the same in another.
 *
 * <p>Hand-written: Lucene's analyzers could tokenize, but the featurizer must be tiny, allocation-light and
 * identical between training and scoring; it is 100 lines.
 */
public final class HashedFeatures {
    private final int bits;
    private final int mask;

    /** {@code bits} is the log2 of the feature space size (18 gives 262,144 buckets). */
    public HashedFeatures(int bits) {
        if (bits < 10 || bits > 24) {
            throw new IllegalArgumentException("bits must be in [10, 24]");
        }
        this.bits = bits;
        this.mask = (1 << bits) - 1;
    }

    public int dimensions() {
        return 1 << bits;
    }

    /** Features of {@code text} plus {@code extra} named features with their values (name, value, name, value...). */
    public SparseVector vectorize(String text, Object... extra) {
        String lower = text.toLowerCase(Locale.ROOT);
        IntFloatBuffer buf = new IntFloatBuffer(lower.length() * 4 + 16);
        int prevWordHash = 0;
        boolean hasPrev = false;
        int i = 0;
        int n = lower.length();
        while (i < n) {
            while (i < n && !Character.isLetterOrDigit(lower.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && (Character.isLetterOrDigit(lower.charAt(i)) || lower.charAt(i) == '\'')) {
                i++;
            }
            if (i == start) {
                break;
            }
            int wordHash = hash(lower, start, i, 0x9747b28c);
            buf.add(wordHash & mask, 1f);
            if (hasPrev) {
                buf.add(mix(prevWordHash * 31 + wordHash) & mask, 1f);
            }
            prevWordHash = wordHash;
            hasPrev = true;
            // character n-grams of " word "
            int len = i - start;
            if (len <= 40) {
                for (int gram = 3; gram <= 5; gram++) {
                    for (int s = -1; s + gram <= len + 1; s++) {
                        int h = 0x811c9dc5 ^ gram;
                        for (int k = s; k < s + gram; k++) {
                            char c = (k < 0 || k >= len) ? ' ' : lower.charAt(start + k);
                            h = (h ^ c) * 0x01000193;
                        }
                        buf.add(mix(h) & mask, 0.5f);
                    }
                }
            }
        }
        for (int k = 0; k + 1 < extra.length; k += 2) {
            String name = (String) extra[k];
            float value = ((Number) extra[k + 1]).floatValue();
            if (value != 0f) {
                buf.add(hash("__" + name, 0, name.length() + 2, 0x1b873593) & mask, value * 4f);
            }
        }
        return buf.toNormalizedVector();
    }

    private static int hash(String s, int from, int to, int seed) {
        int h = seed ^ 0x811c9dc5;
        for (int k = from; k < to; k++) {
            h = (h ^ s.charAt(k)) * 0x01000193;
        }
        return mix(h);
    }

    /** murmur3 finalizer: spreads FNV's weak low bits before masking. */
    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    /** Growable (index, value) pairs; duplicates are summed when the vector is built. */
    private static final class IntFloatBuffer {
        private int[] idx;
        private float[] val;
        private int size;

        IntFloatBuffer(int capacity) {
            idx = new int[capacity];
            val = new float[capacity];
        }

        void add(int i, float v) {
            if (size == idx.length) {
                idx = Arrays.copyOf(idx, size * 2);
                val = Arrays.copyOf(val, size * 2);
            }
            idx[size] = i;
            val[size++] = v;
        }

        SparseVector toNormalizedVector() {
            if (size == 0) {
                return new SparseVector(new int[0], new float[0]);
            }
            // sort by index (pack index and position into longs), then merge duplicates
            long[] keys = new long[size];
            for (int k = 0; k < size; k++) {
                keys[k] = ((long) idx[k] << 32) | k;
            }
            Arrays.sort(keys);
            int[] outIdx = new int[size];
            float[] outVal = new float[size];
            int m = -1;
            for (long key : keys) {
                int index = (int) (key >>> 32);
                float v = val[(int) key];
                if (m >= 0 && outIdx[m] == index) {
                    outVal[m] += v;
                } else {
                    outIdx[++m] = index;
                    outVal[m] = v;
                }
            }
            int count = m + 1;
            double norm = 0;
            for (int k = 0; k < count; k++) {
                norm += outVal[k] * outVal[k];
            }
            float inv = (float) (1 / Math.sqrt(norm));
            for (int k = 0; k < count; k++) {
                outVal[k] *= inv;
            }
            return new SparseVector(Arrays.copyOf(outIdx, count), Arrays.copyOf(outVal, count));
        }
    }
}
