package dev.steward.core.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One executed step of a run, for the run's timeline: outcome, duration, model tokens and the time spent waiting
 * for the model (when a model ran), and the guardrail verdicts of its checkpoints (empty when it checked nothing).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record StepRecord(int index, String step, String outcome, long durationMs, Instant at, String detail,
        Integer tokensIn, Integer tokensOut, Long modelMs, List<GuardVerdict> verdicts) {
    public StepRecord {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(at, "at");
        verdicts = verdicts == null ? List.of() : List.copyOf(verdicts);
    }

    public StepRecord(int index, String step, String outcome, long durationMs, Instant at, String detail,
            Integer tokensIn, Integer tokensOut) {
        this(index, step, outcome, durationMs, at, detail, tokensIn, tokensOut, null, List.of());
    }

    /** This step with {@code more} verdicts added. */
    public StepRecord withVerdicts(List<GuardVerdict> more) {
        List<GuardVerdict> all = new java.util.ArrayList<>(verdicts);
        all.addAll(more);
        return new StepRecord(index, step, outcome, durationMs, at, detail, tokensIn, tokensOut, modelMs, all);
    }
}
