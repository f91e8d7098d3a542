package dev.steward.connectors.http;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import dev.steward.connectors.Tool;
import dev.steward.connectors.ToolContext;
import dev.steward.connectors.ToolResult;
import dev.steward.core.run.RunId;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.StewardTable;
import dev.steward.store.Stores;
import dev.steward.store.connection.ConnectionSettings;
import java.time.Instant;
import java.util.Map;

/** DynamoDB Local with the table, connections of tenants, and calls of a tool, for the vendor connector tests. */
public final class VendorTestSupport implements AutoCloseable {
    public static final Instant T0 = Instant.parse("2026-05-01T12:00:00Z");
    private final AmazonDynamoDBLocal dynamo = DynamoDBEmbedded.create(false);
    private final Stores stores;

    public VendorTestSupport() {
        StewardTable table = new StewardTable(dynamo.dynamoDbClient(), "steward-vendors-test");
        table.createIfMissing();
        stores = Stores.over(table);
    }

    public Stores stores() {
        return stores;
    }

    public void connect(TenantId tenant, String vendor, Map<String, String> fields, String token) {
        stores.connections().put(tenant, new ConnectionSettings(vendor, fields, token, T0, "key:test-admin"));
    }

    /** A new call of a new run of {@code tenant}: its own idempotency key. */
    public static ToolContext newCall(TenantId tenant) {
        return new ToolContext(tenant, RunId.random(), 3, "call_1");
    }

    /** The result, which must be a failure with {@code code}. */
    public static ToolResult.Failed failed(ToolResult result, String code) {
        if (!(result instanceof ToolResult.Failed f) || !f.code().equals(code)) {
            throw new AssertionError("expected a failure '" + code + "', got " + result);
        }
        return f;
    }

    public static ToolResult.Success success(ToolResult result) {
        if (!(result instanceof ToolResult.Success s)) {
            throw new AssertionError("expected a success, got " + result);
        }
        return s;
    }

    public static Tool named(java.util.List<Tool> tools, String name) {
        return tools.stream().filter(t -> t.spec().name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no tool " + name + " among " + tools.stream().map(t -> t.spec().name()).toList()));
    }

    @Override
    public void close() {
        dynamo.shutdown();
    }
}
