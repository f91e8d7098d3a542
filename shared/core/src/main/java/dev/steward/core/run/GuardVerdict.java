package dev.steward.core.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * What the guardrails decided at one checkpoint of a step, for the run's timeline: the checkpoint ({@code stage}:
 * USER_INPUT, RETRIEVED_CHUNK, TOOL_ARGUMENTS, TOOL_RESULT or ANSWER), the verdict (ALLOW, REDACT, ASK, DENY),
 * the action the loop took on it, and the findings behind it. Never holds the personal data found, only its type.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record GuardVerdict(String stage, String verdict, String action, List<Reason> reasons) {
    public GuardVerdict {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(verdict, "verdict");
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }

    /**
     * One finding: which detector (or policy rule) fired, on what category, how sure, about which text
     * ({@code subject}: a chunk id, a tool call id, "input" or "answer"), and a detail for reviewers.
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Reason(String detector, String category, double score, String subject, String detail) {
        public Reason {
            Objects.requireNonNull(detector, "detector");
            Objects.requireNonNull(category, "category");
        }
    }
}
