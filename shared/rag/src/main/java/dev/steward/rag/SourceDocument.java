package dev.steward.rag;

import dev.steward.core.knowledge.DocumentId;
import dev.steward.rag.load.LoadOptions;
import java.util.Objects;

/**
 * One document handed to a batch ingest: its id, the file name that selects the loader, its bytes (read, not copied
 * or modified), and how to read them ({@link LoadOptions}: e.g. the field mapping of a CSV export). Index backends
 * parse it with {@link dev.steward.rag.load.DocumentLoaders#load(SourceDocument)}.
 */
public record SourceDocument(DocumentId id, String fileName, byte[] content, LoadOptions options) {
    public SourceDocument {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(options, "options");
    }

    public SourceDocument(DocumentId id, String fileName, byte[] content) {
        this(id, fileName, content, LoadOptions.DEFAULTS);
    }
}
