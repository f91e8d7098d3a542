package dev.steward.core.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Objects;

/** One executed step of a run, for the run's timeline: outcome, duration and model tokens (when a model ran). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepRecord(int index, String step, String outcome, long durationMs, Instant at, String detail,
        Integer tokensIn, Integer tokensOut) {
    public StepRecord {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(at, "at");
    }
}
