package dev.steward.core.error;

/**
 * A failure that may succeed if retried: throttling, timeouts, 5xx from a dependency. The state machine's Retry
 * matches on this class's fully qualified name.
 */
public non-sealed class TransientException extends StewardException {
    public TransientException(String message) {
        super(message, null);
    }

    public TransientException(String message, Throwable cause) {
        super(message, cause);
    }
}
