package dev.steward.rag.index;

import dev.steward.core.knowledge.DocumentId;
import dev.steward.core.knowledge.RetrievalFilter;
import dev.steward.core.tenant.TenantId;
import java.util.List;

/**
 * Stores the embedded chunks of each tenant's documents and opens searchers over them (contract in the package
 * documentation).
 *
 * @param <K> how a searcher names a hit between searching and {@link ChunkSearcher#load loading} it
 */
public interface ChunkIndex<K> extends AutoCloseable {

    /** The embedder id and dimension this index holds vectors of. */
    VectorSpace space();

    /**
     * For each document given, replaces all its chunks by the given ones; a document absent from the index is
     * added. Vectors must be unit length and of {@link #space()}'s dimension.
     */
    void replace(TenantId tenant, List<DocumentChunks> documents);

    /** Removes every chunk of the document; a no-op when it has none. */
    void delete(TenantId tenant, DocumentId document);

    /**
     * A view of the tenant's chunks for one retrieval; keys from one searcher are only meaningful to that searcher.
     * A tenant that has nothing indexed gets a searcher that finds nothing (and nothing is created for it).
     */
    default ChunkSearcher<K> searcher(TenantId tenant) {
        return searcher(tenant, RetrievalFilter.NONE);
    }

    /**
     * As {@link #searcher(TenantId)}, seeing only the tenant's chunks that pass {@code filter}: both searches apply
     * it inside the search, as they apply the tenant, so they return the best {@code k} of the chunks that pass.
     */
    ChunkSearcher<K> searcher(TenantId tenant, RetrievalFilter filter);

    @Override
    void close();
}
