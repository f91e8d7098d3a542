package dev.steward.store.policy;

import dev.steward.core.json.Json;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.StewardTable;
import dev.steward.store.TableAccess;
import dev.steward.store.audit.AuditEvent;
import dev.steward.store.audit.AuditStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;

/**
 * Versioned tenant policies. All versions of a tenant live under one partition key {@code T#<tenant>#POLICY},
 * one item per version (sort key {@code V#<version, 10 digits>}), never overwritten, so every read names the
 * tenant and history is kept. A new version is written only if the caller saw the current one: the write of
 * version n+1 is conditional on no item n+1 existing, so of two concurrent saves based on version n exactly one
 * wins and the other gets {@link VersionConflictException}.
 */
public final class PolicyStore {
    private static final String KIND = "POLICY";
    private static final String VERSION_PREFIX = "V#";
    private final StewardTable table;

    public PolicyStore(StewardTable table) {
        this.table = table;
    }

    /** The saver's expected version is not the current one (someone saved in between, or it never existed). */
    public static final class VersionConflictException extends RuntimeException {
        private final long currentVersion;

        public VersionConflictException(long expected, long currentVersion) {
            super("the policy is at version " + currentVersion + ", not " + expected + "; reload it and apply your change again");
            this.currentVersion = currentVersion;
        }

        public long currentVersion() {
            return currentVersion;
        }
    }

    /**
     * Saves a new version, {@code expectedVersion + 1}.
     *
     * @param expectedVersion the version the caller edited: 0 when the tenant has none stored yet
     * @throws VersionConflictException when the current version is not {@code expectedVersion}
     */
    public PolicyVersion put(TenantId tenant, long expectedVersion, String source, List<String> emailDomains, String author,
            String comment, Instant now) {
        return put(tenant, expectedVersion, source, emailDomains, author, comment, now, null);
    }

    /**
     * As {@link #put(TenantId, long, String, List, String, String, Instant)}, with {@code event} (null: none) appended in
     * the same transaction as the new version.
     */
    public PolicyVersion put(TenantId tenant, long expectedVersion, String source, List<String> emailDomains, String author,
            String comment, Instant now, AuditEvent event) {
        long current = current(tenant).map(PolicyVersion::version).orElse(0L);
        if (current != expectedVersion) {
            throw new VersionConflictException(expectedVersion, current);
        }
        PolicyVersion next = new PolicyVersion(tenant, expectedVersion + 1, source, emailDomains, author, comment, now);
        EnhancedDocument item = TableAccess.item(partition(tenant), sortKey(next.version()))
                .putNumber("version", next.version())
                .putString("body", Json.write(next))
                .build();
        boolean written = event == null ? TableAccess.putIfAbsent(table, item)
                : AuditStore.commit(table, event, TableAccess.transactPut(table, item, TableAccess.absent()));
        if (!written) {
            throw new VersionConflictException(expectedVersion, current(tenant).map(PolicyVersion::version).orElse(0L));
        }
        return next;
    }

    /** The newest version, if the tenant stored any. */
    public Optional<PolicyVersion> current(TenantId tenant) {
        return versions(tenant, 1).stream().findFirst();
    }

    public Optional<PolicyVersion> version(TenantId tenant, long version) {
        if (version < 1) {
            return Optional.empty();
        }
        return TableAccess.get(table, partition(tenant), sortKey(version)).map(PolicyStore::read);
    }

    /** Up to {@code limit} versions, newest first. */
    public List<PolicyVersion> versions(TenantId tenant, int limit) {
        return table.documents()
                .query(r -> r.queryConditional(QueryConditional.sortBeginsWith(
                                Key.builder().partitionValue(partition(tenant)).sortValue(VERSION_PREFIX).build()))
                        .scanIndexForward(false)
                        .consistentRead(true)
                        .limit(limit))
                .stream()
                .flatMap(p -> p.items().stream())
                .limit(limit)
                .map(PolicyStore::read)
                .toList();
    }

    private static PolicyVersion read(EnhancedDocument d) {
        return Json.read(d.getString("body"), PolicyVersion.class);
    }

    private static String partition(TenantId tenant) {
        return TableAccess.listingKey(tenant, KIND);
    }

    private static String sortKey(long version) {
        return VERSION_PREFIX + String.format("%010d", version);
    }
}
