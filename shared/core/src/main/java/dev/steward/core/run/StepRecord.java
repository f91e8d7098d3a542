package dev.steward.core.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Objects;

/** One executed step of a run, for the run's timeline. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepRecord(int index, String step, String outcome, long durationMs, Instant at, String detail) {
    public StepRecord {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(at, "at");
    }
}
