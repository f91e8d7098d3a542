package dev.steward.store.webhook;

import dev.steward.core.json.Json;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.StewardTable;
import dev.steward.store.TableAccess;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;

/** A tenant's webhook settings, one item per vendor under the tenant's key ({@code WEBHOOK#<source>}). */
public final class WebhookStore {
    private static final String PREFIX = "WEBHOOK#";
    private final StewardTable table;

    public WebhookStore(StewardTable table) {
        this.table = table;
    }

    /** Saves the settings, replacing the vendor's previous ones. */
    public void put(TenantId tenant, WebhookSettings settings) {
        table.documents().putItem(TableAccess.item(TableAccess.tenantKey(tenant), PREFIX + settings.source())
                .putString("body", Json.write(settings))
                .build());
    }

    public Optional<WebhookSettings> find(TenantId tenant, String source) {
        return TableAccess.get(table, TableAccess.tenantKey(tenant), PREFIX + source)
                .map(d -> Json.read(d.getString("body"), WebhookSettings.class));
    }

    public List<WebhookSettings> list(TenantId tenant) {
        return table.documents()
                .query(r -> r.queryConditional(QueryConditional.sortBeginsWith(
                        Key.builder().partitionValue(TableAccess.tenantKey(tenant)).sortValue(PREFIX).build())).consistentRead(true))
                .items().stream()
                .map(d -> Json.read(d.getString("body"), WebhookSettings.class))
                .toList();
    }

    /** Removes the vendor's settings; true when there were any. */
    public boolean delete(TenantId tenant, String source) {
        return table.documents().deleteItem(Key.builder().partitionValue(TableAccess.tenantKey(tenant)).sortValue(PREFIX + source).build())
                != null;
    }
}
