package dev.steward.rag.retrieve;

import java.util.Objects;

/**
 * The reranking stage of retrieval: the first {@code candidates} fused chunks go to {@code reranker}, and the best
 * of them, in its order, are the answer. More candidates give the reranker more to find in, at the cost of a longer
 * request: more text for the provider to read, bill and answer for.
 *
 * @param candidates how many fused chunks are reranked (more when a caller asks for more), 1 to the reranker's
 *     {@link Reranker#maxTexts()}
 */
public record Reranking(Reranker reranker, int candidates) {
    /** Candidates unless configured: a few times the usual handful the agent reads, one Bedrock request. */
    public static final int DEFAULT_CANDIDATES = 30;

    public Reranking {
        Objects.requireNonNull(reranker, "reranker");
        if (candidates < 1 || candidates > reranker.maxTexts()) {
            throw new IllegalArgumentException(
                    "rerank candidates must be 1 to " + reranker.maxTexts() + " for " + reranker.id() + ", got " + candidates);
        }
    }
}
