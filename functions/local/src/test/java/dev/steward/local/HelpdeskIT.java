package dev.steward.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.json.Json;
import dev.steward.core.run.RunStatus;
import dev.steward.core.tenant.Role;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Zendesk reply end to end in local mode: a tenant connects its Zendesk through the API, a model (OpenAI wire format)
 * proposes a public reply on a ticket, the default policy stops it for review, and the approval posts exactly one
 * comment to a local stand-in for Zendesk (local mode's {@code STEWARD_ZENDESK_BASE_URL}, {@link ZendeskStandIn}); a
 * tenant without a connection gets a clear tool error and its run still ends normally. When Zendesk's answer to the
 * approved reply is lost (it comes later than {@code STEWARD_CONNECTOR_TIMEOUT_MS}), the state machine's retry of the
 * Act step looks on the ticket: a reply Zendesk added is recorded as done, one it never got goes to a review that says
 * so, and approving that posts it once.
 */
class HelpdeskIT {
    private static final Path HOME = Path.of(System.getProperty("steward.home", "../..")).toAbsolutePath().normalize();
    private static final String TOKEN = "acme-zendesk-token-0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Longer than the connector waits for Zendesk's answer ({@code STEWARD_CONNECTOR_TIMEOUT_MS}, 3000 ms here). */
    private static final Duration STALL = Duration.ofMillis(7000);

    @TempDir
    static Path dataDir;

    static ZendeskStandIn zendesk;
    static ScriptedChatServer model;
    static LocalPlatform platform;

    @BeforeAll
    static void start() throws Exception {
        zendesk = new ZendeskStandIn("agent@acme.test", TOKEN, STALL);
        model = new ScriptedChatServer();
        Map<String, String> env = new HashMap<>(model.environment());
        env.put("STEWARD_ZENDESK_BASE_URL", zendesk.baseUrl());
        env.put("STEWARD_CONNECTOR_TIMEOUT_MS", "3000");
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
            zendesk.close();
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
        // the table's files hold the connection (its email in the clear) but the token only sealed
        assertThat(tableBytes()).contains("agent@acme.test").doesNotContain(TOKEN);

        JsonNode review = waitForReview(key, startRun(key, "Please answer Zendesk ticket 35436: how long do refunds take?"));
        assertThat(review.path("tool").asText()).isEqualTo("zendesk_comment");
        assertThat(review.path("payload").path("ticketId").asLong()).isEqualTo(35436);
        assertThat(review.path("payload").path("public").asBoolean()).isTrue();
        assertThat(review.path("reason").asText()).contains("zendesk-public-replies");
        String path = "/api/v2/tickets/35436.json";
        assertThat(zendesk.writesTo(path)).isEmpty();

        assertThat(decide(key, review.path("reviewId").asText()).statusCode()).isEqualTo(200);
        JsonNode run = waitForEnd(key, review.path("runId").asText());

        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(run.path("answer").path("answer").asText()).isEqualTo("I replied on the ticket.");
        assertThat(run.path("observations").get(0).path("result").path("status").asText()).isEqualTo("ok");
        assertThat(zendesk.writesTo(path)).hasSize(1);
        ZendeskStandIn.Received posted = zendesk.writesTo(path).getFirst();
        assertThat(posted.method()).isEqualTo("PUT");
        assertThat(posted.body().path("ticket").path("comment").path("public").asBoolean()).isTrue();
        assertThat(posted.body().path("ticket").path("comment").path("body").asText()).isEqualTo(review.path("payload").path("body").asText());
        // The decision is final: a second one is refused and posts nothing.
        assertThat(decide(key, review.path("reviewId").asText()).statusCode()).isEqualTo(409);
        Thread.sleep(500);
        assertThat(zendesk.writesTo(path)).hasSize(1);
        assertThat(zendesk.comments(35436)).hasSize(1);
    }

    @Test
    void aRateLimitLongerThanTheConnectorWaitsIsRetriedByTheStateMachineAndPostsOnce() throws Exception {
        String path = "/api/v2/tickets/42429.json";
        Approved approved = approveReplyThatGoesWrong("wayne", 42429, ZendeskStandIn.Mishap.RATE_LIMITED);
        JsonNode run = waitForEnd(approved.key(), approved.review().path("runId").asText());

        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(run.path("observations").get(0).path("result").path("status").asText()).isEqualTo("ok");
        List<ZendeskStandIn.Received> sent = zendesk.writesTo(path);
        assertThat(sent).hasSize(2); // the one turned away, then the one accepted
        assertThat(zendesk.pending(path)).isFalse();
        assertThat(zendesk.comments(42429)).hasSize(1);
        // The Act step came back on the state machine's rate-limit schedule (15 s), not its quick retries (1-4 s).
        assertThat(Duration.between(sent.get(0).at(), sent.get(1).at())).isGreaterThanOrEqualTo(Duration.ofSeconds(14));
    }

    @Test
    void aReplyZendeskAddedButWhoseAnswerWasLostIsFoundOnTheTicketAndNotPostedAgain() throws Exception {
        String path = "/api/v2/tickets/50408.json";
        Approved approved = approveReplyThatGoesWrong("stark", 50408, ZendeskStandIn.Mishap.ADDED_ANSWER_LATE);
        JsonNode review = approved.review();
        JsonNode run = waitPast(approved.key(), review.path("runId").asText(), review.path("reviewId").asText());

        // The connector gave up waiting, the state machine retried the Act step, which looked on the ticket and found the reply.
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(run.path("answer").path("answer").asText()).isEqualTo("I replied on the ticket.");
        assertThat(zendesk.writesTo(path)).hasSize(1);
        List<JsonNode> onTicket = zendesk.comments(50408);
        assertThat(onTicket).hasSize(1);
        assertThat(onTicket.getFirst().path("body").asText()).isEqualTo(review.path("payload").path("body").asText());
        assertThat(run.path("observations")).hasSize(1);
        JsonNode observed = run.path("observations").get(0).path("result");
        assertThat(observed.path("status").asText()).isEqualTo("ok");
        assertThat(observed.path("result").path("foundOnTicket").asBoolean()).as(observed.toString()).isTrue();
        assertThat(observed.path("result").path("commentId").asLong()).isEqualTo(onTicket.getFirst().path("id").asLong());
        assertThat(observed.path("result").path("auditId").asLong()).isEqualTo(onTicket.getFirst().path("audit_id").asLong());
        assertThat(zendesk.reads()).extracting(ZendeskStandIn.Received::path)
                .contains("/api/v2/users/me.json", "/api/v2/tickets/50408/comments.json");
        assertThat(reviewsOf(approved.key())).as("only the policy's review, none for the lost answer").hasSize(1);
    }

    @Test
    void aReplyThatNeverReachedZendeskWaitsForAReviewThatSaysSoAndApprovingPostsItOnce() throws Exception {
        String path = "/api/v2/tickets/50409.json";
        Approved approved = approveReplyThatGoesWrong("cyberdyne", 50409, ZendeskStandIn.Mishap.LOST);
        String key = approved.key();
        JsonNode first = approved.review();

        JsonNode doubt = waitForReview(key, first.path("runId").asText(), first.path("reviewId").asText());
        assertThat(doubt.path("tool").asText()).isEqualTo("zendesk_comment");
        assertThat(doubt.path("payload")).isEqualTo(first.path("payload"));
        assertThat(doubt.path("reason").asText()).contains("none since").contains("most likely did not take effect")
                .doesNotContain("may then happen twice");
        assertThat(zendesk.writesTo(path)).hasSize(1);
        assertThat(zendesk.comments(50409)).isEmpty();

        assertThat(decide(key, doubt.path("reviewId").asText()).statusCode()).isEqualTo(200);
        JsonNode run = waitForEnd(key, first.path("runId").asText());
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(zendesk.writesTo(path)).hasSize(2); // the one lost, then the approved one
        assertThat(zendesk.comments(50409)).hasSize(1);
        JsonNode last = run.path("observations").get(run.path("observations").size() - 1).path("result");
        assertThat(last.path("status").asText()).as(last.toString()).isEqualTo("ok");
        assertThat(last.path("result").path("commentId").asLong()).isEqualTo(zendesk.comments(50409).getFirst().path("id").asLong());
        assertThat(last.path("result").has("foundOnTicket")).isFalse();
        assertThat(reviewsOf(key)).hasSize(2);
    }

    @Test
    void aTenantWithoutAConnectionGetsAToolErrorAndItsRunStillEnds() throws Exception {
        String key = newTenant("globex");
        JsonNode review = waitForReview(key, startRun(key, "Please answer Zendesk ticket 777: where is my order?"));
        int before = zendesk.writes().size();
        decide(key, review.path("reviewId").asText());
        JsonNode run = waitForEnd(key, review.path("runId").asText());

        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        JsonNode observed = run.path("observations").get(0).path("result");
        assertThat(observed.path("status").asText()).isEqualTo("error");
        assertThat(observed.path("code").asText()).isEqualTo("not_connected");
        assertThat(zendesk.writes()).hasSize(before);
    }

    /** DynamoDB Local's files in the data dir (the database and its write-ahead log), as one string. */
    private static String tableBytes() throws IOException {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(dataDir.resolve("dynamodb"))) {
            for (Path file : files.toList()) {
                all.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        return all.toString();
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
        String userToken = "xoxp-1234567890-0987654321-InitechUserToken";
        StewardCliRun notABot = StewardCliRun.of("connection", "set", "slack", "--tenant", "initech", "--token", userToken, "--data-dir", dir);
        assertThat(notABot.exit()).isEqualTo(1);
        assertThat(notABot.err()).contains("starting with xoxb-", "a user token (xoxp-)").doesNotContain(userToken);
        assertThat(Json.tree(call(key, "GET", "/v1/connections", null).body()).path("connections")).hasSize(1);

        String refresh = "1//0g-initech-refresh-token";
        assertThat(StewardCliRun.of("connection", "set", "google_calendar", "--tenant", "initech", "--client-id",
                "1234-initech.apps.googleusercontent.com", "--client-secret", "GOCSPX-initech-secret", "--refresh-token", refresh, "--data-dir", dir))
                .satisfies(r -> assertThat(r.exit()).as(r.err()).isZero())
                .satisfies(r -> assertThat(r.out()).contains("google_calendar").doesNotContain(refresh, "GOCSPX-initech-secret"));
        JsonNode google = Json.tree(call(key, "GET", "/v1/connections", null).body()).path("connections").findParent("client_id");
        assertThat(google.path("calendar_id").asText()).isEqualTo("primary");
        StewardCliRun noRefresh = StewardCliRun.of("connection", "set", "google_calendar", "--tenant", "initech", "--client-id",
                "1234-initech.apps.googleusercontent.com", "--client-secret", "GOCSPX-initech-secret", "--data-dir", dir);
        assertThat(noRefresh.exit()).isEqualTo(1);
        assertThat(noRefresh.err()).contains("'refresh_token' is required");
        assertThat(StewardCliRun.of("connection", "delete", "google_calendar", "--tenant", "initech", "--data-dir", dir).exit()).isZero();

        assertThat(StewardCliRun.of("connection", "delete", "hubspot", "--tenant", "initech", "--data-dir", dir).exit()).isZero();
        assertThat(Json.tree(call(key, "GET", "/v1/connections", null).body()).path("connections")).isEmpty();
        assertThat(StewardCliRun.of("connection", "delete", "hubspot", "--tenant", "initech", "--data-dir", dir).exit())
                .as("nothing left to delete").isEqualTo(1);

        // the audit trail names each change once, newest first, and never the token; refused changes left nothing
        StewardCliRun audit = StewardCliRun.of("audit", "--tenant", "initech", "--data-dir", dir);
        assertThat(audit.exit()).as(audit.err()).isZero();
        assertThat(audit.out()).doesNotContain(token, refresh, "GOCSPX-initech-secret");
        List<String> changes = audit.out().lines().map(l -> l.split(" {2}")).map(f -> f[1] + " " + f[2] + " " + f[3] + " " + f[4]).toList();
        assertThat(changes).containsExactly("operator admin connection.removed hubspot", "operator admin connection.removed google_calendar",
                "operator admin connection.saved google_calendar", "operator admin connection.saved hubspot",
                "local-operator operator tenant.created initech");
        StewardCliRun saved = StewardCliRun.of("audit", "--tenant", "initech", "--action", "connection.saved", "--data-dir", dir);
        assertThat(saved.out().lines()).hasSize(2).anySatisfy(l -> assertThat(l).contains("connection.saved  hubspot"))
                .anySatisfy(l -> assertThat(l).contains("connection.saved  google_calendar"));
        StewardCliRun unknown = StewardCliRun.of("audit", "--tenant", "initech", "--action", "connection.renamed", "--data-dir", dir);
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("unknown 'action' 'connection.renamed'");
        HttpResponse<String> asAdmin = call(key, "GET", "/v1/audit?limit=1", null);
        assertThat(asAdmin.statusCode()).isEqualTo(200);
        assertThat(Json.tree(asAdmin.body()).path("nextCursor").isTextual()).isTrue();
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
    void theIntegrationsTabConnectsZendeskAndSlackAndSetsUpAHubSpotWebhookInTheBrowser() throws Exception {
        // A tenant's first key is an admin's, which changing connections and webhooks needs; the member's is refused.
        String key = newTenant("umbrella");
        String memberKey = operator().createKey("umbrella", Role.MEMBER).body().path("apiKey").asText();
        if (!BrowserTest.available(HOME, "integrations.e2e.mjs")) {
            System.out.println("SKIPPED: browser integrations test (script or Chromium missing)");
            return;
        }
        BrowserTest.run(HOME, "integrations.e2e.mjs", Map.of("STEWARD_URL", platform.uri().toString(), "STEWARD_API_KEY", key,
                "STEWARD_MEMBER_KEY", memberKey, "STEWARD_AGENT", "support-agent"));

        // What the page left, as the API has it: the HubSpot webhook, and the Slack and Google Calendar connections (Zendesk's was removed).
        JsonNode hooks = Json.tree(call(key, "GET", "/v1/webhooks", null).body()).path("webhooks");
        assertThat(hooks).hasSize(1);
        assertThat(hooks.get(0).path("source").asText()).isEqualTo("hubspot");
        assertThat(hooks.get(0).path("agent").asText()).isEqualTo("support-agent");
        assertThat(hooks.get(0).path("path").asText()).isEqualTo("/v1/hooks/umbrella/hubspot");
        assertThat(hooks.get(0).has("secret")).isFalse();
        JsonNode connections = Json.tree(call(key, "GET", "/v1/connections", null).body()).path("connections");
        assertThat(connections).hasSize(2);
        JsonNode slack = connections.get(0).path("vendor").asText().equals("slack") ? connections.get(0) : connections.get(1);
        JsonNode google = connections.get(0) == slack ? connections.get(1) : connections.get(0);
        assertThat(slack.path("vendor").asText()).isEqualTo("slack");
        assertThat(slack.path("tokenSet").asBoolean()).isTrue();
        assertThat(slack.has("token")).isFalse();
        assertThat(google.path("vendor").asText()).isEqualTo("google_calendar");
        assertThat(google.path("client_id").asText()).isEqualTo("1234567890-e2e.apps.googleusercontent.com");
        assertThat(google.has("client_secret") || google.has("refresh_token") || google.has("token")).isFalse();
    }

    @Test
    void theAuditTabShowsAnAdminTheTrailAPageAtATimeAndTellsAMemberItIsForAdmins() throws Exception {
        String key = newTenant("audited");
        String memberKey = operator().createKey("audited", Role.MEMBER).body().path("apiKey").asText();
        for (int i = 0; i < 22; i++) { // with the tenant and the member key: 24 events, more than the tab's page of 20
            HttpResponse<String> saved = call(key, "PUT", "/v1/connections/hubspot", "{\"token\":\"audited-hubspot-token-" + i + "\"}");
            assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        }
        if (!BrowserTest.available(HOME, "audit.e2e.mjs")) {
            System.out.println("SKIPPED: browser audit test (script or Chromium missing)");
            return;
        }
        BrowserTest.run(HOME, "audit.e2e.mjs", Map.of("STEWARD_URL", platform.uri().toString(), "STEWARD_API_KEY", key,
                "STEWARD_MEMBER_KEY", memberKey));
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
                int exit = StewardCli.commandLine().execute(args);
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

    /** A tenant's API key and the policy's review of its run's reply, which a person approved. */
    record Approved(String key, JsonNode review) {}

    /**
     * A new tenant {@code name}, connected to the stand-in, whose run proposes a reply on {@code ticket}; the first PUT
     * to that ticket goes wrong as {@code mishap}, and the policy's review of the reply is approved.
     */
    private static Approved approveReplyThatGoesWrong(String name, long ticket, ZendeskStandIn.Mishap mishap) throws Exception {
        String key = newTenant(name);
        HttpResponse<String> connected = call(key, "PUT", "/v1/connections/zendesk",
                "{\"subdomain\":\"" + name + "\",\"email\":\"agent@acme.test\",\"token\":\"" + TOKEN + "\"}");
        assertThat(connected.statusCode()).as(connected.body()).isEqualTo(200);
        zendesk.goWrongOnce("/api/v2/tickets/" + ticket + ".json", mishap);
        JsonNode review = waitForReview(key, startRun(key, "Please answer Zendesk ticket " + ticket + ": how long do refunds take?"));
        assertThat(decide(key, review.path("reviewId").asText()).statusCode()).isEqualTo(200);
        return new Approved(key, review);
    }

    /** The tenant's reviews, whatever their status. */
    private static JsonNode reviewsOf(String key) throws Exception {
        return Json.tree(call(key, "GET", "/v1/reviews?status=all", null).body()).path("reviews");
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
        return waitForReview(key, runId, null);
    }

    /** The review the run waits for once it settles, when that is another than {@code previous} (null: any). */
    private static JsonNode waitForReview(String key, String runId, String previous) throws Exception {
        JsonNode run = waitPast(key, runId, previous);
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("WAITING_FOR_REVIEW");
        return Json.tree(call(key, "GET", "/v1/reviews/" + run.path("reviewId").asText(), null).body());
    }

    /** The run once it has settled, other than still waiting for the review {@code decided} (null: any settled state). */
    private static JsonNode waitPast(String key, String runId, String decided) throws Exception {
        return poll(key, runId, r -> RunStatus.valueOf(r.path("status").asText()).settled()
                && !(r.path("status").asText().equals("WAITING_FOR_REVIEW") && r.path("reviewId").asText().equals(decided)));
    }

    private static JsonNode waitForEnd(String key, String runId) throws Exception {
        return poll(key, runId, r -> Set.of("SUCCEEDED", "FAILED", "HALTED").contains(r.path("status").asText()));
    }

    private static JsonNode poll(String key, String runId, java.util.function.Predicate<JsonNode> done) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            JsonNode run = Json.tree(call(key, "GET", "/v1/runs/" + runId, null).body());
            if (done.test(run)) {
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
