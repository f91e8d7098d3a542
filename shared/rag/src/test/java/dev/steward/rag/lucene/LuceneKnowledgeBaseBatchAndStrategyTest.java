package dev.steward.rag.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static dev.steward.rag.retrieve.RetrievalStrategy.TermMatch.ANY;
import static dev.steward.rag.retrieve.RetrievalStrategy.TermMatch.MOST;

import dev.steward.core.knowledge.DocumentId;
import dev.steward.core.knowledge.RetrievedChunk;
import dev.steward.core.tenant.TenantId;
import dev.steward.rag.IngestOutcome;
import dev.steward.rag.SourceDocument;
import dev.steward.rag.retrieve.RetrievalStrategy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batch ingest and the retrieval strategies behind {@link LuceneKnowledgeBase#retrieve}; a hashing embedder. */
class LuceneKnowledgeBaseBatchAndStrategyTest {
    static final TenantId ACME = TenantId.of("acme");
    static final TenantId GLOBEX = TenantId.of("globex");

    @TempDir
    Path root;

    private static SourceDocument source(String id, String name, String text) {
        return new SourceDocument(new DocumentId(id), name, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aBatchIndexesEveryReadableDocumentAndReportsTheRejectedOnes() {
        byte[] garbage = new byte[2000];
        new Random(5).nextBytes(garbage);
        try (LuceneKnowledgeBase kb = new LuceneKnowledgeBase(root, new HashingEmbedder("one"))) {
            kb.ingest(ACME, new DocumentId("doc_keepsoldv1"), "old.txt", "previous version about otters".getBytes());
            List<IngestOutcome> outcomes = kb.ingestAll(ACME, List.of(
                    source("doc_pelicans01", "p.md", "# Pelicans\n\nPelicans scoop fish with their pouch."),
                    new SourceDocument(new DocumentId("doc_keepsoldv1"), "old.txt", garbage),
                    source("doc_herons0001", "h.txt", "Herons stand still in shallow water."),
                    source("doc_unsupport1", "x.pptx", "unsupported")));

            assertThat(outcomes).extracting(IngestOutcome::document).extracting(DocumentId::value)
                    .containsExactly("doc_pelicans01", "doc_keepsoldv1", "doc_herons0001", "doc_unsupport1");
            assertThat(outcomes.get(0)).isInstanceOfSatisfying(IngestOutcome.Ingested.class,
                    ok -> assertThat(ok.result().title()).isEqualTo("Pelicans"));
            assertThat(outcomes.get(1)).isInstanceOfSatisfying(IngestOutcome.Rejected.class,
                    no -> assertThat(no.reason().code()).isEqualTo("unreadable_document"));
            assertThat(outcomes.get(2)).isInstanceOf(IngestOutcome.Ingested.class);
            assertThat(outcomes.get(3)).isInstanceOfSatisfying(IngestOutcome.Rejected.class,
                    no -> assertThat(no.reason().code()).isEqualTo("unsupported_type"));
            assertThat(kb.countAll(ACME)).isEqualTo(3);
            assertThat(kb.retrieve(ACME, "otters", 1).getFirst().text()).contains("otters");
            assertThat(kb.retrieve(ACME, "pelicans pouch", 1).getFirst().documentId()).isEqualTo("doc_pelicans01");
            assertThat(kb.countAll(GLOBEX)).isZero();
        }
    }

    @Test
    void anEmbedderFailureWritesNothingOfTheBatch() {
        HashingEmbedder embedder = new HashingEmbedder("one");
        try (LuceneKnowledgeBase kb = new LuceneKnowledgeBase(root, embedder)) {
            kb.ingest(ACME, new DocumentId("doc_first0001"), "a.txt", "alpha".getBytes());
            embedder.failing.set(true);
            assertThatThrownBy(() -> kb.ingestAll(ACME, List.of(source("doc_second001", "b.txt", "beta"))))
                    .hasMessageContaining("simulated");
            embedder.failing.set(false);
            assertThat(kb.countAll(ACME)).isEqualTo(1);
            assertThat(kb.ingestAll(ACME, List.of())).isEmpty();
        }
    }

    @Test
    void eachStrategyReturnsAConsistentPrefixAndAGivenVectorMatchesEmbeddingTheQuery() {
        HashingEmbedder embedder = new HashingEmbedder("one");
        try (LuceneKnowledgeBase kb = new LuceneKnowledgeBase(root, embedder)) {
            String[] animals = {"otter", "heron", "pelican", "badger", "walrus", "lynx", "marten", "ibis"};
            for (int i = 0; i < animals.length; i++) {
                kb.ingest(ACME, new DocumentId("doc_animal000" + i), animals[i] + ".txt", (animals[i]
                        + " lives near the river and eats " + animals[(i + 1) % animals.length]).getBytes());
            }
            String query = "otter lives near the river";
            float[] vector = embedder.embedQuery(query);
            for (RetrievalStrategy strategy : List.of(new RetrievalStrategy.Lexical(20, ANY), new RetrievalStrategy.Lexical(20, MOST), new RetrievalStrategy.Dense(20),
                    new RetrievalStrategy.RankFusion(20, 60, 0.3, MOST), new RetrievalStrategy.ScoreFusion(20, 0.7, ANY),
                    LuceneKnowledgeBase.DEFAULT_STRATEGY)) {
                List<RetrievedChunk> deep = kb.retrieve(ACME, query, strategy, 8);
                List<RetrievedChunk> top3 = kb.retrieve(ACME, query, vector, strategy, 3);
                assertThat(top3).as(strategy.toString()).hasSize(3);
                assertThat(ids(top3)).as(strategy.toString()).isEqualTo(ids(deep).subList(0, 3));
                for (int i = 1; i < deep.size(); i++) {
                    assertThat(deep.get(i).score()).isLessThanOrEqualTo(deep.get(i - 1).score());
                }
            }
            // Lexical search needs no embedding and finds nothing for a stopword-only query; dense still answers.
            embedder.failing.set(true);
            assertThat(kb.retrieve(ACME, "otter", new RetrievalStrategy.Lexical(5, ANY), 5)).isNotEmpty();
            assertThat(kb.retrieve(ACME, "the of and", new RetrievalStrategy.Lexical(5, ANY), 5)).isEmpty();
            embedder.failing.set(false);
            assertThat(kb.retrieve(ACME, "the of and", new RetrievalStrategy.Dense(5), 5)).hasSize(5);
            assertThat(kb.retrieve(ACME, "the of and", new RetrievalStrategy.ScoreFusion(5, 0.5, ANY), 5)).hasSize(5);
            assertThat(kb.retrieve(GLOBEX, "otter", new RetrievalStrategy.ScoreFusion(5, 0.5, ANY), 5)).isEmpty();
            assertThatThrownBy(() -> kb.retrieve(ACME, query, new float[3], LuceneKnowledgeBase.DEFAULT_STRATEGY, 3))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void strategiesValidateTheirParameters() {
        assertThatThrownBy(() -> new RetrievalStrategy.ScoreFusion(10, 1.5, ANY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetrievalStrategy.RankFusion(0, 60, 0.5, MOST)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetrievalStrategy.RankFusion(10, -1, 0.5, MOST)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetrievalStrategy.Dense(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new RetrievalStrategy.Lexical(1, ANY).needsQueryVector()).isFalse();
        assertThat(new RetrievalStrategy.ScoreFusion(1, 0, ANY).needsQueryVector()).isTrue();
    }

    private static List<String> ids(List<RetrievedChunk> chunks) {
        return chunks.stream().map(RetrievedChunk::chunkId).toList();
    }
}
