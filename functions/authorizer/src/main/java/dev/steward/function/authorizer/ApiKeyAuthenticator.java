package dev.steward.function.authorizer;

import dev.steward.core.tenant.Principal;
import dev.steward.store.tenant.ApiKeyRecord;
import dev.steward.store.tenant.ApiKeys;
import dev.steward.store.tenant.TenantStore;
import java.util.Locale;
import java.util.Optional;

/**
 * Resolves an {@code Authorization} header to a principal: parse the key, load its stored hash by tenant and key id,
 * compare in constant time. Unknown tenant, unknown key id and wrong secret are indistinguishable to the caller.
 */
public final class ApiKeyAuthenticator {
    private final TenantStore tenants;
    private final ApiKeys keys;

    public ApiKeyAuthenticator(TenantStore tenants, ApiKeys keys) {
        this.tenants = tenants;
        this.keys = keys;
    }

    public Optional<Principal> authenticate(String authorizationHeader) {
        if (authorizationHeader == null) {
            return Optional.empty();
        }
        String header = authorizationHeader.strip();
        if (!header.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
            return Optional.empty();
        }
        return ApiKeys.parse(header.substring(7).strip())
                .flatMap(parsed -> tenants.findKey(parsed.tenant(), parsed.keyId())
                        .filter(stored -> keys.matches(parsed.key(), stored.hash()))
                        .map(ApiKeyAuthenticator::principalOf));
    }

    private static Principal principalOf(ApiKeyRecord key) {
        return new Principal(key.tenant(), "key:" + key.keyId(), key.role());
    }
}
