package dev.steward.rag;

import dev.steward.core.knowledge.DocumentId;
import dev.steward.core.knowledge.RetrievalFilter;
import dev.steward.core.knowledge.RetrievedChunk;
import dev.steward.core.tenant.TenantId;
import java.util.List;

/**
 * The one entry point to a tenant's knowledge: ingest documents, delete them, retrieve chunks for a query.
 *
 * <p>Contract: every method takes the tenant first and applies it itself; a tenant never sees another tenant's
 * chunks. Ingesting a document id that already exists replaces its chunks: a reader sees the old or the new set
 * on Lucene; on OpenSearch it may briefly see both, never neither (see
 * {@link dev.steward.rag.opensearch.OpenSearchChunkIndex}). Implementations are thread-safe.
 */
public interface KnowledgeBase extends AutoCloseable {

    /**
     * Parses, chunks, embeds and indexes one document.
     *
     * @throws DocumentRejectedException when the bytes cannot be read as the named type (the message says why);
     *     nothing is indexed in that case and other documents are untouched
     */
    default IngestResult ingest(TenantId tenant, DocumentId document, String fileName, byte[] content) {
        return ingest(tenant, new SourceDocument(document, fileName, content));
    }

    /**
     * Like {@link #ingest(TenantId, DocumentId, String, byte[])}, reading the bytes with the source's load options
     * (a CSV/JSON field mapping).
     *
     * @throws DocumentRejectedException when the bytes cannot be read as the named type (the message says why)
     */
    IngestResult ingest(TenantId tenant, SourceDocument source);

    /**
     * Ingests several documents, each as by {@link #ingest(TenantId, SourceDocument)}; a document whose bytes cannot
     * be read is {@link IngestOutcome.Rejected rejected} and the others still go in. Implementations may write the
     * batch to the index at once; this default ingests one after the other.
     *
     * @return one outcome per document, in the order given
     */
    default List<IngestOutcome> ingestAll(TenantId tenant, List<SourceDocument> documents) {
        List<IngestOutcome> outcomes = new java.util.ArrayList<>(documents.size());
        for (SourceDocument source : documents) {
            try {
                outcomes.add(new IngestOutcome.Ingested(source.id(), ingest(tenant, source)));
            } catch (DocumentRejectedException e) {
                outcomes.add(new IngestOutcome.Rejected(source.id(), e));
            }
        }
        return outcomes;
    }

    /** Removes every chunk of the document; a no-op when it has none. */
    void delete(TenantId tenant, DocumentId document);

    /** Hybrid retrieval (BM25 + dense, fused), best first, at most {@code topK} chunks. */
    default List<RetrievedChunk> retrieve(TenantId tenant, String query, int topK) {
        return retrieve(tenant, query, topK, RetrievalFilter.NONE);
    }

    /**
     * Hybrid retrieval over the tenant's chunks whose metadata passes {@code filter}: the filter acts inside both
     * searches, so these are the best {@code topK} of the chunks that pass, however few they are.
     * {@link RetrievalFilter#NONE} retrieves exactly as {@link #retrieve(TenantId, String, int)}.
     */
    List<RetrievedChunk> retrieve(TenantId tenant, String query, int topK, RetrievalFilter filter);

    @Override
    void close();
}
