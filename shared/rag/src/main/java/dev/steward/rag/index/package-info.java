/**
 * The backend side of hybrid retrieval: a {@link dev.steward.rag.index.ChunkIndex} stores embedded chunks per tenant
 * and answers the two searches (BM25 and kNN) that {@link dev.steward.rag.HybridKnowledgeBase} fuses. Parsing,
 * chunking, embedding, query analysis and fusion happen once, above this package; a backend only stores and
 * searches.
 *
 * <p>What every backend guarantees (checked by the one contract test every backend extends):
 * <ul>
 *   <li>Every method takes or is bound to a {@link dev.steward.core.tenant.TenantId} and applies it itself: no
 *       search returns another tenant's chunk, and in the kNN search the tenant restricts the candidates inside the
 *       vector search (never a filter applied to the top k afterwards).</li>
 *   <li>A searcher opened with a {@link dev.steward.core.knowledge.RetrievalFilter} applies it the same way, inside
 *       both searches: the chunk's metadata is indexed as {@link dev.steward.rag.index.FilterTerms} say. A filter on a
 *       field no chunk has finds nothing.</li>
 *   <li>Replacing a document's chunks and deleting a document are visible to searches that start after the call
 *       returns. How atomic a replacement is differs per backend and is stated on each.</li>
 *   <li>An index records the {@link dev.steward.rag.index.VectorSpace} (embedder id and dimension) it was built with
 *       and refuses to be used with another one ({@link dev.steward.rag.index.EmbedderMismatchException}).</li>
 *   <li>Thread-safe; after {@code close()} every call throws {@link java.lang.IllegalStateException}.</li>
 * </ul>
 */
package dev.steward.rag.index;
