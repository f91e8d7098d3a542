package dev.steward.rag.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.knowledge.DocumentId;
import dev.steward.rag.KnowledgeBase;
import dev.steward.rag.KnowledgeBases;
import dev.steward.rag.index.ChunkIndex;
import dev.steward.rag.index.VectorSpace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensearch.client.opensearch._types.OpenSearchException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * The whole backend contract and the OpenSearch tests again, with every request signed by the production path
 * ({@link SigV4}: opensearch-java's AwsSdk2Transport over the SDK's URLConnection client) and sent over TLS to a
 * {@link SigV4VerifyingProxy}, which lets it through to the real node only when its signature is valid for the test
 * key, region and service. The only test-specific piece on the client side is the SDK HTTP client's trust in the
 * proxy's self-signed certificate. Plus: credentials with a session token from the SDK's default chain, the
 * Serverless service name, and a wrong secret being refused.
 */
class SignedOpenSearchChunkIndexIT extends OpenSearchChunkIndexIT {
    private static final String ACCESS_KEY = "AKIDSTEWARDTEST00001";
    private static final String SECRET_KEY = "steward/test/secret/key/000000000000001";
    private static final String REGION = "eu-central-1";
    private static final SigV4VerifyingProxy.Expected ES = new SigV4VerifyingProxy.Expected(
            ACCESS_KEY, SECRET_KEY, Optional.empty(), REGION, "es");

    @TempDir
    static Path keys;

    private static SigV4VerifyingProxy proxy;
    private boolean refusalsExpected;

    @BeforeAll
    static void startProxy() {
        proxy = SigV4VerifyingProxy.start(OpenSearchNodeExtension.url(), keys, ES);
    }

    @AfterAll
    static void stopProxy() {
        proxy.close();
    }

    @BeforeEach
    void expectEs() {
        proxy.expect(ES);
        proxy.clear();
    }

    /** Every test's requests reached OpenSearch through the proxy, signed and accepted. */
    @AfterEach
    void everyRequestWasSignedAndAccepted() {
        if (!refusalsExpected) {
            assertThat(proxy.seen()).isNotEmpty().allSatisfy(seen -> assertThat(seen.refusal()).as(seen.method() + " " + seen.path()).isEmpty());
        }
    }

    @Override
    protected ChunkIndex<?> open(String name, VectorSpace space) {
        return OpenSearchChunkIndex.connect(proxy.url(), sigV4(SigV4.Service.ES, SECRET_KEY), trustingClient(), name, space);
    }

    private static SigV4 sigV4(SigV4.Service service, String secret) {
        return new SigV4(service, Region.of(REGION), StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, secret)));
    }

    /** The SDK's URLConnection client, trusting the proxy's certificate (and verifying its host name, 127.0.0.1). */
    private static SdkHttpClient trustingClient() {
        return UrlConnectionHttpClient.builder().tlsTrustManagersProvider(() -> proxy.trustManagers().getTrustManagers()).build();
    }

    @Test
    void everyRequestCarriesAnEsSignatureScopedToTheKeyDateAndRegion() {
        try (ChunkIndex<?> index = open(storage, new VectorSpace("test-model/v1", 4))) {
            index.delete(ACME, new DocumentId("doc_nothing001"));
        }
        String today = LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE);
        List<SigV4VerifyingProxy.Seen> seen = proxy.seen();
        // index exists? (HEAD), create (PUT), delete by query (POST)
        assertThat(seen).extracting(SigV4VerifyingProxy.Seen::method).contains("HEAD", "PUT", "POST");
        assertThat(seen).allSatisfy(s -> {
            assertThat(s.authorization()).matches("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/\\d{8}/" + REGION
                    + "/es/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}");
            assertThat(s.amzDate()).matches("\\d{8}T\\d{6}Z");
            assertThat(s.authorization()).contains("/" + s.amzDate().substring(0, 8) + "/");
            assertThat(s.securityToken()).isNull();
        });
        assertThat(seen.getFirst().amzDate().substring(0, 8)).isIn(today,
                LocalDate.now(ZoneOffset.UTC).minusDays(1).format(DateTimeFormatter.BASIC_ISO_DATE));
    }

    /**
     * From the environment, as on Lambda: signing named by {@code STEWARD_OPENSEARCH_SIGV4}, the region from
     * {@code AWS_REGION}, and credentials with a session token from the SDK's default chain (here its first link,
     * the {@code aws.*} system properties; on Lambda the role's credentials).
     */
    @Test
    @Override
    void theEnvironmentChoosesOpenSearchWhenItsUrlIsSet() {
        String token = "steward-test-session-token/0001";
        proxy.expect(new SigV4VerifyingProxy.Expected(ACCESS_KEY, SECRET_KEY, Optional.of(token), REGION, "es"));
        Map<String, String> env = Map.of(KnowledgeBases.OPENSEARCH_URL, proxy.url().toString(),
                KnowledgeBases.OPENSEARCH_INDEX, storage,
                KnowledgeBases.OPENSEARCH_SIGV4, "es",
                KnowledgeBases.AWS_REGION, REGION);
        Map<String, String> properties = Map.of("aws.accessKeyId", ACCESS_KEY, "aws.secretAccessKey", SECRET_KEY,
                "aws.sessionToken", token);
        properties.forEach(System::setProperty);
        try (KnowledgeBase kb = KnowledgeBases.fromEnvironment(env, luceneRoot, SignedOpenSearchChunkIndexIT::trustingClient)) {
            kb.ingest(ACME, new DocumentId("doc_envsigned1"), "a.txt",
                    "The refund window is 30 days.".getBytes(StandardCharsets.UTF_8));
            assertThat(kb.retrieve(ACME, "how long is the refund window", 1)).hasSize(1);
        } finally {
            properties.keySet().forEach(System::clearProperty);
        }
        assertThat(countAll(null, ACME)).isEqualTo(1);
        assertThat(proxy.seen()).isNotEmpty().allSatisfy(s -> {
            assertThat(s.securityToken()).isEqualTo(token);
            assertThat(s.authorization()).contains("Credential=" + ACCESS_KEY + "/").contains("/" + REGION + "/es/aws4_request")
                    .contains("x-amz-security-token");
        });
    }

    @Test
    void serverlessRequestsAreSignedForAoss() {
        proxy.expect(new SigV4VerifyingProxy.Expected(ACCESS_KEY, SECRET_KEY, Optional.empty(), REGION, "aoss"));
        try (ChunkIndex<?> index = OpenSearchChunkIndex.connect(proxy.url(), sigV4(SigV4.Service.AOSS, SECRET_KEY),
                trustingClient(), storage, new VectorSpace("test-model/v1", 4))) {
            index.delete(ACME, new DocumentId("doc_nothing001"));
        }
        // Serverless also needs the payload hash signed (the proxy checks it against the body).
        assertThat(proxy.seen()).isNotEmpty().allSatisfy(s -> assertThat(s.authorization())
                .contains("/" + REGION + "/aoss/aws4_request")
                .containsPattern("SignedHeaders=[a-z0-9;-]*x-amz-content-sha256"));
    }

    @Test
    void aRequestSignedWithTheWrongSecretIsRefusedWithA403() {
        refusalsExpected = true;
        assertThatThrownBy(() -> OpenSearchChunkIndex.connect(proxy.url(), sigV4(SigV4.Service.ES, "not-the-secret"),
                trustingClient(), storage, new VectorSpace("test-model/v1", 4)))
                .isInstanceOfSatisfying(OpenSearchException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThat(proxy.seen()).singleElement().satisfies(s -> assertThat(s.refusal())
                .hasValue("The request signature we calculated does not match the signature you provided"));
    }

    @Test
    void signingNeedsAnHttpsUrl() {
        refusalsExpected = true;
        SdkHttpClient http = trustingClient();
        assertThatThrownBy(() -> OpenSearchChunkIndex.connect(OpenSearchNodeExtension.url(), sigV4(SigV4.Service.ES, SECRET_KEY),
                http, storage, new VectorSpace("test-model/v1", 4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("https");
        assertThat(proxy.seen()).isEmpty();
    }
}
