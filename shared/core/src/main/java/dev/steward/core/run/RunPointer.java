package dev.steward.core.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * The only state that travels between state-machine states: where the run lives and which step comes next.
 * Everything else (transcript, retrieved chunks, answer) lives in the store, because a Step Functions state
 * is limited to 256 KB. {@code outcome} is set by Plan and read by the Choice state.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunPointer(String tenantId, String runId, int segment, int step, String outcome) {
    public RunPointer {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(runId, "runId");
    }

    public RunPointer next(String newOutcome) {
        return new RunPointer(tenantId, runId, segment, step + 1, newOutcome);
    }
}
