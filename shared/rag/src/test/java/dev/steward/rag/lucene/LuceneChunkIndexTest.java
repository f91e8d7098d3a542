package dev.steward.rag.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.core.knowledge.DocumentId;
import dev.steward.core.tenant.TenantId;
import dev.steward.rag.HybridKnowledgeBase;
import dev.steward.rag.KnowledgeBases;
import dev.steward.rag.index.ChunkIndex;
import dev.steward.rag.index.ChunkIndexContract;
import dev.steward.rag.index.VectorSpace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backend contract on embedded Lucene, plus what is Lucene's own: one directory per tenant, made on demand. */
class LuceneChunkIndexTest extends ChunkIndexContract {
    @TempDir
    Path root;

    @Override
    protected ChunkIndex<?> open(String name, VectorSpace space) {
        return new LuceneChunkIndex(root.resolve(name), space);
    }

    @Override
    protected int countChunks(ChunkIndex<?> index, TenantId tenant, DocumentId document) {
        return ((LuceneChunkIndex) index).countChunks(tenant, document);
    }

    @Override
    protected int countAll(ChunkIndex<?> index, TenantId tenant) {
        return ((LuceneChunkIndex) index).countAll(tenant);
    }

    @Test
    void eachTenantGetsItsOwnDirectoryAndATenantWithoutOneGetsNoneCreated() {
        try (HybridKnowledgeBase kb = KnowledgeBases.lucene(root)) {
            kb.ingest(ACME, new DocumentId("doc_lucene0001"), "a.txt", "Annual leave is 25 days.".getBytes(StandardCharsets.UTF_8));
            assertThat(kb.retrieve(GLOBEX, "annual leave", 5)).isEmpty();
            kb.delete(GLOBEX, new DocumentId("doc_lucene0001"));
        }
        assertThat(Files.isDirectory(root.resolve("acme"))).isTrue();
        assertThat(Files.exists(root.resolve("globex"))).isFalse();
    }
}
