package dev.steward.store.document;

import dev.steward.core.knowledge.DocumentId;
import dev.steward.core.knowledge.DocumentStatus;
import dev.steward.core.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A knowledge document's metadata and ingestion status; the bytes live in the object store at {@code objectKey}.
 *
 * @param contentHash hex SHA-256 of the uploaded bytes; null for documents stored before it was recorded
 * @param mapping the field mapping (JSON) the upload asked for, or null for the default
 * @param warnings what ingestion skipped (e.g. a CSV's broken rows) while still indexing the rest; never null
 */
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
        String contentHash,
        String mapping,
        List<String> warnings,
        Instant createdAt,
        Instant updatedAt) {
    public DocumentRecord {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(objectKey, "objectKey");
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** The content hash a record holds for {@code content}: SHA-256, lower-case hex. */
    public static String contentHashOf(byte[] content) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public static DocumentRecord queued(TenantId tenant, DocumentId id, String name, long size, String objectKey,
            String contentHash, String mapping, Instant now) {
        return new DocumentRecord(tenant, id, name, DocumentStatus.QUEUED, null, null, 0, size, objectKey, contentHash,
                mapping, List.of(), now, now);
    }

    public DocumentRecord indexed(String newTitle, int chunkCount, List<String> newWarnings, Instant now) {
        return new DocumentRecord(tenant, id, name, DocumentStatus.INDEXED, null, newTitle, chunkCount, sizeBytes, objectKey,
                contentHash, mapping, newWarnings, createdAt, now);
    }

    /**
     * This document queued again for new bytes uploaded under its name: same id, name and creation time; until the new
     * version is indexed its title and chunk count describe the version still in the index.
     */
    public DocumentRecord requeued(long size, String newObjectKey, String newContentHash, String newMapping, Instant now) {
        return new DocumentRecord(tenant, id, name, DocumentStatus.QUEUED, null, title, chunks, size, newObjectKey, newContentHash,
                newMapping, List.of(), createdAt, now);
    }

    /**
     * FAILED with {@code why}. A document queued again for new bytes ({@link #requeued}) still has its previous
     * version's chunks in the index; those stay searchable, so the record keeps their title and count and says so.
     */
    public DocumentRecord failed(String why, Instant now) {
        if (status == DocumentStatus.QUEUED && chunks > 0) {
            return new DocumentRecord(tenant, id, name, DocumentStatus.FAILED, why + "; the previous version (" + chunks
                    + (chunks == 1 ? " chunk" : " chunks") + ") is still indexed", title, chunks, sizeBytes, objectKey, contentHash, mapping, List.of(), createdAt, now);
        }
        return new DocumentRecord(tenant, id, name, DocumentStatus.FAILED, why, title, 0, sizeBytes, objectKey, contentHash,
                mapping, List.of(), createdAt, now);
    }
}
