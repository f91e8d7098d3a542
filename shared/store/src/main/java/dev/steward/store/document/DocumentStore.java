package dev.steward.store.document;

import dev.steward.core.knowledge.DocumentId;
import dev.steward.core.knowledge.DocumentStatus;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.Listing;
import dev.steward.store.StewardTable;
import dev.steward.store.TableAccess;
import dev.steward.store.audit.AuditEvent;
import dev.steward.store.audit.AuditStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.DeleteItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Knowledge documents' metadata and status. Listing goes through {@code gsi1}, newest first.
 *
 * <p>Each document with a content hash also has a source item keyed by (name, content hash, mapping) that points at
 * the latest document uploaded with exactly those bytes and options, so a re-upload can be recognised in one read.
 */
public final class DocumentStore {
    private static final String KIND = "DOC";
    private static final String SOURCE_KIND = "DOCSRC";
    private static final String NAME_KIND = "DOCNAME";
    static final int QUEUED_SHARDS = 4;
    private static final EnhancedType<String> STRING = EnhancedType.of(String.class);
    private final StewardTable table;

    public DocumentStore(StewardTable table) {
        this.table = table;
    }

    /**
     * Writes the document (creating or replacing it), points its name item at it (so a later upload under the same
     * name replaces it) and, when it has a content hash, points its source item at it.
     */
    public void put(DocumentRecord d) {
        table.documents().putItem(item(d));
        table.documents().putItem(TableAccess.item(nameKey(d.tenant(), d.name()), "META")
                .putString("documentId", d.id().value())
                .build());
        if (d.contentHash() != null) {
            table.documents().putItem(TableAccess.item(sourceKey(d.tenant(), d.name(), d.contentHash(), d.mapping()), "META")
                    .putString("documentId", d.id().value())
                    .build());
        }
    }

    /**
     * Replaces a document that still exists; false when it was deleted meanwhile (so a worker finishing late never
     * brings a deleted document back).
     */
    public boolean update(DocumentRecord d) {
        return TableAccess.putIf(table, item(d), Expression.builder().expression("attribute_exists(pk)").build());
    }

    /**
     * Replaces the document only if it is still exactly as {@code seen} left it (same status and last write), so a
     * sweeper's decision never overwrites an upload or an ingestion that happened meanwhile.
     */
    public boolean updateIfUnchanged(DocumentRecord next, DocumentRecord seen) {
        return TableAccess.putIf(table, item(next), Expression.builder()
                .expression("attribute_exists(pk) AND #s = :s AND updatedAt = :u")
                .putExpressionName("#s", "status")
                .putExpressionValue(":s", AttributeValue.fromS(seen.status().name()))
                .putExpressionValue(":u", AttributeValue.fromS(seen.updatedAt().toString()))
                .build());
    }

    /** What a conditional update found: written, the record gone, or the record now for other bytes. */
    public enum UpdateOutcome { UPDATED, DELETED, REPLACED }

    /**
     * Replaces the document only while it still describes the bytes with {@code expectedHash} (null: a record
     * without a hash), so a worker that indexed one version never marks a newer upload under the same name as done.
     */
    public UpdateOutcome updateIfSameBytes(DocumentRecord d, String expectedHash) {
        Expression condition = expectedHash == null
                ? Expression.builder().expression("attribute_exists(pk) AND attribute_not_exists(contentHash)").build()
                : Expression.builder().expression("attribute_exists(pk) AND contentHash = :h")
                        .putExpressionValue(":h", AttributeValue.fromS(expectedHash)).build();
        if (TableAccess.putIf(table, item(d), condition)) {
            return UpdateOutcome.UPDATED;
        }
        return find(d.tenant(), d.id()).isPresent() ? UpdateOutcome.REPLACED : UpdateOutcome.DELETED;
    }

    /** The document last uploaded under {@code name} in the tenant, if it still exists. */
    public Optional<DocumentRecord> findByName(TenantId tenant, String name) {
        return TableAccess.get(table, nameKey(tenant, name), "META")
                .map(d -> d.getString("documentId"))
                .filter(DocumentId::isValid)
                .flatMap(id -> find(tenant, new DocumentId(id)))
                .filter(d -> d.name().equals(name));
    }

    public Optional<DocumentRecord> find(TenantId tenant, DocumentId id) {
        return TableAccess.get(table, TableAccess.tenantChildKey(tenant, KIND, id.value()), "META").map(d -> read(tenant, id, d));
    }

    /**
     * The latest document uploaded under {@code name} with these bytes and this mapping, if it still exists and still
     * holds them (a document replaced by other bytes under the same name keeps its id but no longer matches).
     */
    public Optional<DocumentRecord> findSame(TenantId tenant, String name, String contentHash, String mapping) {
        return TableAccess.get(table, sourceKey(tenant, name, contentHash, mapping), "META")
                .map(d -> d.getString("documentId"))
                .filter(DocumentId::isValid)
                .flatMap(id -> find(tenant, new DocumentId(id)))
                .filter(d -> d.name().equals(name) && contentHash.equals(d.contentHash()) && Objects.equals(mapping, d.mapping()));
    }

    /** Deletes the document's record (and its source item if that still points at it); false when there was none. */
    public boolean delete(TenantId tenant, DocumentId id) {
        return delete(tenant, id, null);
    }

    /**
     * As {@link #delete(TenantId, DocumentId)}, with {@code event} (null: none) appended in the same transaction as
     * the removal of the record itself (the pointers to it go first); false, and no event, when there was no record.
     */
    public boolean delete(TenantId tenant, DocumentId id, AuditEvent event) {
        Optional<DocumentRecord> existing = find(tenant, id);
        if (existing.isEmpty()) {
            return false;
        }
        DocumentRecord d = existing.get();
        if (d.contentHash() != null) {
            deleteIfPointsAt(sourceKey(tenant, d.name(), d.contentHash(), d.mapping()), id);
        }
        deleteIfPointsAt(nameKey(tenant, d.name()), id);
        String pk = TableAccess.tenantChildKey(tenant, KIND, id.value());
        if (event != null) {
            return AuditStore.commit(table, event, TableAccess.transactDeleteExisting(table, pk, "META"));
        }
        table.documents().deleteItem(Key.builder().partitionValue(pk).sortValue("META").build());
        return true;
    }

    /**
     * Documents still QUEUED across all tenants, longest waiting first, for the sweeper: queries of the sparse index
     * {@code gsi2}, which holds a document's keys only while it is QUEUED (spread over {@value #QUEUED_SHARDS}
     * partitions, sorted by the record's last write), then a read of each. Documents queued before the index held
     * them (an older table) are not listed until they are written again.
     */
    public List<DocumentRecord> listQueued(int limit) {
        return TableAccess.sparseKeys(table, QUEUED_SHARDS, DocumentStore::queuedShard, limit).stream()
                .map(d -> find(tenantOf(d), idOf(d)))
                .flatMap(Optional::stream)
                .filter(d -> d.status() == DocumentStatus.QUEUED) // settled between the query and the read
                .toList();
    }

    /**
     * Every document still QUEUED, by a scan of the whole table: for one machine's start-up (local mode re-queues
     * them), which must also find records written before {@link #listQueued}'s index held them. Never on AWS.
     */
    public List<DocumentRecord> scanQueued() {
        return TableAccess.scanByStatus(table, KIND, List.of(DocumentStatus.QUEUED.name())).stream()
                .map(d -> read(tenantOf(d), idOf(d), d))
                .toList();
    }

    /** The tenant of a document item, from its key {@code T#<tenant>#DOC#<id>}. */
    private static TenantId tenantOf(EnhancedDocument d) {
        return TenantId.of(d.getString(StewardTable.PK).split("#")[1]);
    }

    private static DocumentId idOf(EnhancedDocument d) {
        return new DocumentId(lastSegment(d.getString(StewardTable.PK)));
    }

    static String queuedShard(int shard) {
        return "QUEUED_DOC#" + String.format(java.util.Locale.ROOT, "%02d", shard);
    }

    public List<DocumentRecord> list(TenantId tenant, int limit) {
        return Listing.newest(table, TableAccess.listingKey(tenant, KIND), limit).stream()
                .map(d -> read(tenant, idOf(d), d))
                .toList();
    }

    private static EnhancedDocument item(DocumentRecord d) {
        EnhancedDocument.Builder b = TableAccess.item(TableAccess.tenantChildKey(d.tenant(), KIND, d.id().value()), "META")
                .putString(StewardTable.GSI1_PK, TableAccess.listingKey(d.tenant(), KIND))
                .putString(StewardTable.GSI1_SK, TableAccess.listingSortKey(d.createdAt(), d.id().value()))
                .putString("name", d.name())
                .putString("status", d.status().name())
                .putNumber("chunks", d.chunks())
                .putNumber("sizeBytes", d.sizeBytes())
                .putString("objectKey", d.objectKey())
                .putString("createdAt", d.createdAt().toString())
                .putString("updatedAt", d.updatedAt().toString());
        putIfPresent(b, "reason", d.reason());
        putIfPresent(b, "title", d.title());
        putIfPresent(b, "contentHash", d.contentHash());
        putIfPresent(b, "mapping", d.mapping());
        if (!d.warnings().isEmpty()) {
            b.putList("warnings", d.warnings(), STRING);
        }
        if (d.status() == DocumentStatus.QUEUED) {
            // Sparse: a document leaves the index with the write that indexes or fails it.
            b.putString(StewardTable.GSI2_PK, queuedShard(Math.floorMod(d.id().value().hashCode(), QUEUED_SHARDS)))
                    .putString(StewardTable.GSI2_SK, TableAccess.listingSortKey(d.updatedAt(), d.tenant().value() + "#" + d.id().value()));
        }
        return b.build();
    }

    private static void putIfPresent(EnhancedDocument.Builder b, String name, String value) {
        if (value != null) {
            b.putString(name, value);
        }
    }

    private static DocumentRecord read(TenantId tenant, DocumentId id, EnhancedDocument d) {
        List<String> warnings = d.isPresent("warnings") ? d.getList("warnings", STRING) : List.of();
        return new DocumentRecord(tenant, id, d.getString("name"), DocumentStatus.valueOf(d.getString("status")),
                d.getString("reason"), d.getString("title"), d.getNumber("chunks").intValue(),
                d.getNumber("sizeBytes").longValue(), d.getString("objectKey"), d.getString("contentHash"),
                d.getString("mapping"), warnings, Instant.parse(d.getString("createdAt")), Instant.parse(d.getString("updatedAt")));
    }

    /** Deletes a pointer item (name or source) unless a later upload owns it now. */
    private void deleteIfPointsAt(String pk, DocumentId id) {
        try {
            table.documents().deleteItem(DeleteItemEnhancedRequest.builder()
                    .key(Key.builder().partitionValue(pk).sortValue("META").build())
                    .conditionExpression(Expression.builder()
                            .expression("documentId = :id")
                            .putExpressionValue(":id", AttributeValue.fromS(id.value()))
                            .build())
                    .build());
        } catch (ConditionalCheckFailedException pointsElsewhere) {
            // a later upload owns the pointer
        }
    }

    private static String nameKey(TenantId tenant, String name) {
        return TableAccess.tenantChildKey(tenant, NAME_KIND, digest(name));
    }

    private static String sourceKey(TenantId tenant, String name, String contentHash, String mapping) {
        return TableAccess.tenantChildKey(tenant, SOURCE_KIND, digest(name + "\n" + contentHash + "\n" + (mapping == null ? "" : mapping)));
    }

    private static String digest(String text) {
        return DocumentRecord.contentHashOf(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String lastSegment(String pk) {
        return pk.substring(pk.lastIndexOf('#') + 1);
    }
}
