package dev.steward.core.knowledge;

import java.util.Objects;

/**
 * A chunk returned by retrieval for one run: what the model may read and the only thing an answer may cite.
 * {@code chunkId} is globally unique ({@code <documentId>#<ordinal>}). {@code metadata} is what the loader knew of
 * the chunk's document and section (source file, author, times, e-mail headers, a record's mapped fields).
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
public record RetrievedChunk(String documentId, String chunkId, String title, String section, String text, double score,
        java.util.Map<String, String> metadata) {
    public RetrievedChunk {
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(chunkId, "chunkId");
        Objects.requireNonNull(text, "text");
        title = title == null ? "" : title;
        section = section == null ? "" : section;
        metadata = metadata == null ? java.util.Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(metadata));
    }

    public RetrievedChunk(String documentId, String chunkId, String title, String section, String text, double score) {
        this(documentId, chunkId, title, section, text, score, java.util.Map.of());
    }

    /** This chunk with {@code newText} (redacted or quarantined), everything else unchanged. */
    public RetrievedChunk withText(String newText) {
        return new RetrievedChunk(documentId, chunkId, title, section, newText, score, metadata);
    }
}
