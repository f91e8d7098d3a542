package dev.steward.core.knowledge;

import java.util.Objects;

/** A claim's support: the chunk it came from and the exact words quoted from that chunk. */
public record Citation(String documentId, String chunkId, String quote) {
    public Citation {
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(chunkId, "chunkId");
        Objects.requireNonNull(quote, "quote");
    }
}
