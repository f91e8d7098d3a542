package dev.steward.core.error;

/** A failure that retrying cannot fix. Ends a run as FAILED with the message as the reason. */
public non-sealed class PermanentException extends StewardException {
    public PermanentException(String message) {
        super(message, null);
    }

    public PermanentException(String message, Throwable cause) {
        super(message, cause);
    }
}
