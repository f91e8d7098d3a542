package dev.steward.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.steward.core.json.Json;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local mode with JWT sign-in configured ({@code STEWARD_JWT_ISSUER} pointing at an issuer this test runs on the
 * loopback address): the gateway calls the same authorizer, so a token of Acme's sees Acme's runs through the same
 * routes as an API key, and a token of Globex's does not.
 */
class JwtSignInIT {
    private static final Path HOME = Path.of(System.getProperty("steward.home", "../..")).toAbsolutePath().normalize();
    private static final String CLIENT = "local-spa";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dataDir;
    static HttpServer issuer;
    static RSAKey signingKey;
    static LocalPlatform platform;
    static String acmeRunId;

    @BeforeAll
    static void start() throws Exception {
        signingKey = new RSAKeyGenerator(2048).keyID("it-key").generate();
        byte[] jwks = new JWKSet(signingKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        issuer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        issuer.createContext("/.well-known/jwks.json", exchange -> {
            try (exchange) {
                exchange.sendResponseHeaders(200, jwks.length);
                exchange.getResponseBody().write(jwks);
            }
        });
        issuer.start();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("STEWARD_JWT_ISSUER", issuerUrl());
        env.put("STEWARD_JWT_AUDIENCE", CLIENT);
        platform = LocalPlatform.start(new LocalConfig(HOME, dataDir, 0, 256 * 1024,
                Path.of(System.getProperty("steward.s3proxy.jar")), false, env));
        LocalClient operator = new LocalClient(platform.uri(), platform.operatorToken(), null);
        String acmeKey = operator.createTenant("acme").body().path("apiKey").asText();
        operator.createTenant("globex");
        HttpResponse<String> started = call("POST", "/v1/runs", "Bearer " + acmeKey,
                "{\"agent\":\"knowledge-assistant\",\"input\":\"What is our refund policy?\"}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        acmeRunId = Json.tree(started.body()).path("runId").asText();
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
        issuer.stop(0);
    }

    @Test
    void aTokenOfATenantListsItsRunsAndNotAnothersTenants() throws Exception {
        HttpResponse<String> acme = call("GET", "/v1/runs?limit=100", "Bearer " + token("acme", Instant.now().plusSeconds(300)), null);
        HttpResponse<String> globex = call("GET", "/v1/runs?limit=100", "Bearer " + token("globex", Instant.now().plusSeconds(300)), null);

        assertThat(acme.statusCode()).as(acme.body()).isEqualTo(200);
        assertThat(Json.tree(acme.body()).path("runs").findValuesAsText("runId")).contains(acmeRunId);
        assertThat(globex.statusCode()).as(globex.body()).isEqualTo(200);
        assertThat(Json.tree(globex.body()).path("runs").findValuesAsText("runId")).doesNotContain(acmeRunId);
        assertThat(call("GET", "/v1/runs/" + acmeRunId, "Bearer " + token("globex", Instant.now().plusSeconds(300)), null)
                .statusCode()).isEqualTo(404);
    }

    @Test
    void anExpiredTokenOrOneOfAnUnknownTenantGets401() throws Exception {
        JsonNode expired = Json.tree(call("GET", "/v1/runs", "Bearer " + token("acme", Instant.now().minusSeconds(300)), null).body());
        HttpResponse<String> unknown = call("GET", "/v1/runs", "Bearer " + token("initech", Instant.now().plusSeconds(300)), null);

        assertThat(expired.path("error").path("code").asText()).isEqualTo("unauthorized");
        assertThat(unknown.statusCode()).isEqualTo(401);
    }

    private static String token(String tenant, Instant expires) throws JOSEException {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuerUrl()).audience(CLIENT).subject("user-of-" + tenant)
                .claim("custom:tenant", tenant).claim("cognito:groups", List.of("member"))
                .issueTime(new Date()).expirationTime(Date.from(expires)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(signingKey));
        return jwt.serialize();
    }

    private static String issuerUrl() {
        return "http://127.0.0.1:" + issuer.getAddress().getPort();
    }

    private static HttpResponse<String> call(String method, String path, String authorization, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(platform.uri() + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", authorization)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
