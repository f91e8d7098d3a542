package dev.steward.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.steward.core.knowledge.DocumentId;
import dev.steward.core.tenant.TenantId;
import dev.steward.rag.embed.TitanEmbedder;
import dev.steward.rag.opensearch.SigV4;
import dev.steward.rag.retrieve.BedrockReranker;
import dev.steward.rag.retrieve.Reranker;
import dev.steward.rag.retrieve.Reranking;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;

/**
 * Choosing the backend, the OpenSearch signing and the reranker from the environment; OpenSearchChunkIndexIT and
 * SignedOpenSearchChunkIndexIT cover the OpenSearch side with a real node.
 */
class KnowledgeBasesTest {
    @TempDir
    Path root;

    @Test
    void withoutAnOpenSearchUrlTheKnowledgeBaseIsLuceneUnderTheGivenDirectory() {
        try (KnowledgeBase kb = KnowledgeBases.fromEnvironment(Map.of(KnowledgeBases.OPENSEARCH_URL, " "), root)) {
            kb.ingest(TenantId.of("acme"), new DocumentId("doc_envlucene1"), "a.txt",
                    "The refund window is 30 days.".getBytes(StandardCharsets.UTF_8));
            assertThat(kb.retrieve(TenantId.of("acme"), "refund window", 1)).hasSize(1);
        }
        assertThat(Files.isDirectory(root.resolve("acme"))).isTrue();
    }

    @Test
    void primingTouchesNeitherTheIndexNorAnEmbeddingService() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            // a connection opened before a SnapStart snapshot would be stale after the restore
            KnowledgeBases.prime(Map.of(KnowledgeBases.OPENSEARCH_URL, url, KnowledgeBases.EMBEDDER, "titan",
                    TitanEmbedder.ENDPOINT_VARIABLE, url, TitanEmbedder.REGION_VARIABLE, "us-east-1"));
            KnowledgeBases.prime(Map.of(KnowledgeBases.OPENSEARCH_URL, url));
        } finally {
            server.stop(0);
        }
        assertThat(requests).hasValue(0);
    }

    @Test
    void anOpenSearchUrlThatIsNotHttpIsRefusedWithTheVariableNamed() {
        for (String bad : new String[] {"localhost:9200", "ftp://host:21", "http://", "not a url"}) {
            assertThatThrownBy(() -> KnowledgeBases.fromEnvironment(Map.of(KnowledgeBases.OPENSEARCH_URL, bad), root))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(KnowledgeBases.OPENSEARCH_URL);
        }
    }

    @Test
    void signingFollowsTheVariableElseTheHost() {
        URI domain = URI.create("https://search-steward-abc123.eu-west-1.es.amazonaws.com");
        URI collection = URI.create("https://abc123xyz.eu-west-1.aoss.amazonaws.com");
        URI own = URI.create("https://opensearch.internal:9200");
        Map<String, String> region = Map.of(KnowledgeBases.AWS_REGION, "eu-west-1");

        assertThat(KnowledgeBases.signing(region, domain)).hasValueSatisfying(s -> {
            assertThat(s.service()).isEqualTo(SigV4.Service.ES);
            assertThat(s.region()).isEqualTo(Region.EU_WEST_1);
        });
        assertThat(KnowledgeBases.signing(region, collection)).map(SigV4::service).hasValue(SigV4.Service.AOSS);
        assertThat(KnowledgeBases.signing(region, own)).isEmpty();
        // without signing, no region is needed
        assertThat(KnowledgeBases.signing(Map.of(), own)).isEmpty();

        assertThat(KnowledgeBases.signing(with(region, "ES "), own)).map(SigV4::service).hasValue(SigV4.Service.ES);
        assertThat(KnowledgeBases.signing(with(region, "aoss"), domain)).map(SigV4::service).hasValue(SigV4.Service.AOSS);
        assertThat(KnowledgeBases.signing(with(Map.of(), "none"), domain)).isEmpty();
        assertThat(KnowledgeBases.signing(with(region, " "), domain)).map(SigV4::service).hasValue(SigV4.Service.ES);
    }

    @Test
    void wrongSigningSettingsAreRefusedWithTheVariableNamed() {
        URI domain = URI.create("https://search-steward-abc123.eu-west-1.es.amazonaws.com");
        Map<String, String> region = Map.of(KnowledgeBases.AWS_REGION, "eu-west-1");
        assertThatThrownBy(() -> KnowledgeBases.signing(with(region, "sigv4"), domain))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(KnowledgeBases.OPENSEARCH_SIGV4).hasMessageContaining("'sigv4'");
        assertThatThrownBy(() -> KnowledgeBases.signing(with(region, "es"), URI.create("http://opensearch.internal:9200")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(KnowledgeBases.OPENSEARCH_URL).hasMessageContaining("https");
        assertThatThrownBy(() -> KnowledgeBases.signing(Map.of(), domain))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(KnowledgeBases.AWS_REGION);
        // and through the factory, before anything is loaded or connected
        Map<String, String> env = Map.of(KnowledgeBases.OPENSEARCH_URL, domain.toString(),
                KnowledgeBases.OPENSEARCH_SIGV4, "v4", KnowledgeBases.AWS_REGION, "eu-west-1");
        assertThatThrownBy(() -> KnowledgeBases.fromEnvironment(env, root))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(KnowledgeBases.OPENSEARCH_SIGV4);
    }

    @Test
    void theRerankerIsNoneUnlessBedrockIsAskedFor() {
        assertThat(KnowledgeBases.reranking(Map.of())).isEmpty();
        assertThat(KnowledgeBases.reranking(Map.of(KnowledgeBases.RERANKER, " None "))).isEmpty();
        Map<String, String> bedrock = Map.of(KnowledgeBases.RERANKER, "bedrock", BedrockReranker.REGION_VARIABLE, "us-west-2");
        assertThat(KnowledgeBases.reranking(bedrock)).hasValueSatisfying(r -> {
            try (Reranker reranker = r.reranker()) {
                assertThat(r.candidates()).isEqualTo(Reranking.DEFAULT_CANDIDATES);
                assertThat(reranker.id()).isEqualTo("bedrock arn:aws:bedrock:us-west-2::foundation-model/amazon.rerank-v1:0");
            }
        });
        Map<String, String> more = new HashMap<>(bedrock);
        more.put(KnowledgeBases.RERANK_CANDIDATES, "100");
        assertThat(KnowledgeBases.reranking(more)).hasValueSatisfying(r -> {
            r.reranker().close();
            assertThat(r.candidates()).isEqualTo(100);
        });
    }

    @Test
    void wrongRerankSettingsAreRefusedWithTheVariableNamed() {
        assertThatThrownBy(() -> KnowledgeBases.fromEnvironment(Map.of(KnowledgeBases.RERANKER, "cohere"), root))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(KnowledgeBases.RERANKER).hasMessageContaining("'cohere'");
        for (String bad : new String[] {"0", "1001", "thirty"}) {
            assertThatThrownBy(() -> KnowledgeBases.reranking(Map.of(KnowledgeBases.RERANKER, "bedrock",
                    KnowledgeBases.RERANK_CANDIDATES, bad, BedrockReranker.REGION_VARIABLE, "us-west-2")))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(KnowledgeBases.RERANK_CANDIDATES);
        }
    }

    private static Map<String, String> with(Map<String, String> env, String sigV4) {
        Map<String, String> out = new HashMap<>(env);
        out.put(KnowledgeBases.OPENSEARCH_SIGV4, sigV4);
        return out;
    }
}
