package dev.steward.rag.retrieve;

import java.util.List;

/**
 * A second-stage ranker: a model that reads the query and each candidate passage together (a cross-encoder) and
 * scores how well the passage answers the query. First-stage retrieval (BM25 and kNN, fused) has to rank every chunk
 * of a tenant cheaply; a reranker only sees the few dozen candidates that stage returns, so it can afford to read
 * them whole, which is where it gains over comparing one vector per passage.
 *
 * <p>Implementations call a provider ({@link dev.steward.rag.retrieve.BedrockReranker}); a failure of the provider
 * is thrown as {@link dev.steward.core.error.TransientException} (throttled, timed out, 5xx: worth trying again) or
 * {@link dev.steward.core.error.PermanentException} (a request the provider refuses, such as an unknown model or a
 * missing permission). Thread-safe.
 */
public interface Reranker extends AutoCloseable {
    /**
     * One passage's place in the new order.
     *
     * @param index the passage's position in the list given to {@link #rerank}
     * @param score the model's relevance score, higher is more relevant; comparable only within one call
     */
    record Ranked(int index, double score) {
        public Ranked {
            if (index < 0) {
                throw new IllegalArgumentException("index < 0: " + index);
            }
        }
    }

    /**
     * The {@code topN} passages of {@code texts} most relevant to {@code query}, most relevant first.
     *
     * @param texts the candidates, at least one and at most {@link #maxTexts()}
     * @param topN how many to return, 1 to {@code texts.size()}
     * @return at most {@code topN} entries, each index once
     */
    List<Ranked> rerank(String query, List<String> texts, int topN);

    /** The most passages one call takes: the provider's limit. */
    int maxTexts();

    /** Names the provider and model, for logs and the benchmark. */
    String id();

    /** Releases the provider's client; the knowledge base that uses this reranker closes it. */
    @Override
    default void close() {}
}
