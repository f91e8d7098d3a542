package dev.steward.store.tenant;

import dev.steward.core.tenant.Role;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.StewardTable;
import dev.steward.store.TableAccess;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/** Tenants, their settings and their API key hashes. */
public final class TenantStore {
    private static final String DAILY_TOKENS = "dailyTokens";
    private final StewardTable table;

    public TenantStore(StewardTable table) {
        this.table = table;
    }

    /** Creates the tenant; false when it already exists (nothing is changed then). */
    public boolean create(TenantRecord tenant) {
        EnhancedDocument.Builder doc = TableAccess.item(TableAccess.tenantKey(tenant.id()), "TENANT")
                .putString("displayName", tenant.displayName())
                .putString("createdAt", tenant.createdAt().toString());
        if (tenant.dailyTokens() != null) {
            doc.putNumber(DAILY_TOKENS, tenant.dailyTokens());
        }
        return TableAccess.putIfAbsent(table, doc.build());
    }

    public Optional<TenantRecord> find(TenantId id) {
        return TableAccess.get(table, TableAccess.tenantKey(id), "TENANT").map(d -> fromItem(id, d));
    }

    /**
     * Gives the tenant its own daily model-token budget, or puts it back on the deployment's default ({@code null}).
     * Nothing else of the tenant changes.
     *
     * @return the tenant as it now is; empty when there is no such tenant (nothing is written then)
     */
    public Optional<TenantRecord> setDailyTokens(TenantId id, Long dailyTokens) {
        if (dailyTokens != null) {
            DailyTokens.check(dailyTokens);
        }
        var key = Map.of(StewardTable.PK, AttributeValue.fromS(TableAccess.tenantKey(id)), StewardTable.SK, AttributeValue.fromS("TENANT"));
        try {
            var updated = table.client().updateItem(b -> {
                b.tableName(table.name()).key(key).conditionExpression("attribute_exists(pk)")
                        .expressionAttributeNames(Map.of("#d", DAILY_TOKENS)).returnValues(ReturnValue.ALL_NEW);
                if (dailyTokens == null) {
                    b.updateExpression("REMOVE #d");
                } else {
                    b.updateExpression("SET #d = :d").expressionAttributeValues(Map.of(":d", AttributeValue.fromN(Long.toString(dailyTokens))));
                }
            });
            return Optional.of(fromItem(id, EnhancedDocument.fromAttributeValueMap(updated.attributes())));
        } catch (ConditionalCheckFailedException noSuchTenant) {
            return Optional.empty();
        }
    }

    private static TenantRecord fromItem(TenantId id, EnhancedDocument d) {
        return new TenantRecord(id, d.getString("displayName"), Instant.parse(d.getString("createdAt")),
                d.isPresent(DAILY_TOKENS) ? d.getNumber(DAILY_TOKENS).longValue() : null);
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
