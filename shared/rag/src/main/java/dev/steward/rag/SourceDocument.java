package dev.steward.rag;

import dev.steward.core.knowledge.DocumentId;
import java.util.Objects;

/**
 * One document handed to a batch ingest: its id, the file name that selects the loader, and its bytes (read, not
 * copied or modified).
 */
public record SourceDocument(DocumentId id, String fileName, byte[] content) {
    public SourceDocument {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(content, "content");
    }
}
