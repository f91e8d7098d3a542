package dev.steward.store.connection;

import dev.steward.core.tenant.TenantId;
import dev.steward.store.StewardTable;
import dev.steward.store.TenantItems;
import java.util.List;
import java.util.Optional;

/**
 * A tenant's vendor connections, one item per vendor under the tenant's key ({@code CONNECTION#<vendor>}). Every
 * method takes the tenant first and reads or writes only that tenant's partition, so one tenant's credentials can
 * never serve another tenant's call.
 */
public final class ConnectionStore {
    private final TenantItems<ConnectionSettings> items;

    public ConnectionStore(StewardTable table) {
        this.items = new TenantItems<>(table, "CONNECTION#", ConnectionSettings.class);
    }

    /** Saves the connection, replacing the vendor's previous one. */
    public void put(TenantId tenant, ConnectionSettings settings) {
        items.put(tenant, settings.vendor(), settings);
    }

    public Optional<ConnectionSettings> find(TenantId tenant, String vendor) {
        return items.find(tenant, vendor);
    }

    public List<ConnectionSettings> list(TenantId tenant) {
        return items.list(tenant);
    }

    /** Removes the vendor's connection; true when there was one. */
    public boolean delete(TenantId tenant, String vendor) {
        return items.delete(tenant, vendor);
    }
}
