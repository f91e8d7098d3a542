package dev.steward.rag.retrieve;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reciprocal Rank Fusion (Cormack, Clarke and Büttcher, 2009): an item's fused score is the sum over rankings of
 * {@code 1 / (k + rank)}, rank starting at 1. It needs no score calibration between retrievers (BM25 and cosine
 * scores are on unrelated scales), which is why any backend can reuse it.
 *
 * <p>Order: higher fused score first; ties go to the item with the better single best rank, then to the item met
 * first when reading the rankings in the order given (so the first ranking acts as the tie-breaker). An item
 * repeated within one ranking counts once, at its first rank. Stateless and thread-safe.
 */
public final class Fusion {
    /** The constant from the paper; it damps the weight of the very top ranks. */
    public static final int DEFAULT_K = 60;

    private Fusion() {}

    /** An item with its fused score. */
    public record Fused<T>(T item, double score) {
        public Fused {
            Objects.requireNonNull(item, "item");
        }
    }

    public static <T> List<Fused<T>> reciprocalRank(List<? extends List<? extends T>> rankings) {
        return reciprocalRank(DEFAULT_K, rankings);
    }

    /**
     * @param k the damping constant, {@code >= 0}
     * @param rankings best-first lists of items (equal by {@code equals}); none null, items not null
     * @return every item that appears in some ranking, best first
     */
    public static <T> List<Fused<T>> reciprocalRank(int k, List<? extends List<? extends T>> rankings) {
        if (k < 0) {
            throw new IllegalArgumentException("k must be >= 0, got " + k);
        }
        Map<T, Acc> byItem = new LinkedHashMap<>();
        for (List<? extends T> ranking : rankings) {
            Map<T, Boolean> seen = new LinkedHashMap<>();
            int rank = 0;
            for (T item : ranking) {
                Objects.requireNonNull(item, "ranked item");
                if (seen.putIfAbsent(item, Boolean.TRUE) != null) {
                    continue;
                }
                rank++;
                Acc acc = byItem.computeIfAbsent(item, unused -> new Acc(byItem.size()));
                acc.score += 1.0 / (k + rank);
                acc.bestRank = Math.min(acc.bestRank, rank);
            }
        }
        List<Map.Entry<T, Acc>> entries = new ArrayList<>(byItem.entrySet());
        entries.sort(Comparator.<Map.Entry<T, Acc>>comparingDouble(e -> -e.getValue().score)
                .thenComparingInt(e -> e.getValue().bestRank)
                .thenComparingInt(e -> e.getValue().firstSeen));
        List<Fused<T>> fused = new ArrayList<>(entries.size());
        for (Map.Entry<T, Acc> e : entries) {
            fused.add(new Fused<>(e.getKey(), e.getValue().score));
        }
        return fused;
    }

    private static final class Acc {
        final int firstSeen;
        double score;
        int bestRank = Integer.MAX_VALUE;

        Acc(int firstSeen) {
            this.firstSeen = firstSeen;
        }
    }
}
