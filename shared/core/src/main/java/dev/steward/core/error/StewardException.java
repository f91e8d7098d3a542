package dev.steward.core.error;

/** Base of every exception Steward throws on purpose. */
public abstract sealed class StewardException extends RuntimeException permits TransientException, PermanentException {
    protected StewardException(String message, Throwable cause) {
        super(message, cause);
    }
}
