package dev.steward.store.tenant;

import dev.steward.core.tenant.TenantId;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * A tenant's settings row.
 *
 * @param own the limits the operator gave this tenant; a limit not in it is the deployment's default
 */
public record TenantRecord(TenantId id, String displayName, Instant createdAt, Map<TenantLimit, Long> own) {
    public TenantRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(createdAt, "createdAt");
        EnumMap<TenantLimit, Long> copy = new EnumMap<>(TenantLimit.class);
        Objects.requireNonNull(own, "own").forEach((limit, value) -> copy.put(limit, limit.check(Objects.requireNonNull(value, limit.wire()))));
        own = Collections.unmodifiableMap(copy);
    }

    /** A tenant on the deployment's limits. */
    public TenantRecord(TenantId id, String displayName, Instant createdAt) {
        this(id, displayName, createdAt, Map.of());
    }

    /** The tenant's {@code limit}: its own, else {@code deploymentDefault}. */
    public long limit(TenantLimit limit, long deploymentDefault) {
        return own.getOrDefault(limit, deploymentDefault);
    }
}
