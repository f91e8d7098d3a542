package dev.steward.store.tenant;

import dev.steward.core.tenant.Role;
import dev.steward.core.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;

/** A stored API key: its id, role and HMAC-SHA-256 hash. The key itself is never stored. */
public record ApiKeyRecord(TenantId tenant, String keyId, String hash, Role role, String label, Instant createdAt) {
    public ApiKeyRecord {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(role, "role");
        label = label == null ? "" : label;
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
