package dev.steward.rag.retrieve;

import java.util.Objects;

/**
 * How a hybrid index answers one query: lexical (BM25) alone, dense (kNN) alone, or both fused.
 *
 * <p>{@code candidates} is how many chunks each retriever contributes before fusion; a backend takes at least
 * {@code topK} from each, so the first {@code n} results of a call are the same for every {@code topK >= n} as long
 * as {@code topK <= candidates}. Scores are comparable only within one result list.
 */
public sealed interface RetrievalStrategy {

    /** Chunks taken from each retriever before fusion (or returned, for a single retriever). */
    int candidates();

    /**
     * Which chunks count as lexical hits. {@code MOST} asks a chunk to contain every term of a one- or two-term query
     * and half the terms of a longer one: under rank fusion an incidental one-word match would otherwise enter the
     * lexical list and outrank a paraphrase only the dense side found. {@code ANY} is plain BM25 (any term), which
     * keeps recall for long queries and suits score fusion, where a weak match adds little.
     */
    enum TermMatch { ANY, MOST }

    /** Whether the query needs an embedding. */
    default boolean needsQueryVector() {
        return !(this instanceof Lexical);
    }

    /** BM25 only; the score is Lucene's BM25 score. */
    record Lexical(int candidates, TermMatch match) implements RetrievalStrategy {
        public Lexical {
            requirePositive(candidates);
            Objects.requireNonNull(match, "match");
        }
    }

    /** Nearest neighbours of the query vector only; the score is the backend's similarity. */
    record Dense(int candidates) implements RetrievalStrategy {
        public Dense {
            requirePositive(candidates);
        }
    }

    /**
     * Weighted reciprocal rank fusion ({@link Fusion#reciprocalRank(int, java.util.List, double[])}): the dense
     * ranking weighs {@code denseWeight}, the lexical one {@code 1 - denseWeight}; 0.5 is plain RRF up to a factor.
     */
    record RankFusion(int candidates, int k, double denseWeight, TermMatch match) implements RetrievalStrategy {
        public RankFusion {
            requirePositive(candidates);
            Objects.requireNonNull(match, "match");
            if (k < 0) {
                throw new IllegalArgumentException("k must be >= 0, got " + k);
            }
            requireWeight(denseWeight);
        }
    }

    /**
     * Convex combination of min-max normalised scores ({@link Fusion#convexCombination}): {@code denseWeight} times
     * the dense score plus {@code 1 - denseWeight} times the BM25 score, each scaled to [0, 1] over its own list.
     */
    record ScoreFusion(int candidates, double denseWeight, TermMatch match) implements RetrievalStrategy {
        public ScoreFusion {
            requirePositive(candidates);
            Objects.requireNonNull(match, "match");
            requireWeight(denseWeight);
        }
    }

    private static void requirePositive(int candidates) {
        if (candidates < 1) {
            throw new IllegalArgumentException("candidates must be >= 1, got " + candidates);
        }
    }

    private static void requireWeight(double weight) {
        if (!(weight >= 0 && weight <= 1)) {
            throw new IllegalArgumentException("denseWeight must be in [0, 1], got " + weight);
        }
    }
}
