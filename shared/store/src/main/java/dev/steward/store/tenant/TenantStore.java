package dev.steward.store.tenant;

import dev.steward.core.tenant.Role;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.StewardTable;
import dev.steward.store.TableAccess;
import dev.steward.store.audit.AuditEvent;
import dev.steward.store.audit.AuditStore;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Tenants, their settings and their API key hashes. A tenant, each key and each change of its settings are written
 * only together with their audit event ({@link AuditStore#commit}): no key is issued and no budget changed without a
 * trace of who did it.
 */
public final class TenantStore {
    private static final String DAILY_TOKENS = "dailyTokens";
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
        EnhancedDocument.Builder doc = TableAccess.item(TableAccess.tenantKey(tenant.id()), "TENANT")
                .putString("displayName", tenant.displayName())
                .putString("createdAt", tenant.createdAt().toString());
        if (tenant.dailyTokens() != null) {
            doc.putNumber(DAILY_TOKENS, tenant.dailyTokens());
        }
        return doc.build();
    }

    public Optional<TenantRecord> find(TenantId id) {
        return TableAccess.get(table, TableAccess.tenantKey(id), "TENANT").map(d -> fromItem(id, d));
    }

    /**
     * Gives the tenant its own daily model-token budget, or puts it back on the deployment's default ({@code null}),
     * and appends {@code event}, in one transaction. Nothing else of the tenant changes.
     *
     * @return the tenant as it now is; empty when there is no such tenant (nothing is written then)
     */
    public Optional<TenantRecord> setDailyTokens(TenantId id, Long dailyTokens, AuditEvent event) {
        if (dailyTokens != null) {
            DailyTokens.check(dailyTokens);
        }
        Update.Builder update = Update.builder().tableName(table.name())
                .key(Map.of(StewardTable.PK, AttributeValue.fromS(TableAccess.tenantKey(id)), StewardTable.SK, AttributeValue.fromS("TENANT")))
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeNames(Map.of("#d", DAILY_TOKENS));
        if (dailyTokens == null) {
            update.updateExpression("REMOVE #d");
        } else {
            update.updateExpression("SET #d = :d").expressionAttributeValues(Map.of(":d", AttributeValue.fromN(Long.toString(dailyTokens))));
        }
        if (!AuditStore.commit(table, event, TransactWriteItem.builder().update(update.build()).build())) {
            return Optional.empty();
        }
        return find(id);
    }

    private static TenantRecord fromItem(TenantId id, EnhancedDocument d) {
        return new TenantRecord(id, d.getString("displayName"), Instant.parse(d.getString("createdAt")),
                d.isPresent(DAILY_TOKENS) ? d.getNumber(DAILY_TOKENS).longValue() : null);
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
