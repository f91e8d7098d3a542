package dev.steward.rag.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.knowledge.DocumentId;
import dev.steward.core.knowledge.RetrievedChunk;
import dev.steward.core.tenant.TenantId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Persistence, embedder bookkeeping, failure atomicity and concurrency; a hashing embedder keeps these fast. */
class LuceneKnowledgeBaseLifecycleTest {
    static final TenantId ACME = TenantId.of("acme");
    static final DocumentId DOC = new DocumentId("doc_lifecycle01");

    @TempDir
    Path root;

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void indexSurvivesReopeningAndRefusesAnotherEmbedder() {
        try (LuceneKnowledgeBase kb = new LuceneKnowledgeBase(root, new HashingEmbedder("one"))) {
            kb.ingest(ACME, DOC, "a.txt", text("Quarterly revenue grew in the northern region."));
        }
        try (LuceneKnowledgeBase kb = new LuceneKnowledgeBase(root, new HashingEmbedder("one"))) {
            assertThat(kb.retrieve(ACME, "northern revenue", 5)).extracting(RetrievedChunk::documentId).containsExactly(DOC.value());
        }
        try (LuceneKnowledgeBase kb = new LuceneKnowledgeBase(root, new HashingEmbedder("two"))) {
            assertThatThrownBy(() -> kb.retrieve(ACME, "northern revenue", 5))
                    .isInstanceOf(EmbedderMismatchException.class)
                    .hasMessageContaining("hashing-64/one")
                    .hasMessageContaining("hashing-64/two")
                    .hasMessageContaining("re-index");
            assertThatThrownBy(() -> kb.ingest(ACME, DOC, "a.txt", text("other text")))
                    .isInstanceOf(EmbedderMismatchException.class);
            // Another tenant starts a fresh index with the new embedder.
            kb.ingest(TenantId.of("other"), DOC, "b.txt", text("fresh tenant text"));
            assertThat(kb.countAll(TenantId.of("other"))).isEqualTo(1);
        }
        try (LuceneKnowledgeBase kb = new LuceneKnowledgeBase(root, new HashingEmbedder("one"))) {
            assertThat(kb.countChunks(ACME, DOC)).isEqualTo(1);
        }
    }

    @Test
    void anEmbedderFailureDuringReingestKeepsThePreviousChunks() {
        HashingEmbedder embedder = new HashingEmbedder("one");
        try (LuceneKnowledgeBase kb = new LuceneKnowledgeBase(root, embedder)) {
            kb.ingest(ACME, DOC, "a.txt", text("The original version mentions pelicans."));
            embedder.failing.set(true);
            assertThatThrownBy(() -> kb.ingest(ACME, DOC, "a.txt", text("The new version mentions flamingos.")))
                    .hasMessageContaining("simulated");
            embedder.failing.set(false);
            assertThat(kb.countChunks(ACME, DOC)).isEqualTo(1);
            assertThat(kb.retrieve(ACME, "pelicans", 1).getFirst().text()).contains("pelicans");
        }
    }

    @Test
    void concurrentIngestsAndQueriesAcrossTenantsStayConsistentAndIsolated() throws Exception {
        int tenants = 3;
        int docsPerTenant = 12;
        try (LuceneKnowledgeBase kb = new LuceneKnowledgeBase(root, new HashingEmbedder("one"));
                ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < tenants; t++) {
                TenantId tenant = TenantId.of("tenant-" + t);
                String marker = "marker" + t;
                for (int d = 0; d < docsPerTenant; d++) {
                    DocumentId id = new DocumentId("doc_t" + t + "d" + d + "xxxxxx");
                    int doc = d;
                    work.add(pool.submit(() -> {
                        // Each document is written twice; the second version must be the one that stays.
                        kb.ingest(tenant, id, "f.txt", text(marker + " first version of document " + doc));
                        kb.ingest(tenant, id, "f.txt", text(marker + " second version of document " + doc));
                        for (RetrievedChunk hit : kb.retrieve(tenant, "version of document", 10)) {
                            assertThat(hit.text()).startsWith(marker + " ");
                        }
                    }));
                }
            }
            for (Future<?> f : work) {
                f.get();
            }
            for (int t = 0; t < tenants; t++) {
                TenantId tenant = TenantId.of("tenant-" + t);
                assertThat(kb.countAll(tenant)).isEqualTo(docsPerTenant);
                assertThat(kb.retrieve(tenant, "first version", 100))
                        .hasSize(docsPerTenant)
                        .allSatisfy(hit -> assertThat(hit.text()).contains("second version").startsWith("marker" + tenant.value().charAt(7)));
            }
        }
    }

    @Test
    void aClosedKnowledgeBaseRefusesWork() {
        LuceneKnowledgeBase kb = new LuceneKnowledgeBase(root, new HashingEmbedder("one"));
        kb.ingest(ACME, DOC, "a.txt", text("something"));
        kb.close();
        kb.close(); // idempotent
        assertThatThrownBy(() -> kb.retrieve(ACME, "something", 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> kb.ingest(ACME, DOC, "a.txt", text("x"))).isInstanceOf(IllegalStateException.class);
    }
}
