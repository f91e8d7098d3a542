package dev.steward.rag;

import dev.steward.rag.chunk.Chunker;
import dev.steward.rag.embed.BgeSmallEmbedder;
import dev.steward.rag.embed.TitanEmbedder;
import dev.steward.rag.embed.Embedder;
import dev.steward.rag.index.VectorSpace;
import dev.steward.rag.lucene.LuceneChunkIndex;
import dev.steward.rag.opensearch.OpenSearchChunkIndex;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * Ready-made knowledge bases: chunks sized by bge's own tokenizer; vectors from the JVM-wide bge-small embedder, or
 * from Amazon Titan Text Embeddings v2 when {@value #EMBEDDER} is {@code titan}. The first call loads bge's tokenizer
 * and, for bge vectors, its model (about a second). The caller owns the returned instance and closes it.
 */
public final class KnowledgeBases {
    /** When set (e.g. {@code http://127.0.0.1:9200}), the knowledge base is OpenSearch; otherwise embedded Lucene. */
    public static final String OPENSEARCH_URL = "STEWARD_OPENSEARCH_URL";
    /** The OpenSearch index holding every tenant's chunks; default {@value #DEFAULT_OPENSEARCH_INDEX}. */
    public static final String OPENSEARCH_INDEX = "STEWARD_OPENSEARCH_INDEX";
    public static final String DEFAULT_OPENSEARCH_INDEX = "steward-chunks";
    /** {@code bge} (default: in-process bge-small) or {@code titan} (Bedrock, {@link TitanEmbedder}'s variables). */
    public static final String EMBEDDER = "STEWARD_EMBEDDER";

    private KnowledgeBases() {}

    /**
     * OpenSearch when {@value #OPENSEARCH_URL} is set in {@code env}, else embedded Lucene under {@code luceneRoot}.
     *
     * @throws IllegalArgumentException when {@value #OPENSEARCH_URL} is not an http(s) URL with a host
     */
    public static KnowledgeBase fromEnvironment(Map<String, String> env, Path luceneRoot) {
        Embedder embedder = embedder(env);
        String url = env.getOrDefault(OPENSEARCH_URL, "").strip();
        if (url.isEmpty()) {
            return lucene(luceneRoot, embedder);
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
        return openSearch(uri, index.isEmpty() ? DEFAULT_OPENSEARCH_INDEX : index, embedder);
    }

    /** The embedder {@value #EMBEDDER} names; an index built by another one refuses to open with it. */
    static Embedder embedder(Map<String, String> env) {
        String name = env.getOrDefault(EMBEDDER, "bge").strip().toLowerCase(java.util.Locale.ROOT);
        return switch (name) {
            case "", "bge" -> BgeSmallEmbedder.shared();
            case "titan" -> TitanEmbedder.fromEnvironment(env);
            default -> throw new IllegalArgumentException(EMBEDDER + " must be bge or titan, not '" + env.get(EMBEDDER) + "'");
        };
    }

    /** Embedded Lucene under {@code root}, one sub-directory per tenant, with bge-small vectors. */
    public static HybridKnowledgeBase lucene(Path root) {
        return lucene(root, BgeSmallEmbedder.shared());
    }

    /** Embedded Lucene under {@code root}, one sub-directory per tenant, with {@code embedder}'s vectors. */
    public static HybridKnowledgeBase lucene(Path root, Embedder embedder) {
        return new HybridKnowledgeBase(new LuceneChunkIndex(root, VectorSpace.of(embedder)), embedder, chunker());
    }

    /** OpenSearch at {@code url}, all tenants in {@code index} (created when missing), with bge-small vectors. */
    public static HybridKnowledgeBase openSearch(URI url, String index) {
        return openSearch(url, index, BgeSmallEmbedder.shared());
    }

    /** OpenSearch at {@code url}, all tenants in {@code index} (created when missing), with {@code embedder}'s vectors. */
    public static HybridKnowledgeBase openSearch(URI url, String index, Embedder embedder) {
        return new HybridKnowledgeBase(OpenSearchChunkIndex.connect(url, index, VectorSpace.of(embedder)), embedder, chunker());
    }

    /** Chunks sized by bge's tokenizer (at most 512 of its tokens), whatever embeds them: Titan v2 takes 8,192. */
    private static Chunker chunker() {
        return new Chunker(BgeSmallEmbedder.wordPieceCounter());
    }
}
