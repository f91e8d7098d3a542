package dev.steward.store.secret;

import dev.steward.core.error.PermanentException;

/**
 * A stored credential did not open: it was sealed for another tenant or purpose, under another key, or altered.
 * Retrying cannot fix it; the credential must be saved again.
 */
public final class SecretSealingException extends PermanentException {
    public SecretSealingException(String message) {
        super(message);
    }

    public SecretSealingException(String message, Throwable cause) {
        super(message, cause);
    }
}
