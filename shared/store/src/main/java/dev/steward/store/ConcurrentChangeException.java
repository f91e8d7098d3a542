package dev.steward.store;

/**
 * A conditional write found the item changed since it was read: another writer got there first (another execution
 * of the same run, a sweeper's resume, a decision). Its class name is the error name the state machine sees, so the
 * failure step can tell a lost race, after which the winner's state stands, from a run that really failed.
 */
public final class ConcurrentChangeException extends StoreException {
    public ConcurrentChangeException(String message) {
        super(message);
    }
}
