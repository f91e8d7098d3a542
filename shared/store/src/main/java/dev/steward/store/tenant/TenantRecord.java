package dev.steward.store.tenant;

import dev.steward.core.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * A tenant's settings row.
 *
 * @param dailyTokens model tokens (in + out) the tenant may use per UTC day, set by the operator; null for the
 *                    deployment's default ({@link DailyTokens#VARIABLE})
 */
public record TenantRecord(TenantId id, String displayName, Instant createdAt, Long dailyTokens) {
    public TenantRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(createdAt, "createdAt");
        if (dailyTokens != null) {
            DailyTokens.check(dailyTokens);
        }
    }

    /** A tenant on the deployment's daily budget. */
    public TenantRecord(TenantId id, String displayName, Instant createdAt) {
        this(id, displayName, createdAt, null);
    }

    /** The tenant's daily budget: its own, else {@code deploymentDefault}. */
    public long dailyTokensOr(long deploymentDefault) {
        return dailyTokens != null ? dailyTokens : deploymentDefault;
    }
}
