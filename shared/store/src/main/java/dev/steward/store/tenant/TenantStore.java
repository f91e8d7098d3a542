package dev.steward.store.tenant;

import dev.steward.core.tenant.Role;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.StewardTable;
import dev.steward.store.TableAccess;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;

/** Tenants and their API key hashes. */
public final class TenantStore {
    private final StewardTable table;

    public TenantStore(StewardTable table) {
        this.table = table;
    }

    /** Creates the tenant; false when it already exists (nothing is changed then). */
    public boolean create(TenantRecord tenant) {
        EnhancedDocument doc = TableAccess.item(TableAccess.tenantKey(tenant.id()), "TENANT")
                .putString("displayName", tenant.displayName())
                .putString("createdAt", tenant.createdAt().toString())
                .build();
        return TableAccess.putIfAbsent(table, doc);
    }

    public Optional<TenantRecord> find(TenantId id) {
        return TableAccess.get(table, TableAccess.tenantKey(id), "TENANT")
                .map(d -> new TenantRecord(id, d.getString("displayName"), Instant.parse(d.getString("createdAt"))));
    }

    public void putKey(ApiKeyRecord key) {
        EnhancedDocument doc = TableAccess.item(TableAccess.tenantKey(key.tenant()), "KEY#" + key.keyId())
                .putString("hash", key.hash())
                .putString("role", key.role().name())
                .putString("label", key.label())
                .putString("createdAt", key.createdAt().toString())
                .build();
        if (!TableAccess.putIfAbsent(table, doc)) {
            throw new IllegalStateException("API key id collision for " + key.keyId());
        }
    }

    public Optional<ApiKeyRecord> findKey(TenantId tenant, String keyId) {
        return TableAccess.get(table, TableAccess.tenantKey(tenant), "KEY#" + keyId)
                .map(d -> new ApiKeyRecord(tenant, keyId, d.getString("hash"), Role.valueOf(d.getString("role")),
                        d.getString("label"), Instant.parse(d.getString("createdAt"))));
    }
}
