package dev.steward.rag.index;

import java.util.Objects;

/** A chunk as an index gives it back: the fields retrieval returns (with the chunk's metadata), without score or vector. */
public record StoredChunk(String documentId, String chunkId, String title, String section, String text,
        java.util.Map<String, String> metadata) {
    public StoredChunk {
        metadata = metadata == null ? java.util.Map.of() : java.util.Map.copyOf(metadata);
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(chunkId, "chunkId");
        Objects.requireNonNull(text, "text");
        title = title == null ? "" : title;
        section = section == null ? "" : section;
    }
}
