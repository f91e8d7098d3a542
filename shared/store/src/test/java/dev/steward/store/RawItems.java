package dev.steward.store;

import dev.steward.core.json.Json;
import dev.steward.core.tenant.TenantId;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;

/**
 * A tenant item's JSON body as the table holds it, below the stores: what someone reading the table (a backup, an
 * export, a role with GetItem) sees, an item written by an older version, and an item copied under another key.
 */
public final class RawItems {
    private RawItems() {}

    /** The whole stored item of {@code tenant} under sort key {@code sk}, as JSON. */
    public static String item(StewardTable table, TenantId tenant, String sk) {
        return TableAccess.get(table, TableAccess.tenantKey(tenant), sk).orElseThrow().toJson();
    }

    /** The item's {@code body} attribute. */
    public static String body(StewardTable table, TenantId tenant, String sk) {
        return TableAccess.get(table, TableAccess.tenantKey(tenant), sk).orElseThrow().getString("body");
    }

    /** Writes {@code value} as the item's body directly, as a version before sealing did. */
    public static void putBody(StewardTable table, TenantId tenant, String sk, Object value) {
        put(table, tenant, sk, Json.write(value));
    }

    /** Copies the body of one item to another key, possibly another tenant's. */
    public static void copy(StewardTable table, TenantId from, String fromSk, TenantId to, String toSk) {
        put(table, to, toSk, body(table, from, fromSk));
    }

    private static void put(StewardTable table, TenantId tenant, String sk, String body) {
        EnhancedDocument item = TableAccess.item(TableAccess.tenantKey(tenant), sk).putString("body", body).build();
        table.documents().putItem(item);
    }
}
