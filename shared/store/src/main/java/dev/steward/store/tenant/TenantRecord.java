package dev.steward.store.tenant;

import dev.steward.core.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;

/** A tenant's settings row. */
public record TenantRecord(TenantId id, String displayName, Instant createdAt) {
    public TenantRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
