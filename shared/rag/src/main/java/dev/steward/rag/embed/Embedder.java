package dev.steward.rag.embed;

import java.util.List;

/**
 * Maps text to a dense vector for semantic search.
 *
 * <p>Vectors are L2-normalised (so dot product equals cosine) and have {@link #dimension()} components. Passages
 * (what gets indexed) go through {@link #embed}/{@link #embedAll}; search queries go through {@link #embedQuery},
 * because asymmetric models such as bge expect an instruction in front of queries only. Implementations are
 * thread-safe. Arguments must be non-blank.
 */
public interface Embedder {

    /** Embeds one passage. */
    float[] embed(String text);

    /** Embeds passages, in order; the result has one vector per input. */
    List<float[]> embedAll(List<String> texts);

    /** Embeds a search query; by default the same as a passage. */
    default float[] embedQuery(String query) {
        return embed(query);
    }

    int dimension();

    /**
     * Identifies the model and everything that changes its vectors (including the query convention). An index
     * records it and refuses vectors from any other embedder, since vectors of two models are not comparable.
     */
    String id();
}
