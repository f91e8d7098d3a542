package dev.steward.store.idempotency;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * What {@link IdempotencyStore#begin} found. Exactly one caller ever gets {@link Started} for a key (until an
 * {@link IdempotencyStore#abort abort}); every other caller gets one of the other two and must not act.
 */
public sealed interface BeginResult {

    /** This caller recorded the attempt and owns the action: act, then {@code complete} or {@code abort}. */
    record Started(IdempotencyKey key, Instant at) implements BeginResult {
        public Started {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(at, "at");
        }
    }

    /** An earlier attempt finished. Return {@code outcome} as the action's result; never act again. */
    record AlreadyCompleted(JsonNode outcome, Instant completedAt) implements BeginResult {
        public AlreadyCompleted {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(completedAt, "completedAt");
        }
    }

    /**
     * An earlier attempt began at {@code since} and has not recorded an outcome: it may still be running, or it
     * crashed after acting, or before. The action may or may not have happened, so acting again could repeat it:
     * route to human review instead.
     */
    record InProgress(Instant since) implements BeginResult {
        public InProgress {
            Objects.requireNonNull(since, "since");
        }
    }
}
