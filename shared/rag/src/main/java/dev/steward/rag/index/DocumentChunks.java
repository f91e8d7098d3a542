package dev.steward.rag.index;

import dev.steward.core.knowledge.DocumentId;
import dev.steward.rag.chunk.Chunk;
import java.util.List;
import java.util.Objects;

/** A document's complete new set of chunks, each with its unit-length vector. */
public record DocumentChunks(DocumentId document, List<EmbeddedChunk> chunks) {
    public DocumentChunks {
        Objects.requireNonNull(document, "document");
        chunks = List.copyOf(chunks);
        for (EmbeddedChunk c : chunks) {
            if (!c.chunk().documentId().equals(document)) {
                throw new IllegalArgumentException("chunk " + c.chunk().chunkId() + " is not of document " + document);
            }
        }
    }

    /** One chunk and its embedding. */
    public record EmbeddedChunk(Chunk chunk, float[] vector) {
        public EmbeddedChunk {
            Objects.requireNonNull(chunk, "chunk");
            Objects.requireNonNull(vector, "vector");
        }
    }
}
