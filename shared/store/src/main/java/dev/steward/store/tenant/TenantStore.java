package dev.steward.store.tenant;

import dev.steward.core.tenant.Role;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.StewardTable;
import dev.steward.store.TableAccess;
import dev.steward.store.audit.AuditEvent;
import dev.steward.store.audit.AuditStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Tenants, their settings and their API key hashes. A tenant, each key and each change of its limits are written
 * only together with their audit event ({@link AuditStore#commit}): no key is issued and no limit changed without a
 * trace of who did it.
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
        EnhancedDocument.Builder doc = TableAccess.item(TableAccess.tenantKey(tenant.id()), "TENANT")
                .putString("displayName", tenant.displayName())
                .putString("createdAt", tenant.createdAt().toString());
        tenant.own().forEach((limit, value) -> doc.putNumber(limit.wire(), value));
        return doc.build();
    }

    public Optional<TenantRecord> find(TenantId id) {
        return TableAccess.get(table, TableAccess.tenantKey(id), "TENANT").map(d -> fromItem(id, d));
    }

    /** The tenant's {@code limit}: its own, else {@code deploymentDefault} (also for a tenant not found). */
    public long limit(TenantId id, TenantLimit limit, long deploymentDefault) {
        return find(id).map(t -> t.limit(limit, deploymentDefault)).orElse(deploymentDefault);
    }

    /**
     * Changes the tenant's own limits and appends {@code event}, in one transaction: each limit in {@code changes} is
     * set to its value, or removed (back to the deployment's default) when the value is null; the others and the rest
     * of the tenant stay as they are.
     *
     * @return the tenant as it now is; empty when there is no such tenant (nothing is written then)
     */
    public Optional<TenantRecord> setLimits(TenantId id, Map<TenantLimit, Long> changes, AuditEvent event) {
        if (changes.isEmpty()) {
            throw new IllegalArgumentException("no limit to change");
        }
        List<String> set = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        changes.forEach((limit, value) -> {
            String name = "#" + limit.wire();
            names.put(name, limit.wire());
            if (value == null) {
                remove.add(name);
            } else {
                values.put(":" + limit.wire(), AttributeValue.fromN(Long.toString(limit.check(value))));
                set.add(name + " = :" + limit.wire());
            }
        });
        String expression = (set.isEmpty() ? "" : "SET " + String.join(", ", set)) + (set.isEmpty() || remove.isEmpty() ? "" : " ")
                + (remove.isEmpty() ? "" : "REMOVE " + String.join(", ", remove));
        Update.Builder update = Update.builder().tableName(table.name())
                .key(Map.of(StewardTable.PK, AttributeValue.fromS(TableAccess.tenantKey(id)), StewardTable.SK, AttributeValue.fromS("TENANT")))
                .conditionExpression("attribute_exists(pk)")
                .updateExpression(expression)
                .expressionAttributeNames(names);
        if (!values.isEmpty()) {
            update.expressionAttributeValues(values);
        }
        if (!AuditStore.commit(table, event, TransactWriteItem.builder().update(update.build()).build())) {
            return Optional.empty();
        }
        return find(id);
    }

    private static TenantRecord fromItem(TenantId id, EnhancedDocument d) {
        Map<TenantLimit, Long> own = new EnumMap<>(TenantLimit.class);
        for (TenantLimit limit : TenantLimit.values()) {
            if (d.isPresent(limit.wire())) {
                own.put(limit, d.getNumber(limit.wire()).longValue());
            }
        }
        return new TenantRecord(id, d.getString("displayName"), Instant.parse(d.getString("createdAt")), own);
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
