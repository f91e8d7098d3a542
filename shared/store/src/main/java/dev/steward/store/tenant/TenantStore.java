package dev.steward.store.tenant;

import dev.steward.core.tenant.Role;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.StewardTable;
import dev.steward.store.TableAccess;
import dev.steward.store.audit.AuditEvent;
import dev.steward.store.audit.AuditStore;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;

/**
 * Tenants and their API key hashes. A tenant and each key are written only together with their audit event
 * ({@link AuditStore#commit}): no key is issued without a trace of who issued it.
 */
public final class TenantStore {
    private final StewardTable table;

    public TenantStore(StewardTable table) {
        this.table = table;
    }

    /**
     * Creates the tenant with its first API key and appends {@code event}, in one transaction; false, with nothing
     * written, when the tenant already exists.
     */
    public boolean create(TenantRecord tenant, ApiKeyRecord firstKey, AuditEvent event) {
        return AuditStore.commit(table, event, TableAccess.transactPut(table, tenantItem(tenant), TableAccess.absent()),
                TableAccess.transactPut(table, keyItem(firstKey), TableAccess.absent()));
    }

    private static EnhancedDocument tenantItem(TenantRecord tenant) {
        return TableAccess.item(TableAccess.tenantKey(tenant.id()), "TENANT")
                .putString("displayName", tenant.displayName())
                .putString("createdAt", tenant.createdAt().toString())
                .build();
    }

    public Optional<TenantRecord> find(TenantId id) {
        return TableAccess.get(table, TableAccess.tenantKey(id), "TENANT")
                .map(d -> new TenantRecord(id, d.getString("displayName"), Instant.parse(d.getString("createdAt"))));
    }

    /** Stores {@code key} and appends {@code event}, in one transaction. */
    public void putKey(ApiKeyRecord key, AuditEvent event) {
        if (!AuditStore.commit(table, event, TableAccess.transactPut(table, keyItem(key), TableAccess.absent()))) {
            throw new IllegalStateException("API key id collision for " + key.keyId());
        }
    }

    private static EnhancedDocument keyItem(ApiKeyRecord key) {
        return TableAccess.item(TableAccess.tenantKey(key.tenant()), "KEY#" + key.keyId())
                .putString("hash", key.hash())
                .putString("role", key.role().name())
                .putString("label", key.label())
                .putString("createdAt", key.createdAt().toString())
                .build();
    }

    public Optional<ApiKeyRecord> findKey(TenantId tenant, String keyId) {
        return TableAccess.get(table, TableAccess.tenantKey(tenant), "KEY#" + keyId)
                .map(d -> new ApiKeyRecord(tenant, keyId, d.getString("hash"), Role.valueOf(d.getString("role")),
                        d.getString("label"), Instant.parse(d.getString("createdAt"))));
    }
}
