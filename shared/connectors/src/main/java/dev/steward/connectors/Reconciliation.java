package dev.steward.connectors;

import java.util.Objects;

/** What {@link Reconcilable#reconcile} found at the vendor about an earlier attempt whose outcome was unknown. */
public sealed interface Reconciliation {

    /** The earlier attempt took effect; {@code result} is the call's outcome, now recorded as done ({@code replayed}). */
    record Found(ToolResult.Success result) implements Reconciliation {
        public Found {
            Objects.requireNonNull(result, "result");
        }
    }

    /**
     * The vendor shows no effect of the call since the attempt began: it most likely never reached the vendor, so
     * running the call once more should happen once. {@code evidence} says what was looked at, for a reviewer.
     */
    record Absent(String evidence) implements Reconciliation {
        public Absent {
            Objects.requireNonNull(evidence, "evidence");
        }
    }

    /** The vendor could not tell (unreachable, credentials refused, too much to look through): {@code why}. */
    record Unknown(String why) implements Reconciliation {
        public Unknown {
            Objects.requireNonNull(why, "why");
        }
    }
}
