package dev.steward.local;

import dev.steward.core.agent.AgentTemplate;
import dev.steward.core.json.Json;
import dev.steward.core.tenant.Role;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.Stores;
import dev.steward.store.tenant.ApiKeyRecord;
import dev.steward.store.tenant.ApiKeys;
import dev.steward.store.tenant.TenantRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What the local operator may do: create tenants (with an admin key and the template agents) and issue a tenant
 * further keys, each with its role. Keys are generated, hashed and stored exactly as the authorizer reads them.
 */
final class LocalOperator {
    private final java.util.Set<TenantId> known = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Stores stores;
    private final ApiKeys keys;
    private final String operatorToken;
    private final Path agentTemplates;
    private final Clock clock;

    LocalOperator(Stores stores, ApiKeys keys, String operatorToken, Path agentTemplates, Clock clock) {
        this.stores = stores;
        this.keys = keys;
        this.operatorToken = operatorToken;
        this.agentTemplates = agentTemplates;
        this.clock = clock;
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

    /** Creates the tenant with the template agents; the admin API key, shown once, or empty if it exists. */
    Optional<String> createTenant(TenantId tenant) {
        if (!stores.tenants().create(new TenantRecord(tenant, tenant.value(), clock.instant()))) {
            return Optional.empty();
        }
        for (AgentTemplate agent : templates()) {
            stores.agents().put(tenant, agent);
        }
        return Optional.of(issueKey(tenant, Role.ADMIN, "created by steward tenant create"));
    }

    /** A new API key of an existing tenant with {@code role}, shown once; empty when there is no such tenant. */
    Optional<String> createKey(TenantId tenant, Role role) {
        if (!tenantExists(tenant)) {
            return Optional.empty();
        }
        return Optional.of(issueKey(tenant, role, "created by steward tenant key"));
    }

    private String issueKey(TenantId tenant, Role role, String label) {
        ApiKeys.NewKey key = keys.generate(tenant);
        stores.tenants().putKey(new ApiKeyRecord(tenant, key.keyId(), keys.hash(key.key()), role, label, clock.instant()));
        return key.key();
    }

    List<AgentTemplate> templates() {
        try (Stream<Path> files = Files.list(agentTemplates)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted()
                    .map(f -> {
                        try {
                            return Json.mapper().readValue(f.toFile(), AgentTemplate.class);
                        } catch (IOException e) {
                            throw new UncheckedIOException("agent template " + f + " is invalid", e);
                        }
                    })
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read agent templates in " + agentTemplates, e);
        }
    }
}
