package dev.steward.core.run;

import java.util.List;
import java.util.Objects;

/**
 * What Plan decided the run does next. The state machine's Choice state routes on {@link #wireName()}.
 */
public sealed interface StepOutcome {

    /** Search the tenant's knowledge with this query. */
    record Retrieve(String query) implements StepOutcome {
        public Retrieve {
            Objects.requireNonNull(query, "query");
        }
    }

    /** Call these tools. */
    record Act(List<ToolCall> calls) implements StepOutcome {
        public Act {
            calls = List.copyOf(calls);
        }
    }

    /** Produce the final answer from what the run has gathered. */
    record Respond() implements StepOutcome {}

    /** Stop and wait for a human decision on the given review. */
    record AwaitApproval(String reviewId) implements StepOutcome {}

    /** Stop now, answering honestly why. */
    record Halt(String reason) implements StepOutcome {
        public Halt {
            Objects.requireNonNull(reason, "reason");
        }
    }

    default String wireName() {
        return switch (this) {
            case Retrieve r -> "RETRIEVE";
            case Act a -> "ACT";
            case Respond r -> "RESPOND";
            case AwaitApproval a -> "AWAIT_APPROVAL";
            case Halt h -> "HALT";
        };
    }
}
