package dev.steward.local;

import dev.steward.core.tenant.TenantId;
import dev.steward.store.Stores;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Local mode's operator: whoever holds the operator token (the {@code steward} CLI on this machine). The token
 * stands in for the IAM credentials that the admin routes take on AWS, and lets the CLI act as an admin of a tenant
 * it names. Creating tenants and keys is the api function's {@code TenantAdmin}, the same as on AWS.
 */
final class LocalOperator {
    private final Set<TenantId> known = ConcurrentHashMap.newKeySet();
    private final Stores stores;
    private final String operatorToken;

    LocalOperator(Stores stores, String operatorToken) {
        this.stores = stores;
        this.operatorToken = operatorToken;
    }

    boolean tokenMatches(String token) {
        return LocalGateway.constantTimeEquals(operatorToken, token);
    }

    /** Tenants are never deleted, so one that was found once is remembered. */
    boolean tenantExists(TenantId tenant) {
        if (known.contains(tenant)) {
            return true;
        }
        boolean found = stores.tenants().find(tenant).isPresent();
        if (found) {
            known.add(tenant);
        }
        return found;
    }
}
