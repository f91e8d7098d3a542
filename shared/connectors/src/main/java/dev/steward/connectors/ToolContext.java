package dev.steward.connectors;

import dev.steward.core.run.RunId;
import dev.steward.core.run.ToolCall;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.idempotency.IdempotencyKey;
import java.util.Objects;

/**
 * Who is calling a tool and for which call: the tenant (applied by every tool to everything it reads or writes),
 * the run, the run's step index and the model's tool-call id. Together they identify the call across retries:
 * {@link #idempotencyKey()} is the same for every retry of it and different for every other call.
 *
 * @param step the run's step index; must identify the step across segments (not restart after a review)
 */
public record ToolContext(TenantId tenant, RunId run, int step, String callId) {
    public ToolContext {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(run, "run");
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        if (callId == null || callId.isBlank()) {
            throw new IllegalArgumentException("callId must not be blank");
        }
    }

    public static ToolContext of(TenantId tenant, RunId run, int step, ToolCall call) {
        return new ToolContext(tenant, run, step, call.id());
    }

    public IdempotencyKey idempotencyKey() {
        return IdempotencyKey.of(tenant, run, step, callId);
    }
}
