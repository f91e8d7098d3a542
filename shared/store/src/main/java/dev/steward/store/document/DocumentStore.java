package dev.steward.store.document;

import dev.steward.core.knowledge.DocumentId;
import dev.steward.core.knowledge.DocumentStatus;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.StewardTable;
import dev.steward.store.TableAccess;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;

/** Knowledge documents' metadata and status. Listing goes through {@code gsi1}, newest first. */
public final class DocumentStore {
    private static final String KIND = "DOC";
    private final StewardTable table;

    public DocumentStore(StewardTable table) {
        this.table = table;
    }

    public void put(DocumentRecord d) {
        EnhancedDocument.Builder b = TableAccess.item(TableAccess.tenantChildKey(d.tenant(), KIND, d.id().value()), "META")
                .putString(StewardTable.GSI1_PK, TableAccess.listingKey(d.tenant(), KIND))
                .putString(StewardTable.GSI1_SK, d.createdAt() + "#" + d.id().value())
                .putString("name", d.name())
                .putString("status", d.status().name())
                .putNumber("chunks", d.chunks())
                .putNumber("sizeBytes", d.sizeBytes())
                .putString("objectKey", d.objectKey())
                .putString("createdAt", d.createdAt().toString())
                .putString("updatedAt", d.updatedAt().toString());
        if (d.reason() != null) {
            b.putString("reason", d.reason());
        }
        if (d.title() != null) {
            b.putString("title", d.title());
        }
        table.documents().putItem(b.build());
    }

    public Optional<DocumentRecord> find(TenantId tenant, DocumentId id) {
        return TableAccess.get(table, TableAccess.tenantChildKey(tenant, KIND, id.value()), "META").map(d -> read(tenant, id, d));
    }

    public List<DocumentRecord> list(TenantId tenant, int limit) {
        return table.documents().index(StewardTable.GSI1)
                .query(r -> r.queryConditional(QueryConditional.keyEqualTo(
                                Key.builder().partitionValue(TableAccess.listingKey(tenant, KIND)).build()))
                        .scanIndexForward(false)
                        .limit(limit))
                .stream()
                .flatMap(p -> p.items().stream())
                .limit(limit)
                .map(d -> read(tenant, new DocumentId(lastSegment(d.getString(StewardTable.PK))), d))
                .toList();
    }

    private static DocumentRecord read(TenantId tenant, DocumentId id, EnhancedDocument d) {
        return new DocumentRecord(tenant, id, d.getString("name"), DocumentStatus.valueOf(d.getString("status")),
                d.getString("reason"), d.getString("title"), d.getNumber("chunks").intValue(),
                d.getNumber("sizeBytes").longValue(), d.getString("objectKey"),
                Instant.parse(d.getString("createdAt")), Instant.parse(d.getString("updatedAt")));
    }

    private static String lastSegment(String pk) {
        return pk.substring(pk.lastIndexOf('#') + 1);
    }
}
