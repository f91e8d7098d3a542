package dev.steward.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local mode with JWT sign-in configured ({@code STEWARD_JWT_ISSUER} pointing at an {@link OidcStandIn} on the
 * loopback address): the gateway calls the same authorizer, so a token of Acme's sees Acme's runs through the same
 * routes as an API key, and a token of Globex's does not; and the web app signs in through the issuer in Chromium.
 */
class JwtSignInIT {
    private static final Path HOME = Path.of(System.getProperty("steward.home", "../..")).toAbsolutePath().normalize();
    private static final String CLIENT = "local-spa";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dataDir;
    static OidcStandIn issuer;
    static LocalPlatform platform;
    static String acmeRunId;

    @BeforeAll
    static void start() throws Exception {
        issuer = new OidcStandIn(CLIENT, "acme");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("STEWARD_JWT_ISSUER", issuer.issuer());
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
        issuer.close();
    }

    @Test
    void aTokenOfATenantListsItsRunsAndNotAnothersTenants() throws Exception {
        HttpResponse<String> acme = call("GET", "/v1/runs?limit=100", "Bearer " + valid("acme"), null);
        HttpResponse<String> globex = call("GET", "/v1/runs?limit=100", "Bearer " + valid("globex"), null);

        assertThat(acme.statusCode()).as(acme.body()).isEqualTo(200);
        assertThat(Json.tree(acme.body()).path("runs").findValuesAsText("runId")).contains(acmeRunId);
        assertThat(globex.statusCode()).as(globex.body()).isEqualTo(200);
        assertThat(Json.tree(globex.body()).path("runs").findValuesAsText("runId")).doesNotContain(acmeRunId);
        assertThat(call("GET", "/v1/runs/" + acmeRunId, "Bearer " + valid("globex"), null).statusCode()).isEqualTo(404);
    }

    @Test
    void anExpiredTokenOrOneOfAnUnknownTenantGets401() throws Exception {
        String expired = issuer.idToken("acme", Instant.now().minusSeconds(300));
        JsonNode refused = Json.tree(call("GET", "/v1/runs", "Bearer " + expired, null).body());
        HttpResponse<String> unknown = call("GET", "/v1/runs", "Bearer " + valid("initech"), null);

        assertThat(refused.path("error").path("code").asText()).isEqualTo("unauthorized");
        assertThat(unknown.statusCode()).isEqualTo(401);
    }

    @Test
    void theWebAppSignsInThroughTheIssuer() throws Exception {
        JsonNode config = Json.tree(call("GET", "/config.json", null, null).body());
        assertThat(config.path("signin")).isEqualTo(Json.tree(Json.write(Map.of("issuer", issuer.issuer(), "clientId", CLIENT))));
        if (!BrowserTest.available(HOME, "sso.e2e.mjs")) {
            System.out.println("SKIPPED: browser SSO test (script or Chromium missing)");
            return;
        }
        BrowserTest.run(HOME, "sso.e2e.mjs", Map.of("STEWARD_URL", platform.uri().toString(), "STEWARD_SSO_TENANT", "acme",
                "STEWARD_SSO_RUN_ID", acmeRunId));
    }

    private static String valid(String tenant) {
        return issuer.idToken(tenant, Instant.now().plusSeconds(300));
    }

    private static HttpResponse<String> call(String method, String path, String authorization, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.uri() + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
