package dev.steward.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.error.PermanentException;
import dev.steward.core.error.TransientException;
import dev.steward.core.knowledge.DocumentId;
import dev.steward.core.knowledge.RetrievedChunk;
import dev.steward.core.tenant.TenantId;
import dev.steward.rag.chunk.Chunker;
import dev.steward.rag.chunk.TokenCounter;
import dev.steward.rag.index.HashingEmbedder;
import dev.steward.rag.index.VectorSpace;
import dev.steward.rag.lucene.LuceneChunkIndex;
import dev.steward.rag.retrieve.Reranker;
import dev.steward.rag.retrieve.Reranking;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reranking stage of {@link HybridKnowledgeBase#retrieve}: a scripted reranker (it reverses what it is given, or
 * fails) over a small Lucene index, against the same index searched without one.
 */
class RerankingStageTest {
    private static final TenantId ACME = TenantId.of("acme");
    private static final String QUERY = "refund policy for returned orders";

    @TempDir
    Path dir;

    private LuceneChunkIndex index;
    private HashingEmbedder embedder;
    private HybridKnowledgeBase plain;
    private final Reversing reversing = new Reversing();

    /** Reverses the texts it gets and keeps what it was asked; fails with what {@link #failure} gives, when set. */
    private static final class Reversing implements Reranker {
        final List<List<String>> calls = new CopyOnWriteArrayList<>();
        final List<Integer> topNs = new CopyOnWriteArrayList<>();
        volatile Supplier<RuntimeException> failure;
        volatile boolean closed;

        @Override
        public List<Ranked> rerank(String query, List<String> texts, int topN) {
            calls.add(texts);
            topNs.add(topN);
            if (failure != null) {
                throw failure.get();
            }
            List<Ranked> out = new ArrayList<>();
            for (int i = texts.size() - 1; i >= 0 && out.size() < topN; i--) {
                out.add(new Ranked(i, 100 - out.size()));
            }
            return out;
        }

        @Override
        public int maxTexts() {
            return 6;
        }

        @Override
        public String id() {
            return "reversing";
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @BeforeEach
    void ingest() {
        embedder = new HashingEmbedder("one");
        index = new LuceneChunkIndex(dir, VectorSpace.of(embedder));
        plain = new HybridKnowledgeBase(index, embedder, new Chunker(TokenCounter.approximate()));
        for (int i = 0; i < 8; i++) {
            String text = "# Refunds " + i + "\n\nRefund policy " + i + ": returned orders " + "are refunded ".repeat(i + 1)
                    + "within " + (10 + i) + " days.\n";
            plain.ingest(ACME, new SourceDocument(new DocumentId("doc_refunds000" + i), "refunds-" + i + ".md",
                    text.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @AfterEach
    void close() {
        index.close();
    }

    /** A knowledge base over the same index with {@code reranking}; not closed by the test, which closes the index. */
    private HybridKnowledgeBase reranked(int candidates) {
        return new HybridKnowledgeBase(index, embedder, new Chunker(TokenCounter.approximate()),
                Optional.of(new Reranking(reversing, candidates)));
    }

    private static List<String> ids(List<RetrievedChunk> chunks) {
        return chunks.stream().map(RetrievedChunk::chunkId).toList();
    }

    @Test
    void theRerankerReadsTheFirstCandidatesAsTheModelWouldAndItsOrderIsTheAnswer() {
        List<RetrievedChunk> fused = plain.retrieve(ACME, QUERY, 8);
        assertThat(fused).hasSize(8);

        List<RetrievedChunk> found = reranked(5).retrieve(ACME, QUERY, 3);

        // the five best fused chunks, each as title line then text, in fused order
        assertThat(reversing.calls).singleElement().asList().containsExactlyElementsOf(
                fused.subList(0, 5).stream().map(c -> c.title() + "\n" + c.text()).toList());
        assertThat(reversing.topNs).containsExactly(3);
        // reversed: fused ranks 5, 4, 3, with the reranker's scores
        assertThat(ids(found)).containsExactly(fused.get(4).chunkId(), fused.get(3).chunkId(), fused.get(2).chunkId());
        assertThat(found).extracting(RetrievedChunk::score).containsExactly(100.0, 99.0, 98.0);
        assertThat(found.getFirst().text()).isEqualTo(fused.get(4).text());
        assertThat(found.getFirst().metadata()).isEqualTo(fused.get(4).metadata());
    }

    @Test
    void aTopKAboveTheCandidatesWidensThePoolUpToWhatTheRerankerTakes() {
        List<RetrievedChunk> fused = plain.retrieve(ACME, QUERY, 8);

        List<RetrievedChunk> four = reranked(2).retrieve(ACME, QUERY, 4);
        assertThat(reversing.calls.getLast()).hasSize(4);
        assertThat(ids(four)).containsExactly(fused.get(3).chunkId(), fused.get(2).chunkId(), fused.get(1).chunkId(), fused.get(0).chunkId());

        List<RetrievedChunk> eight = reranked(2).retrieve(ACME, QUERY, 8);
        assertThat(reversing.calls.getLast()).hasSize(6); // maxTexts
        assertThat(ids(eight)).containsExactlyElementsOf(ids(fused.subList(0, 6).reversed()));
    }

    @Test
    void withoutARerankerTheFusedOrderIsUnchanged() {
        List<RetrievedChunk> fused = plain.retrieve(ACME, QUERY, 3);
        assertThat(ids(fused)).containsExactlyElementsOf(ids(plain.retrieve(ACME, QUERY, 8).subList(0, 3)));
        assertThat(reversing.calls).isEmpty();
    }

    @Test
    void aTransientFailureGivesTheFusedOrderAndAPermanentOneIsThrown() {
        List<RetrievedChunk> fused = plain.retrieve(ACME, QUERY, 3);
        HybridKnowledgeBase kb = reranked(5);

        reversing.failure = () -> new TransientException("model reversing answered HTTP 429: ThrottlingException");
        assertThat(kb.retrieve(ACME, QUERY, 3)).isEqualTo(fused);

        reversing.failure = () -> new PermanentException("model reversing refused the request (HTTP 403): AccessDeniedException");
        assertThatThrownBy(() -> kb.retrieve(ACME, QUERY, 3)).isInstanceOf(PermanentException.class).hasMessageContaining("403");
        assertThat(reversing.calls).hasSize(2);
    }

    @Test
    void closingTheKnowledgeBaseClosesTheReranker() {
        reranked(5).close(); // also closes the shared index; closing it again after the test is harmless
        assertThat(reversing.closed).isTrue();
    }
}
