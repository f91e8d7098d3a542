package dev.steward.store.document;

import dev.steward.core.knowledge.DocumentId;
import dev.steward.core.knowledge.DocumentStatus;
import dev.steward.core.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;

/** A knowledge document's metadata and ingestion status; the bytes live in the object store at {@code objectKey}. */
public record DocumentRecord(
        TenantId tenant,
        DocumentId id,
        String name,
        DocumentStatus status,
        String reason,
        String title,
        int chunks,
        long sizeBytes,
        String objectKey,
        Instant createdAt,
        Instant updatedAt) {
    public DocumentRecord {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(objectKey, "objectKey");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    public static DocumentRecord queued(TenantId tenant, DocumentId id, String name, long size, String objectKey, Instant now) {
        return new DocumentRecord(tenant, id, name, DocumentStatus.QUEUED, null, null, 0, size, objectKey, now, now);
    }

    public DocumentRecord indexed(String newTitle, int chunkCount, Instant now) {
        return new DocumentRecord(tenant, id, name, DocumentStatus.INDEXED, null, newTitle, chunkCount, sizeBytes, objectKey, createdAt, now);
    }

    public DocumentRecord failed(String why, Instant now) {
        return new DocumentRecord(tenant, id, name, DocumentStatus.FAILED, why, title, 0, sizeBytes, objectKey, createdAt, now);
    }
}
