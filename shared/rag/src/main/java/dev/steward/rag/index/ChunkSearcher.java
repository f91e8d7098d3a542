package dev.steward.rag.index;

import dev.steward.rag.retrieve.Fusion;
import java.util.List;
import java.util.Map;

/**
 * The two searches of hybrid retrieval over one tenant's chunks, and loading the chunks the fusion kept. Results
 * are best first, at most {@code k}, and only ever the bound tenant's chunks that pass the bound filter. Not shared
 * between threads; close it when done.
 *
 * @param <K> the backend's name for a chunk within this searcher
 */
public interface ChunkSearcher<K> extends AutoCloseable {

    /** BM25 as {@link LexicalQuery} defines it; the score is the backend's BM25 score. */
    List<Fusion.Scored<K>> lexical(LexicalQuery query, int k);

    /**
     * Approximate nearest neighbours (HNSW) of a unit vector by inner product, the tenant restriction and the filter
     * applied inside the graph search; the score grows with the similarity.
     */
    List<Fusion.Scored<K>> nearest(float[] vector, int k);

    /** The stored chunks for these keys; a key whose chunk is gone meanwhile has no entry. */
    Map<K, StoredChunk> load(List<K> keys);

    @Override
    void close();
}
