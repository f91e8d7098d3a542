package dev.steward.function.authorizer;

import dev.steward.core.tenant.Principal;
import dev.steward.store.tenant.ApiKeyRecord;
import dev.steward.store.tenant.ApiKeys;
import dev.steward.store.tenant.TenantStore;
import java.util.Optional;

/**
 * Resolves an API key to a principal: parse the key, load its stored hash by tenant and key id,
 * compare in constant time. Unknown tenant, unknown key id and wrong secret are indistinguishable to the caller.
 */
public final class ApiKeyAuthenticator {
    private final TenantStore tenants;
    private final ApiKeys keys;

    public ApiKeyAuthenticator(TenantStore tenants, ApiKeys keys) {
        this.tenants = tenants;
        this.keys = keys;
    }

    /** @param key the credential after {@code Bearer } */
    public Optional<Principal> authenticate(String key) {
        return ApiKeys.parse(key)
                .flatMap(parsed -> tenants.findKey(parsed.tenant(), parsed.keyId())
                        .filter(stored -> keys.matches(parsed.key(), stored.hash()))
                        .map(ApiKeyAuthenticator::principalOf));
    }

    private static Principal principalOf(ApiKeyRecord key) {
        return new Principal(key.tenant(), "key:" + key.keyId(), key.role());
    }
}
