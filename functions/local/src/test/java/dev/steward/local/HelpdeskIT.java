package dev.steward.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.steward.core.json.Json;
import dev.steward.core.run.RunStatus;
import dev.steward.core.tenant.Role;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A Zendesk reply end to end in local mode: a tenant connects its Zendesk through the API, a model (OpenAI wire format)
 * proposes a public reply on a ticket, the default policy stops it for review, and the approval posts exactly one
 * comment to a local stand-in for Zendesk (local mode's {@code STEWARD_ZENDESK_BASE_URL}); a tenant without a
 * connection gets a clear tool error and its run still ends normally.
 */
class HelpdeskIT {
    private static final Path HOME = Path.of(System.getProperty("steward.home", "../..")).toAbsolutePath().normalize();
    private static final String TOKEN = "acme-zendesk-token-0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** What the stand-in for Zendesk received: method, path, Authorization header, body. */
    record Received(String method, String path, String authorization, JsonNode body, Instant at) {}

    @TempDir
    static Path dataDir;

    static HttpServer zendesk;
    static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    /** Paths the stand-in answers once with 429 and a Retry-After of 12 s before accepting. */
    static final Set<String> RATE_LIMITED_ONCE = ConcurrentHashMap.newKeySet();
    static ScriptedChatServer model;
    static LocalPlatform platform;

    @BeforeAll
    static void start() throws Exception {
        zendesk = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        zendesk.createContext("/api/v2/tickets/", exchange -> {
            try (exchange) {
                String auth = exchange.getRequestHeaders().getFirst("Authorization");
                RECEIVED.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), auth,
                        Json.mapper().readTree(exchange.getRequestBody()), Instant.now()));
                if (RATE_LIMITED_ONCE.remove(exchange.getRequestURI().getPath())) {
                    // longer than the connector waits out itself: the state machine's retry has to come back later
                    byte[] limited = "{\"error\":\"TooManyRequests\",\"description\":\"Rate limit exceeded\"}".getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Retry-After", "12");
                    exchange.sendResponseHeaders(429, limited.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(limited);
                    }
                    return;
                }
                boolean ok = ("Basic " + Base64.getEncoder().encodeToString(("agent@acme.test/token:" + TOKEN).getBytes(StandardCharsets.UTF_8)))
                        .equals(auth);
                byte[] body = (ok ? "{\"ticket\":{\"id\":35436},\"audit\":{\"id\":1,\"events\":[{\"id\":2,\"type\":\"Comment\"}]}}"
                        : "{\"error\":\"Couldn't authenticate you\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(ok ? 200 : 401, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        zendesk.start();
        model = new ScriptedChatServer();
        Map<String, String> env = new HashMap<>(model.environment());
        env.put("STEWARD_ZENDESK_BASE_URL", "http://127.0.0.1:" + zendesk.getAddress().getPort());
        platform = LocalPlatform.start(new LocalConfig(HOME, dataDir, 0, 1024 * 1024,
                Path.of(System.getProperty("steward.s3proxy.jar")), false, env));
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
        if (model != null) {
            model.close();
        }
        if (zendesk != null) {
            zendesk.stop(0);
        }
    }

    @Test
    void approvingAProposedReplyPostsExactlyOneCommentWithTheTenantsCredentials() throws Exception {
        String key = newTenant("acme");
        String policy = Files.readString(HOME.resolve("templates/policies/default.cedar"));
        assertThat(call(key, "PUT", "/v1/policy", Json.write(Json.object().put("policy", policy).put("expectedVersion", 0)))
                .statusCode()).isEqualTo(200);
        HttpResponse<String> connected = call(key, "PUT", "/v1/connections/zendesk",
                "{\"subdomain\":\"acme\",\"email\":\"agent@acme.test\",\"token\":\"" + TOKEN + "\"}");
        assertThat(connected.statusCode()).as(connected.body()).isEqualTo(200);
        assertThat(connected.body()).doesNotContain(TOKEN);

        JsonNode review = waitForReview(key, startRun(key, "Please answer Zendesk ticket 35436: how long do refunds take?"));
        assertThat(review.path("tool").asText()).isEqualTo("zendesk_comment");
        assertThat(review.path("payload").path("ticketId").asLong()).isEqualTo(35436);
        assertThat(review.path("payload").path("public").asBoolean()).isTrue();
        assertThat(review.path("reason").asText()).contains("zendesk-public-replies");
        assertThat(RECEIVED).isEmpty();

        assertThat(decide(key, review.path("reviewId").asText()).statusCode()).isEqualTo(200);
        JsonNode run = waitForEnd(key, review.path("runId").asText());

        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(run.path("answer").path("answer").asText()).isEqualTo("I replied on the ticket.");
        assertThat(run.path("observations").get(0).path("result").path("status").asText()).isEqualTo("ok");
        assertThat(RECEIVED).hasSize(1);
        Received posted = RECEIVED.getFirst();
        assertThat(posted.method()).isEqualTo("PUT");
        assertThat(posted.path()).isEqualTo("/api/v2/tickets/35436.json");
        assertThat(posted.body().path("ticket").path("comment").path("public").asBoolean()).isTrue();
        assertThat(posted.body().path("ticket").path("comment").path("body").asText()).isEqualTo(review.path("payload").path("body").asText());
        // The decision is final: a second one is refused and posts nothing.
        assertThat(decide(key, review.path("reviewId").asText()).statusCode()).isEqualTo(409);
        Thread.sleep(500);
        assertThat(RECEIVED).hasSize(1);
    }

    @Test
    void aRateLimitLongerThanTheConnectorWaitsIsRetriedByTheStateMachineAndPostsOnce() throws Exception {
        String key = newTenant("wayne");
        HttpResponse<String> connected = call(key, "PUT", "/v1/connections/zendesk",
                "{\"subdomain\":\"wayne\",\"email\":\"agent@acme.test\",\"token\":\"" + TOKEN + "\"}");
        assertThat(connected.statusCode()).as(connected.body()).isEqualTo(200);
        String path = "/api/v2/tickets/42429.json";
        RATE_LIMITED_ONCE.add(path);
        JsonNode review = waitForReview(key, startRun(key, "Please answer Zendesk ticket 42429: how long do refunds take?"));
        assertThat(decide(key, review.path("reviewId").asText()).statusCode()).isEqualTo(200);
        JsonNode run = waitForEnd(key, review.path("runId").asText());

        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(run.path("observations").get(0).path("result").path("status").asText()).isEqualTo("ok");
        List<Received> sent = RECEIVED.stream().filter(r -> r.path().equals(path)).toList();
        assertThat(sent).hasSize(2); // the one turned away, then the one accepted
        assertThat(RATE_LIMITED_ONCE).isEmpty();
        // The Act step came back on the state machine's rate-limit schedule (15 s), not its quick retries (1-4 s).
        assertThat(Duration.between(sent.get(0).at(), sent.get(1).at())).isGreaterThanOrEqualTo(Duration.ofSeconds(14));
        RECEIVED.removeAll(sent); // the other tests count what acme's and globex's runs sent
    }

    @Test
    void aTenantWithoutAConnectionGetsAToolErrorAndItsRunStillEnds() throws Exception {
        String key = newTenant("globex");
        JsonNode review = waitForReview(key, startRun(key, "Please answer Zendesk ticket 777: where is my order?"));
        int before = RECEIVED.size();
        decide(key, review.path("reviewId").asText());
        JsonNode run = waitForEnd(key, review.path("runId").asText());

        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        JsonNode observed = run.path("observations").get(0).path("result");
        assertThat(observed.path("status").asText()).isEqualTo("error");
        assertThat(observed.path("code").asText()).isEqualTo("not_connected");
        assertThat(RECEIVED).hasSize(before);
    }

    @Test
    void theCommandLineStoresAndRemovesAConnectionWithoutEverPrintingItsToken() throws Exception {
        String key = newTenant("initech");
        String dir = dataDir.toString();
        String token = "initech-hubspot-token-0123456789";

        assertThat(StewardCliRun.of("connection", "set", "hubspot", "--tenant", "initech", "--token", token, "--data-dir", dir))
                .satisfies(r -> assertThat(r.exit()).as(r.err()).isZero())
                .satisfies(r -> assertThat(r.out()).contains("hubspot").doesNotContain(token));
        JsonNode listed = Json.tree(call(key, "GET", "/v1/connections", null).body());
        assertThat(listed.path("connections")).hasSize(1);
        assertThat(listed.path("connections").get(0).path("vendor").asText()).isEqualTo("hubspot");
        assertThat(listed.path("connections").get(0).path("tokenSet").asBoolean()).isTrue();

        StewardCliRun missingSubdomain = StewardCliRun.of("connection", "set", "zendesk", "--tenant", "initech", "--token", token,
                "--data-dir", dir);
        assertThat(missingSubdomain.exit()).isEqualTo(1);
        assertThat(missingSubdomain.err()).contains("subdomain");
        assertThat(StewardCliRun.of("connection", "set", "salesforce", "--tenant", "initech", "--token", token, "--data-dir", dir)
                .exit()).isEqualTo(1);

        assertThat(StewardCliRun.of("connection", "delete", "hubspot", "--tenant", "initech", "--data-dir", dir).exit()).isZero();
        assertThat(Json.tree(call(key, "GET", "/v1/connections", null).body()).path("connections")).isEmpty();
        assertThat(StewardCliRun.of("connection", "delete", "hubspot", "--tenant", "initech", "--data-dir", dir).exit())
                .as("nothing left to delete").isEqualTo(1);
    }

    @Test
    void theCommandLineIssuesAKeyWithTheRoleAskedForAndAMemberCannotChangeConnections() throws Exception {
        String adminKey = newTenant("hooli");
        String dir = dataDir.toString();

        StewardCliRun member = StewardCliRun.of("tenant", "key", "hooli", "--data-dir", dir);
        assertThat(member.exit()).as(member.err()).isZero();
        assertThat(member.out()).contains("member API key of tenant 'hooli'");
        String memberKey = member.out().lines().filter(l -> l.startsWith("stw_hooli_")).findFirst().orElseThrow();
        assertThat(memberKey).isNotEqualTo(adminKey);
        assertThat(call(memberKey, "GET", "/v1/connections", null).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = call(memberKey, "PUT", "/v1/connections/hubspot", "{\"token\":\"hooli-hubspot-token-0123\"}");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("role member cannot connect vendors");

        StewardCliRun admin = StewardCliRun.of("tenant", "key", "hooli", "--role", "Admin", "--data-dir", dir);
        assertThat(admin.exit()).as(admin.err()).isZero();
        String secondAdminKey = admin.out().lines().filter(l -> l.startsWith("stw_hooli_")).findFirst().orElseThrow();
        assertThat(call(secondAdminKey, "PUT", "/v1/connections/hubspot", "{\"token\":\"hooli-hubspot-token-0123\"}").statusCode())
                .isEqualTo(200);

        StewardCliRun unknownTenant = StewardCliRun.of("tenant", "key", "nobody", "--data-dir", dir);
        assertThat(unknownTenant.exit()).isEqualTo(1);
        assertThat(unknownTenant.err()).contains("tenant 'nobody' does not exist");
        StewardCliRun unknownRole = StewardCliRun.of("tenant", "key", "hooli", "--role", "owner", "--data-dir", dir);
        assertThat(unknownRole.exit()).isEqualTo(2);
        assertThat(unknownRole.err()).contains("unknown role 'owner'");
        assertThat(StewardCliRun.of("tenant", "key", "no such/tenant", "--data-dir", dir).exit()).isEqualTo(2);
    }

    @Test
    void theIntegrationsTabConnectsZendeskAndSetsUpAHubSpotWebhookInTheBrowser() throws Exception {
        // A tenant's first key is an admin's, which changing connections and webhooks needs; the member's is refused.
        String key = newTenant("umbrella");
        String memberKey = operator().createKey("umbrella", Role.MEMBER).body().path("apiKey").asText();
        if (!BrowserTest.available(HOME, "integrations.e2e.mjs")) {
            System.out.println("SKIPPED: browser integrations test (script or Chromium missing)");
            return;
        }
        BrowserTest.run(HOME, "integrations.e2e.mjs", Map.of("STEWARD_URL", platform.uri().toString(), "STEWARD_API_KEY", key,
                "STEWARD_MEMBER_KEY", memberKey, "STEWARD_AGENT", "support-agent"));

        // What the page left, as the API has it: the HubSpot webhook, and no connection (Zendesk's was removed).
        JsonNode hooks = Json.tree(call(key, "GET", "/v1/webhooks", null).body()).path("webhooks");
        assertThat(hooks).hasSize(1);
        assertThat(hooks.get(0).path("source").asText()).isEqualTo("hubspot");
        assertThat(hooks.get(0).path("agent").asText()).isEqualTo("support-agent");
        assertThat(hooks.get(0).path("path").asText()).isEqualTo("/v1/hooks/umbrella/hubspot");
        assertThat(hooks.get(0).has("secret")).isFalse();
        assertThat(Json.tree(call(key, "GET", "/v1/connections", null).body()).path("connections")).isEmpty();
    }

    /** One {@code steward} command run in this JVM, with what it printed. */
    record StewardCliRun(int exit, String out, String err) {
        static StewardCliRun of(String... args) {
            PrintStream out = System.out;
            PrintStream err = System.err;
            var outBuffer = new ByteArrayOutputStream();
            var errBuffer = new ByteArrayOutputStream();
            System.setOut(new PrintStream(outBuffer, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBuffer, true, StandardCharsets.UTF_8));
            try {
                int exit = new CommandLine(new StewardCli()).execute(args);
                return new StewardCliRun(exit, outBuffer.toString(StandardCharsets.UTF_8), errBuffer.toString(StandardCharsets.UTF_8));
            } finally {
                System.setOut(out);
                System.setErr(err);
            }
        }
    }

    // --- helpers ---

    private static String newTenant(String name) {
        return operator().createTenant(name).body().path("apiKey").asText();
    }

    private static LocalClient operator() {
        return new LocalClient(platform.uri(), platform.operatorToken(), null);
    }

    private static String startRun(String key, String input) throws Exception {
        HttpResponse<String> r = call(key, "POST", "/v1/runs", Json.write(Json.object().put("agent", "support-agent").put("input", input)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return Json.tree(r.body()).path("runId").asText();
    }

    private static HttpResponse<String> decide(String key, String reviewId) throws Exception {
        return call(key, "POST", "/v1/reviews/" + reviewId + "/decision", "{\"decision\":\"approve\"}");
    }

    private static JsonNode waitForReview(String key, String runId) throws Exception {
        JsonNode run = poll(key, runId, s -> RunStatus.valueOf(s).settled());
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("WAITING_FOR_REVIEW");
        return Json.tree(call(key, "GET", "/v1/reviews/" + run.path("reviewId").asText(), null).body());
    }

    private static JsonNode waitForEnd(String key, String runId) throws Exception {
        return poll(key, runId, s -> s.equals("SUCCEEDED") || s.equals("FAILED") || s.equals("HALTED"));
    }

    private static JsonNode poll(String key, String runId, java.util.function.Predicate<String> done) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            JsonNode run = Json.tree(call(key, "GET", "/v1/runs/" + runId, null).body());
            if (done.test(run.path("status").asText())) {
                return run;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("run " + runId + " did not reach the expected state in 60 s");
    }

    private static HttpResponse<String> call(String key, String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(platform.uri() + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
