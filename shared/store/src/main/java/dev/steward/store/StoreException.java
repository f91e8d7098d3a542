package dev.steward.store;

import dev.steward.core.error.PermanentException;

/** A write lost a race (conditional check failed) or stored data could not be read back. */
public class StoreException extends PermanentException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
