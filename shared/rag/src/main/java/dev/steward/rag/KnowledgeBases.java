package dev.steward.rag;

import dev.steward.rag.chunk.Chunker;
import dev.steward.rag.embed.BgeSmallEmbedder;
import dev.steward.rag.index.VectorSpace;
import dev.steward.rag.lucene.LuceneChunkIndex;
import dev.steward.rag.opensearch.OpenSearchChunkIndex;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * Ready-made knowledge bases, all with the JVM-wide bge-small embedder and chunks sized by bge's own tokenizer. The
 * first call loads the model (about a second). The caller owns the returned instance and closes it.
 */
public final class KnowledgeBases {
    /** When set (e.g. {@code http://127.0.0.1:9200}), the knowledge base is OpenSearch; otherwise embedded Lucene. */
    public static final String OPENSEARCH_URL = "STEWARD_OPENSEARCH_URL";
    /** The OpenSearch index holding every tenant's chunks; default {@value #DEFAULT_OPENSEARCH_INDEX}. */
    public static final String OPENSEARCH_INDEX = "STEWARD_OPENSEARCH_INDEX";
    public static final String DEFAULT_OPENSEARCH_INDEX = "steward-chunks";

    private KnowledgeBases() {}

    /**
     * OpenSearch when {@value #OPENSEARCH_URL} is set in {@code env}, else embedded Lucene under {@code luceneRoot}.
     *
     * @throws IllegalArgumentException when {@value #OPENSEARCH_URL} is not an http(s) URL with a host
     */
    public static KnowledgeBase fromEnvironment(Map<String, String> env, Path luceneRoot) {
        String url = env.getOrDefault(OPENSEARCH_URL, "").strip();
        if (url.isEmpty()) {
            return lucene(luceneRoot);
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(OPENSEARCH_URL + " is not a URL: " + url, e);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException(OPENSEARCH_URL + " must be an http(s) URL with a host, got " + url);
        }
        String index = env.getOrDefault(OPENSEARCH_INDEX, "").strip();
        return openSearch(uri, index.isEmpty() ? DEFAULT_OPENSEARCH_INDEX : index);
    }

    /** Embedded Lucene under {@code root}, one sub-directory per tenant. */
    public static HybridKnowledgeBase lucene(Path root) {
        BgeSmallEmbedder bge = BgeSmallEmbedder.shared();
        return new HybridKnowledgeBase(new LuceneChunkIndex(root, VectorSpace.of(bge)), bge, new Chunker(bge.tokenCounter()));
    }

    /** OpenSearch at {@code url}, all tenants in {@code index} (created when missing). */
    public static HybridKnowledgeBase openSearch(URI url, String index) {
        BgeSmallEmbedder bge = BgeSmallEmbedder.shared();
        return new HybridKnowledgeBase(OpenSearchChunkIndex.connect(url, index, VectorSpace.of(bge)), bge,
                new Chunker(bge.tokenCounter()));
    }
}
