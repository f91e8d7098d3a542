package dev.steward.agent;

import dev.steward.core.run.RunRecord;

/**
 * Told about every step the loop commits, after the commit: the run as stored, whose last step record is the one
 * just written. For metrics; an observer's failure never fails a step (it is logged and dropped). Implementations
 * are thread-safe.
 */
@FunctionalInterface
public interface StepObserver {
    /** Observes nothing. */
    StepObserver NONE = run -> { };

    void committed(RunRecord run);
}
