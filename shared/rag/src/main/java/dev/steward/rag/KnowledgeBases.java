package dev.steward.rag;

import dev.steward.rag.chunk.Chunker;
import dev.steward.rag.embed.BgeSmallEmbedder;
import dev.steward.rag.lucene.LuceneKnowledgeBase;
import java.nio.file.Path;

/** Ready-made knowledge bases. */
public final class KnowledgeBases {
    private KnowledgeBases() {}

    /**
     * Embedded Lucene under {@code root} (one sub-directory per tenant) with the JVM-wide bge-small embedder and
     * chunks sized by bge's own tokenizer. The first call loads the model (about a second). The caller owns the
     * returned instance and closes it.
     */
    public static KnowledgeBase lucene(Path root) {
        BgeSmallEmbedder bge = BgeSmallEmbedder.shared();
        return new LuceneKnowledgeBase(root, bge, new Chunker(bge.tokenCounter()));
    }
}
