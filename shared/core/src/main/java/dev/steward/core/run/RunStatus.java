package dev.steward.core.run;

/** Lifecycle of a run. Terminal states never change again. */
public enum RunStatus {
    QUEUED, RUNNING, WAITING_FOR_REVIEW, SUCCEEDED, HALTED, FAILED;

    public boolean terminal() {
        return this == SUCCEEDED || this == HALTED || this == FAILED;
    }

    /** Whether the loop has stopped working on the run for now: it ended, or it waits for a person's review. */
    public boolean settled() {
        return this != QUEUED && this != RUNNING;
    }
}
