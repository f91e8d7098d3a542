package dev.steward.core.tenant;

import java.util.Objects;

/** Who is calling, resolved once at the edge by the authorizer. */
public record Principal(TenantId tenant, String id, Role role) {
    public Principal {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(role, "role");
    }
}
