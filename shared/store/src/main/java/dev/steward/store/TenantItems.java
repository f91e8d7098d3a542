package dev.steward.store;

import dev.steward.core.json.Json;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.audit.AuditEvent;
import dev.steward.store.audit.AuditStore;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;

/**
 * Small per-tenant settings kept as JSON, one item per name under the tenant's key ({@code <prefix><name>}): what the
 * webhook and connection stores share. Reads are consistent, so a setting saved is seen by the next call.
 */
public final class TenantItems<T> {
    private final StewardTable table;
    private final String prefix;
    private final Class<T> type;

    public TenantItems(StewardTable table, String prefix, Class<T> type) {
        this.table = table;
        this.prefix = prefix;
        this.type = type;
    }

    /** Saves {@code value} as {@code name}, replacing what was there. */
    public void put(TenantId tenant, String name, T value) {
        table.documents().putItem(item(tenant, name, value));
    }

    /** Saves {@code value} as {@code name}, replacing what was there, and appends {@code event}, in one transaction. */
    public void put(TenantId tenant, String name, T value, AuditEvent event) {
        AuditStore.commit(table, event, TableAccess.transactPut(table, item(tenant, name, value), null));
    }

    private EnhancedDocument item(TenantId tenant, String name, T value) {
        return TableAccess.item(TableAccess.tenantKey(tenant), prefix + name).putString("body", Json.write(value)).build();
    }

    public Optional<T> find(TenantId tenant, String name) {
        return TableAccess.get(table, TableAccess.tenantKey(tenant), prefix + name).map(d -> Json.read(d.getString("body"), type));
    }

    /** Every item of the tenant under this prefix, in name order, each with the name its key holds. */
    public List<Named<T>> list(TenantId tenant) {
        return table.documents()
                .query(r -> r.queryConditional(QueryConditional.sortBeginsWith(
                        Key.builder().partitionValue(TableAccess.tenantKey(tenant)).sortValue(prefix).build())).consistentRead(true))
                .items().stream()
                .map(d -> new Named<>(d.getString(StewardTable.SK).substring(prefix.length()), Json.read(d.getString("body"), type)))
                .toList();
    }

    /**
     * One item and the name in its key: what a sealed credential in it is bound to, whatever the body says (an item
     * copied under another name must not open).
     */
    public record Named<T>(String name, T value) {}

    /** Removes {@code name} and appends {@code event}, in one transaction; false (and no event) when it was not there. */
    public boolean delete(TenantId tenant, String name, AuditEvent event) {
        return AuditStore.commit(table, event, TableAccess.transactDeleteExisting(table, TableAccess.tenantKey(tenant), prefix + name));
    }

    /** Removes {@code name}; true when it was there. */
    public boolean delete(TenantId tenant, String name) {
        return table.documents().deleteItem(Key.builder().partitionValue(TableAccess.tenantKey(tenant)).sortValue(prefix + name).build())
                != null;
    }
}
