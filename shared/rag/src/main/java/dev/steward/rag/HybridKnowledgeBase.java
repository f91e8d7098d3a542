package dev.steward.rag;

import dev.steward.core.error.TransientException;
import dev.steward.core.knowledge.DocumentId;
import dev.steward.core.knowledge.RetrievalFilter;
import dev.steward.core.knowledge.RetrievedChunk;
import dev.steward.core.tenant.TenantId;
import dev.steward.rag.chunk.Chunk;
import dev.steward.rag.chunk.Chunker;
import dev.steward.rag.embed.Embedder;
import dev.steward.rag.index.ChunkIndex;
import dev.steward.rag.index.ChunkSearcher;
import dev.steward.rag.index.DocumentChunks;
import dev.steward.rag.index.DocumentChunks.EmbeddedChunk;
import dev.steward.rag.index.EmbedderMismatchException;
import dev.steward.rag.index.LexicalQuery;
import dev.steward.rag.index.StoredChunk;
import dev.steward.rag.index.VectorSpace;
import dev.steward.rag.load.DocumentLoaders;
import dev.steward.rag.load.ParsedDocument;
import dev.steward.rag.retrieve.Fusion;
import dev.steward.rag.retrieve.Reranker;
import dev.steward.rag.retrieve.Reranking;
import dev.steward.rag.retrieve.RetrievalStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.lucene.util.VectorUtil;

/**
 * The {@link KnowledgeBase} over any {@link ChunkIndex}: it parses ({@link DocumentLoaders}), chunks
 * ({@link Chunker}) and embeds ({@link Embedder}) documents, hands the index each document's complete chunk set,
 * and answers queries by running the index's BM25 and kNN searches and fusing them here ({@link #DEFAULT_STRATEGY}:
 * a weighted combination of normalised scores; other {@link RetrievalStrategy strategies} on request). Backends
 * therefore differ only in storage and search, never in parsing, query analysis or fusion. With a {@link Reranking}
 * configured, the first fused chunks are reordered by its {@link Reranker} before the best are returned.
 *
 * <p>Consistency: ingest parses, chunks and embeds before it touches the index, so a document that cannot be read
 * or an embedder failure leaves the index as it was; how atomically the index then swaps the chunk sets is the
 * backend's contract ({@link dev.steward.rag.lucene.LuceneChunkIndex}: atomic;
 * {@link dev.steward.rag.opensearch.OpenSearchChunkIndex}: new set first, then the old one removed). Writes are
 * visible to {@link #retrieve} as soon as they return.
 *
 * <p>Thread-safe when the index is. Arguments are non-null. Closing closes the index and the reranker.
 */
public final class HybridKnowledgeBase implements KnowledgeBase {
    /**
     * What {@link #retrieve(TenantId, String, int)} does: a convex combination of min-max normalised dense (0.65) and
     * plain-OR BM25 (0.35) scores over 300 candidates from each side. Tuned on SciFact's train queries only
     * ({@code RetrievalBench --tune}, 809 queries, document-level nDCG@10): this setting 0.7736; the same at 100
     * candidates 0.7717; dense alone 0.7455; BM25 alone 0.6943; at 100 candidates, plain RRF (k = 60) 0.7485 with
     * plain-OR BM25 and 0.7187 with the most-terms BM25 of the previous default, the best weighted RRF (k = 10, dense
     * 0.7) 0.7635. Measured once on SciFact test afterwards: 0.7305 (plain RRF 0.7270, dense 0.7126). Pseudo-relevance
     * feedback (dense and RM3), proximity, document aggregation and adaptive weights did not beat it on train by more
     * than noise (at best +0.002); see shared/rag/BENCHMARK.md.
     */
    public static final RetrievalStrategy DEFAULT_STRATEGY =
            new RetrievalStrategy.ScoreFusion(300, 0.65, RetrievalStrategy.TermMatch.ANY);

    private static final Logger LOG = Logger.getLogger(HybridKnowledgeBase.class.getName());

    private final ChunkIndex<?> index;
    private final Embedder embedder;
    private final Chunker chunker;
    private final VectorSpace space;
    private final Optional<Reranking> reranking;

    /**
     * Without reranking.
     *
     * @throws EmbedderMismatchException when the index is not for this embedder's vectors
     */
    public HybridKnowledgeBase(ChunkIndex<?> index, Embedder embedder, Chunker chunker) {
        this(index, embedder, chunker, Optional.empty());
    }

    /**
     * With the reranking stage when {@code reranking} is present.
     *
     * @throws EmbedderMismatchException when the index is not for this embedder's vectors
     */
    public HybridKnowledgeBase(ChunkIndex<?> index, Embedder embedder, Chunker chunker, Optional<Reranking> reranking) {
        this.index = Objects.requireNonNull(index, "index");
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.chunker = Objects.requireNonNull(chunker, "chunker");
        this.reranking = Objects.requireNonNull(reranking, "reranking");
        this.space = VectorSpace.of(embedder);
        if (!index.space().equals(space)) {
            throw new EmbedderMismatchException("the index is for " + index.space() + " but the embedder is " + space);
        }
    }

    @Override
    public IngestResult ingest(TenantId tenant, SourceDocument source) {
        Objects.requireNonNull(tenant, "tenant");
        Chunked chunked = chunk(source);
        index.replace(tenant, embed(List.of(chunked)));
        return chunked.result();
    }

    /**
     * Ingests several documents with one write to the index: each is parsed and chunked as by {@link #ingest}, the
     * chunks of all of them are embedded in one call (so a parallel embedder keeps every core busy even when each
     * document has one chunk), then all are handed over together (for Lucene one commit, whose fsyncs cost 0.1 s and
     * more on a busy disk; for OpenSearch one bulk request).
     *
     * <p>A document whose bytes cannot be read is {@link IngestOutcome.Rejected rejected} and the others still go in.
     * Any other failure (the embedder's) throws before anything of the batch is written. Each document's chunks are
     * replaced as by {@link #ingest}; the batch is visible when this returns. A document id given twice ends with its
     * last version.
     *
     * @return one outcome per document, in the order given
     */
    @Override
    public List<IngestOutcome> ingestAll(TenantId tenant, List<SourceDocument> documents) {
        Objects.requireNonNull(tenant, "tenant");
        List<IngestOutcome> outcomes = new ArrayList<>(documents.size());
        List<Chunked> accepted = new ArrayList<>(documents.size());
        for (SourceDocument source : documents) {
            try {
                Chunked chunked = chunk(source);
                accepted.removeIf(d -> d.document().equals(source.id()));
                accepted.add(chunked);
                outcomes.add(new IngestOutcome.Ingested(source.id(), chunked.result()));
            } catch (DocumentRejectedException e) {
                outcomes.add(new IngestOutcome.Rejected(source.id(), e));
            }
        }
        if (!accepted.isEmpty()) {
            index.replace(tenant, embed(accepted));
        }
        return outcomes;
    }

    /** A document parsed and chunked, not yet embedded. */
    private record Chunked(DocumentId document, List<Chunk> chunks, IngestResult result) {}

    private Chunked chunk(SourceDocument source) {
        ParsedDocument parsed = DocumentLoaders.load(source);
        List<Chunk> chunks = chunker.chunk(source.id(), parsed);
        return new Chunked(source.id(), chunks, new IngestResult(parsed.title(), chunks.size(), parsed.warnings()));
    }

    /** Embeds the chunks of all the documents with one call to the embedder. */
    private List<DocumentChunks> embed(List<Chunked> documents) {
        List<String> texts = documents.stream().flatMap(d -> d.chunks().stream()).map(Chunk::embeddingText).toList();
        List<float[]> vectors = texts.isEmpty() ? List.of() : embedder.embedAll(texts);
        if (vectors.size() != texts.size()) {
            throw new IllegalStateException(
                    "embedder " + embedder.id() + " returned " + vectors.size() + " vectors for " + texts.size() + " texts");
        }
        List<DocumentChunks> out = new ArrayList<>(documents.size());
        int next = 0;
        for (Chunked d : documents) {
            List<EmbeddedChunk> embedded = new ArrayList<>(d.chunks().size());
            for (Chunk chunk : d.chunks()) {
                float[] vector = vectors.get(next++);
                if (vector.length != space.dimension()) {
                    throw new IllegalStateException("embedder " + embedder.id() + " returned a vector of dimension "
                            + vector.length + ", expected " + space.dimension());
                }
                embedded.add(new EmbeddedChunk(chunk, unit(vector)));
            }
            out.add(new DocumentChunks(d.document(), embedded));
        }
        return out;
    }

    @Override
    public void delete(TenantId tenant, DocumentId document) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(document, "document");
        index.delete(tenant, document);
    }

    /** Retrieves with {@link #DEFAULT_STRATEGY}. */
    @Override
    public List<RetrievedChunk> retrieve(TenantId tenant, String query, int topK, RetrievalFilter filter) {
        return retrieve(tenant, query, null, DEFAULT_STRATEGY, filter, topK);
    }

    /**
     * Retrieves with the given strategy, embedding the query only when the strategy needs it, then reranks when a
     * {@link Reranking} is configured. For evaluation and tuning; callers of the product go through
     * {@link #retrieve(TenantId, String, int)}.
     *
     * <p>With a reranker, its {@link Reranking#candidates() candidates} (or {@code topK} when larger, at most what
     * the reranker takes in one call) best fused chunks are reranked, and the best {@code topK} of them come back in
     * its order with its relevance scores. A {@link TransientException} of the reranker (throttled, timed out, 5xx)
     * gives the fused order instead, with a warning; a {@link dev.steward.core.error.PermanentException} (a refused
     * request: wrong model, region or permission) is thrown.
     */
    public List<RetrievedChunk> retrieve(TenantId tenant, String query, RetrievalStrategy strategy, int topK) {
        return retrieve(tenant, query, null, strategy, RetrievalFilter.NONE, topK);
    }

    /**
     * As {@link #retrieve(TenantId, String, RetrievalStrategy, int)} with the query's embedding already computed
     * (from {@link Embedder#embedQuery} of this knowledge base's embedder), so that a benchmark can time the search
     * apart from the model.
     *
     * @param queryVector the query's embedding, or null to embed the query here when the strategy needs it
     */
    public List<RetrievedChunk> retrieve(
            TenantId tenant, String query, float[] queryVector, RetrievalStrategy strategy, int topK) {
        return retrieve(tenant, query, queryVector, strategy, RetrievalFilter.NONE, topK);
    }

    /**
     * The general form of the methods above: the given strategy and, when not null, the query's embedding, over the
     * tenant's chunks that pass {@code filter} (applied inside both searches).
     */
    public List<RetrievedChunk> retrieve(TenantId tenant, String query, float[] queryVector, RetrievalStrategy strategy,
            RetrievalFilter filter, int topK) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(filter, "filter");
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0, got " + topK);
        }
        if (queryVector != null) {
            space.requireDimension(queryVector);
        }
        if (topK == 0 || query.isBlank()) {
            return List.of();
        }
        return search(index, tenant, query, queryVector, strategy, filter, topK);
    }

    private <K> List<RetrievedChunk> search(ChunkIndex<K> index, TenantId tenant, String query, float[] queryVector,
            RetrievalStrategy strategy, RetrievalFilter filter, int topK) {
        int candidates = Math.max(strategy.candidates(), topK);
        LexicalQuery lexical = switch (strategy) {
            case RetrievalStrategy.Dense unused -> null;
            case RetrievalStrategy.Lexical s -> LexicalQuery.parse(query, s.match());
            case RetrievalStrategy.RankFusion s -> LexicalQuery.parse(query, s.match());
            case RetrievalStrategy.ScoreFusion s -> LexicalQuery.parse(query, s.match());
        };
        try (ChunkSearcher<K> searcher = index.searcher(tenant, filter)) {
            float[] vector = !strategy.needsQueryVector() ? null
                    : unit(queryVector != null ? queryVector : embedder.embedQuery(query));
            List<Fusion.Scored<K>> dense = vector == null ? List.of() : searcher.nearest(vector, candidates);
            List<Fusion.Scored<K>> bm25 = lexical == null ? List.of() : searcher.lexical(lexical, candidates);
            // Dense first: on equal fused scores the semantic match wins, which suits questions phrased unlike the text.
            List<Fusion.Fused<K>> fused = switch (strategy) {
                case RetrievalStrategy.Lexical unused -> asFused(bm25);
                case RetrievalStrategy.Dense unused -> asFused(dense);
                case RetrievalStrategy.RankFusion rrf -> Fusion.reciprocalRank(rrf.k(),
                        List.of(items(dense), items(bm25)),
                        // Scaled so that weight 0.5 gives plain RRF's scores (each ranking weighs 1).
                        new double[] {2 * rrf.denseWeight(), 2 * (1 - rrf.denseWeight())});
                case RetrievalStrategy.ScoreFusion convex -> Fusion.convexCombination(
                        List.of(dense, bm25), new double[] {convex.denseWeight(), 1 - convex.denseWeight()});
            };
            int pool = reranking.map(r -> Math.min(Math.max(r.candidates(), topK), r.reranker().maxTexts())).orElse(topK);
            List<Fusion.Fused<K>> top = fused.subList(0, Math.min(pool, fused.size()));
            Map<K, StoredChunk> stored = searcher.load(top.stream().map(Fusion.Fused::item).toList());
            List<RetrievedChunk> out = new ArrayList<>(top.size());
            for (Fusion.Fused<K> hit : top) {
                StoredChunk c = stored.get(hit.item());
                if (c != null) {
                    out.add(new RetrievedChunk(c.documentId(), c.chunkId(), c.title(), c.section(), c.text(), hit.score(), c.metadata()));
                }
            }
            return reranking.isEmpty() || out.isEmpty() ? out : rerank(reranking.get().reranker(), query, out, topK);
        }
    }

    /**
     * The best {@code topK} of the fused {@code candidates} in the reranker's order, with its scores.
     *
     * <p>A transient failure falls back to the fused order rather than failing retrieval: reranking refines a ranking
     * that is already the product's default without a reranker (SciFact test nDCG@10 0.7305), so a throttled or slow
     * reranker costs some precision for one query, whereas failing would make the state machine retry the whole
     * Retrieve step (query embedding and searches again) and, once retries run out, fail the run. A permanent failure
     * is thrown: it means a configuration that will never work (model, region, IAM), and hiding it behind a warning
     * would leave a deployment without the reranking it pays for, unnoticed.
     */
    private static List<RetrievedChunk> rerank(Reranker reranker, String query, List<RetrievedChunk> candidates, int topK) {
        List<String> texts = candidates.stream().map(c -> Chunk.withHeader(c.title(), c.section(), c.text())).toList();
        List<Reranker.Ranked> ranked;
        try {
            ranked = reranker.rerank(query, texts, Math.min(topK, texts.size()));
        } catch (TransientException e) {
            LOG.log(Level.WARNING, "reranker " + reranker.id() + " failed, returning the fused order: " + e.getMessage(), e);
            return candidates.subList(0, Math.min(topK, candidates.size()));
        }
        List<RetrievedChunk> out = new ArrayList<>(ranked.size());
        for (Reranker.Ranked r : ranked) {
            RetrievedChunk c = candidates.get(r.index());
            out.add(new RetrievedChunk(c.documentId(), c.chunkId(), c.title(), c.section(), c.text(), r.score(), c.metadata()));
        }
        return out;
    }

    private static <K> List<K> items(List<Fusion.Scored<K>> scored) {
        return scored.stream().map(Fusion.Scored::item).toList();
    }

    private static <K> List<Fusion.Fused<K>> asFused(List<Fusion.Scored<K>> scored) {
        return scored.stream().map(s -> new Fusion.Fused<>(s.item(), s.score())).toList();
    }

    /** Inner product is only a similarity on unit vectors; normalising a unit vector again is harmless. */
    private static float[] unit(float[] vector) {
        return VectorUtil.l2normalize(vector.clone());
    }

    @Override
    public void close() {
        try {
            reranking.ifPresent(r -> r.reranker().close());
        } finally {
            index.close();
        }
    }
}
