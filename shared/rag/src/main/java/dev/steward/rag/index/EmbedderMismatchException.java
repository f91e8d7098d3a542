package dev.steward.rag.index;

import dev.steward.core.error.PermanentException;

/**
 * A tenant's index holds vectors from a different embedder than the knowledge base uses. Vectors of two models are
 * not comparable, so nothing is read or written; the fix is to re-index the tenant's documents (or to configure
 * the embedder the index was built with).
 */
public final class EmbedderMismatchException extends PermanentException {
    public EmbedderMismatchException(String message) {
        super(message);
    }
}
