package dev.steward.core.knowledge;

import java.util.Objects;

/**
 * A chunk returned by retrieval for one run: what the model may read and the only thing an answer may cite.
 * {@code chunkId} is globally unique ({@code <documentId>#<ordinal>}).
 */
public record RetrievedChunk(String documentId, String chunkId, String title, String section, String text, double score) {
    public RetrievedChunk {
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(chunkId, "chunkId");
        Objects.requireNonNull(text, "text");
        title = title == null ? "" : title;
        section = section == null ? "" : section;
    }
}
