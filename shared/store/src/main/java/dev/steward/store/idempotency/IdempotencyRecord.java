package dev.steward.store.idempotency;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * A stored idempotency record, as read back (for review screens and tests). {@code outcome} and
 * {@code completedAt} are set only when {@code status} is {@link Status#COMPLETED}; {@code expiresAt} is when
 * DynamoDB's TTL may delete it.
 */
public record IdempotencyRecord(
        TenantId tenant,
        IdempotencyKey key,
        Status status,
        PayloadHash payloadHash,
        Instant startedAt,
        Instant completedAt,
        JsonNode outcome,
        Instant expiresAt) {

    public enum Status { IN_PROGRESS, COMPLETED }

    public IdempotencyRecord {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(payloadHash, "payloadHash");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (status == Status.COMPLETED && (completedAt == null || outcome == null)) {
            throw new IllegalArgumentException("a completed record needs completedAt and outcome");
        }
    }
}
