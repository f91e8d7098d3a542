package dev.steward.core.run;

/** Lifecycle of a run. Terminal states never change again. */
public enum RunStatus {
    QUEUED, RUNNING, WAITING_FOR_REVIEW, SUCCEEDED, HALTED, FAILED;

    public boolean terminal() {
        return this == SUCCEEDED || this == HALTED || this == FAILED;
    }
}
