package dev.steward.rag;

import dev.steward.core.error.PermanentException;

/**
 * The document's bytes cannot be ingested: empty, unreadable, encrypted, not the type its name claims.
 * {@link #code()} is a stable error code (e.g. {@code empty_document}, {@code unreadable_document},
 * {@code unsupported_type}); the message names the problem.
 */
public final class DocumentRejectedException extends PermanentException {
    private final String code;

    public DocumentRejectedException(String code, String message) {
        super(message);
        this.code = code;
    }

    public DocumentRejectedException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
