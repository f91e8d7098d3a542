package dev.steward.store.webhook;

import dev.steward.core.tenant.TenantId;
import dev.steward.store.StewardTable;
import dev.steward.store.TenantItems;
import java.util.List;
import java.util.Optional;

/** A tenant's webhook settings, one item per vendor under the tenant's key ({@code WEBHOOK#<source>}). */
public final class WebhookStore {
    private final TenantItems<WebhookSettings> items;

    public WebhookStore(StewardTable table) {
        this.items = new TenantItems<>(table, "WEBHOOK#", WebhookSettings.class);
    }

    /** Saves the settings, replacing the vendor's previous ones. */
    public void put(TenantId tenant, WebhookSettings settings) {
        items.put(tenant, settings.source(), settings);
    }

    public Optional<WebhookSettings> find(TenantId tenant, String source) {
        return items.find(tenant, source);
    }

    public List<WebhookSettings> list(TenantId tenant) {
        return items.list(tenant);
    }

    /** Removes the vendor's settings; true when there were any. */
    public boolean delete(TenantId tenant, String source) {
        return items.delete(tenant, source);
    }
}
