package dev.steward.rag.index;

import dev.steward.rag.embed.Embedder;
import java.util.Objects;

/** Which embedder produced an index's vectors, and their dimension; vectors of two spaces are not comparable. */
public record VectorSpace(String embedderId, int dimension) {
    /** Stands for an index that holds vectors but no record of their embedder. */
    static final String NOT_RECORDED = "(not recorded)";

    public VectorSpace {
        Objects.requireNonNull(embedderId, "embedderId");
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
        }
    }

    public static VectorSpace of(Embedder embedder) {
        return new VectorSpace(embedder.id(), embedder.dimension());
    }

    /**
     * @param recordedId the embedder id the index recorded, or null when it holds vectors without one
     * @param where names the index in the message
     * @throws EmbedderMismatchException unless {@code recordedId} is this space's embedder
     */
    public void requireRecorded(String recordedId, String where) {
        String recorded = recordedId == null ? NOT_RECORDED : recordedId;
        if (!recorded.equals(embedderId)) {
            throw new EmbedderMismatchException(where + " holds vectors from embedder '" + recorded
                    + "' but this knowledge base embeds with '" + embedderId
                    + "'; vectors of different models cannot be compared: re-index the tenant's documents");
        }
    }

    /** @throws IllegalArgumentException when the vector's length is not this space's dimension */
    public void requireDimension(float[] vector) {
        if (vector.length != dimension) {
            throw new IllegalArgumentException("vector has dimension " + vector.length + ", expected " + dimension
                    + " (" + embedderId + ")");
        }
    }
}
