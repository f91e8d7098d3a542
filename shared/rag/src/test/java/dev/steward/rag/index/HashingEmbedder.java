package dev.steward.rag.index;

import dev.steward.rag.embed.Embedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A fast deterministic bag-of-words embedder for tests where the model is not what is tested: words are hashed into
 * 64 signed buckets, plus a constant component so that even a text without words has a unit vector.
 */
public final class HashingEmbedder implements Embedder {
    private static final int DIMENSION = 64;
    private final String id;
    /** When set, every call fails, to simulate a model error in the middle of an ingest. */
    public final AtomicBoolean failing = new AtomicBoolean();

    public HashingEmbedder(String id) {
        this.id = id;
    }

    @Override
    public float[] embed(String text) {
        if (failing.get()) {
            throw new IllegalStateException("simulated embedder failure");
        }
        float[] v = new float[DIMENSION];
        v[DIMENSION - 1] = 0.5f;
        for (String word : text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            if (!word.isEmpty()) {
                int h = word.hashCode();
                v[Math.floorMod(h, DIMENSION - 1)] += (h & 0x100) == 0 ? 1f : -1f;
            }
        }
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        List<float[]> out = new ArrayList<>();
        for (String text : texts) {
            out.add(embed(text));
        }
        return out;
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public String id() {
        return "hashing-64/" + id;
    }
}
