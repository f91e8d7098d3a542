package dev.steward.rag;

import dev.steward.core.knowledge.DocumentId;
import dev.steward.rag.chunk.Chunker;
import dev.steward.rag.embed.BgeSmallEmbedder;
import dev.steward.rag.embed.TitanEmbedder;
import dev.steward.rag.embed.Embedder;
import dev.steward.rag.index.ChunkIndex;
import dev.steward.rag.index.VectorSpace;
import dev.steward.rag.load.DocumentLoaders;
import dev.steward.rag.lucene.LuceneChunkIndex;
import dev.steward.rag.opensearch.OpenSearchChunkIndex;
import dev.steward.rag.opensearch.SigV4;
import dev.steward.rag.retrieve.BedrockReranker;
import dev.steward.rag.retrieve.Reranking;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * Ready-made knowledge bases: chunks sized by bge's own tokenizer; vectors from the JVM-wide bge-small embedder, or
 * from Amazon Titan Text Embeddings v2 when {@value #EMBEDDER} is {@code titan}; reranked on Bedrock when
 * {@value #RERANKER} is {@code bedrock}. The first call loads bge's tokenizer and, for bge vectors, its model (about a
 * second). The caller owns the returned instance and closes it.
 */
public final class KnowledgeBases {
    /** When set (e.g. {@code http://127.0.0.1:9200}), the knowledge base is OpenSearch; otherwise embedded Lucene. */
    public static final String OPENSEARCH_URL = "STEWARD_OPENSEARCH_URL";
    /** The OpenSearch index holding every tenant's chunks; default {@value #DEFAULT_OPENSEARCH_INDEX}. */
    public static final String OPENSEARCH_INDEX = "STEWARD_OPENSEARCH_INDEX";
    public static final String DEFAULT_OPENSEARCH_INDEX = "steward-chunks";
    /**
     * How requests to OpenSearch are signed: {@code es} (Amazon OpenSearch Service), {@code aoss} (OpenSearch
     * Serverless) or {@code none}. Unset or blank: {@code es} for a host ending in {@code .es.amazonaws.com},
     * {@code aoss} for one ending in {@code .aoss.amazonaws.com}, {@code none} for any other host. Signing needs an
     * https URL and {@value #AWS_REGION}; credentials come from the AWS SDK's default provider chain.
     */
    public static final String OPENSEARCH_SIGV4 = "STEWARD_OPENSEARCH_SIGV4";
    /** The region requests to OpenSearch are signed for (Lambda sets it). */
    public static final String AWS_REGION = "AWS_REGION";
    /** {@code bge} (default: in-process bge-small) or {@code titan} (Bedrock, {@link TitanEmbedder}'s variables). */
    public static final String EMBEDDER = "STEWARD_EMBEDDER";
    /**
     * {@code none} (default: the fused order is the answer) or {@code bedrock} (Bedrock's Rerank API,
     * {@link BedrockReranker}'s variables).
     */
    public static final String RERANKER = "STEWARD_RERANKER";
    /** How many fused chunks the reranker reads; default {@value Reranking#DEFAULT_CANDIDATES}. */
    public static final String RERANK_CANDIDATES = "STEWARD_RERANK_CANDIDATES";

    private KnowledgeBases() {}

    /**
     * OpenSearch when {@value #OPENSEARCH_URL} is set in {@code env} (SigV4-signed as {@value #OPENSEARCH_SIGV4}
     * says), else embedded Lucene under {@code luceneRoot}.
     *
     * @throws IllegalArgumentException when {@value #OPENSEARCH_URL} is not an http(s) URL with a host,
     *     {@value #OPENSEARCH_SIGV4} or {@value #AWS_REGION} is missing or wrong for signing, or {@value #RERANKER} or
     *     {@value #RERANK_CANDIDATES} is not one of their values
     */
    public static KnowledgeBase fromEnvironment(Map<String, String> env, Path luceneRoot) {
        return fromEnvironment(env, luceneRoot, UrlConnectionHttpClient::create);
    }

    /**
     * As {@link #fromEnvironment(Map, Path)}, with SigV4-signed requests sent by the SDK HTTP client
     * {@code signedHttp} makes (its own TLS trust, proxy or timeouts); the knowledge base closes that client.
     */
    public static KnowledgeBase fromEnvironment(Map<String, String> env, Path luceneRoot, Supplier<SdkHttpClient> signedHttp) {
        String url = env.getOrDefault(OPENSEARCH_URL, "").strip();
        if (url.isEmpty()) {
            Embedder embedder = embedder(env);
            return withReranking(env, () -> new LuceneChunkIndex(luceneRoot, VectorSpace.of(embedder)), embedder);
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
        String name = index.isEmpty() ? DEFAULT_OPENSEARCH_INDEX : index;
        Optional<SigV4> signing = signing(env, uri);
        Embedder embedder = embedder(env);
        return withReranking(env, () -> signing.isEmpty()
                ? OpenSearchChunkIndex.connect(uri, name, VectorSpace.of(embedder))
                : OpenSearchChunkIndex.connect(uri, signing.get(), signedHttp.get(), name, VectorSpace.of(embedder)), embedder);
    }

    /** The knowledge base over the index {@code open} gives, reranked as {@value #RERANKER} says; nothing leaks on failure. */
    private static HybridKnowledgeBase withReranking(Map<String, String> env, Supplier<ChunkIndex<?>> open, Embedder embedder) {
        Optional<Reranking> reranking = reranking(env);
        try {
            return new HybridKnowledgeBase(open.get(), embedder, chunker(), reranking);
        } catch (RuntimeException e) {
            reranking.ifPresent(r -> r.reranker().close());
            throw e;
        }
    }

    /** The reranking {@value #RERANKER} and {@value #RERANK_CANDIDATES} ask for; empty for none. */
    static Optional<Reranking> reranking(Map<String, String> env) {
        String name = env.getOrDefault(RERANKER, "").strip().toLowerCase(Locale.ROOT);
        if (name.isEmpty() || name.equals("none")) {
            return Optional.empty();
        }
        if (!name.equals("bedrock")) {
            throw new IllegalArgumentException(RERANKER + " must be none or bedrock, not '" + env.get(RERANKER) + "'");
        }
        String count = env.getOrDefault(RERANK_CANDIDATES, "").strip();
        int candidates;
        try {
            candidates = count.isEmpty() ? Reranking.DEFAULT_CANDIDATES : Integer.parseInt(count);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(RERANK_CANDIDATES + " must be a whole number, not '" + count + "'", e);
        }
        if (candidates < 1 || candidates > BedrockReranker.MAX_SOURCES) {
            throw new IllegalArgumentException(RERANK_CANDIDATES + " must be 1 to " + BedrockReranker.MAX_SOURCES + ", not " + candidates);
        }
        return Optional.of(new Reranking(BedrockReranker.fromEnvironment(env), candidates));
    }

    /**
     * The signing {@value #OPENSEARCH_SIGV4} asks for at {@code url} (see there for the rule), with the SDK's default
     * credentials chain; empty for unsigned requests.
     */
    static Optional<SigV4> signing(Map<String, String> env, URI url) {
        String name = env.getOrDefault(OPENSEARCH_SIGV4, "").strip().toLowerCase(Locale.ROOT);
        Optional<SigV4.Service> service = switch (name) {
            case "" -> SigV4.Service.ofHost(url.getHost());
            case "none" -> Optional.empty();
            case "es" -> Optional.of(SigV4.Service.ES);
            case "aoss" -> Optional.of(SigV4.Service.AOSS);
            default -> throw new IllegalArgumentException(
                    OPENSEARCH_SIGV4 + " must be es, aoss or none, not '" + env.get(OPENSEARCH_SIGV4) + "'");
        };
        if (service.isEmpty()) {
            return Optional.empty();
        }
        if (!"https".equals(url.getScheme())) {
            throw new IllegalArgumentException(OPENSEARCH_URL + " must be an https URL for SigV4 signing ("
                    + service.get().signingName() + "), got " + url);
        }
        String region = env.getOrDefault(AWS_REGION, "").strip();
        if (region.isEmpty()) {
            throw new IllegalArgumentException(AWS_REGION + " must name the region to sign OpenSearch requests for ("
                    + OPENSEARCH_SIGV4 + "=" + service.get().signingName() + ")");
        }
        return Optional.of(new SigV4(service.get(), Region.of(region), DefaultCredentialsProvider.builder().build()));
    }

    /**
     * Loads what ingestion and retrieval load on first use, for priming a function before its SnapStart snapshot:
     * the document parsers (a small Markdown and HTML page each), the chunker with bge's tokenizer and, when
     * {@value #EMBEDDER} names the in-process bge model, the model, run once over a query and a passage. An embedder
     * behind a service (Titan) is left alone, as is the index: a connection made before the snapshot would be stale
     * after a restore.
     */
    public static void prime(Map<String, String> env) {
        String page = "# Returns\n\nRefunds are paid within five business days. Keep the receipt.\n";
        Chunker chunker = chunker();
        chunker.chunk(new DocumentId("doc_priming0"), DocumentLoaders.load("priming.md", page.getBytes(StandardCharsets.UTF_8)));
        chunker.chunk(new DocumentId("doc_priming0"), DocumentLoaders.load("priming.html",
                "<html><head><title>Returns</title></head><body><h1>Returns</h1><p>Refunds are paid within five business days.</p></body></html>"
                        .getBytes(StandardCharsets.UTF_8)));
        if (embedderName(env).equals("bge")) {
            BgeSmallEmbedder bge = BgeSmallEmbedder.shared();
            bge.embedQuery("How long do refunds take?");
            bge.embedAll(List.of("Refunds are paid within five business days.", "Keep the receipt."));
        }
    }

    /** The embedder {@value #EMBEDDER} names; an index built by another one refuses to open with it. */
    static Embedder embedder(Map<String, String> env) {
        return switch (embedderName(env)) {
            case "bge" -> BgeSmallEmbedder.shared();
            case "titan" -> TitanEmbedder.fromEnvironment(env);
            default -> throw new IllegalArgumentException(EMBEDDER + " must be bge or titan, not '" + env.get(EMBEDDER) + "'");
        };
    }

    private static String embedderName(Map<String, String> env) {
        String name = env.getOrDefault(EMBEDDER, "").strip().toLowerCase(Locale.ROOT);
        return name.isEmpty() ? "bge" : name;
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
