package dev.steward.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import dev.steward.core.json.Json;
import dev.steward.core.run.RunStatus;
import dev.steward.core.tenant.Role;
import dev.steward.store.tenant.ApiKeys;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Human approval end to end in local mode: a model (OpenAI wire format) proposes an email, the run waits for review,
 * and a decision through the API resumes it; GreenMail (a real SMTP/IMAP server) counts what was sent.
 */
class ApprovalIT {
    private static final Path HOME = Path.of(System.getProperty("steward.home", "../..")).toAbsolutePath().normalize();

    @RegisterExtension
    static final GreenMailExtension MAIL = TestMail.server();

    @TempDir
    static Path dataDir;

    static ScriptedChatServer model;
    static LocalPlatform platform;
    static String key;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        model = new ScriptedChatServer();
        java.util.HashMap<String, String> env = new java.util.HashMap<>(TestMail.environment(MAIL));
        env.putAll(model.environment());
        platform = LocalPlatform.start(new LocalConfig(HOME, dataDir, 0, 1024 * 1024,
                Path.of(System.getProperty("steward.s3proxy.jar")), false, env));
        key = new LocalClient(platform.uri(), platform.operatorToken(), null).createTenant("acme").body().path("apiKey").asText();
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
        if (model != null) {
            model.close();
        }
    }

    @BeforeEach
    void clearMailbox() throws Exception {
        MAIL.purgeEmailFromAllMailboxes();
    }

    @Test
    void approveSendsExactlyTheApprovedEmailOnce() throws Exception {
        JsonNode review = waitForReview(startRun("Please email alice@example.com our refund policy."));
        assertThat(review.path("tool").asText()).isEqualTo("send_email");
        assertThat(review.path("payload").path("to").get(0).asText()).isEqualTo("alice@example.com");
        assertThat(review.path("payloadHash").asText()).hasSize(64);
        assertThat(MAIL.getReceivedMessages()).isEmpty();

        HttpResponse<String> decided = decide(review.path("reviewId").asText(), "{\"decision\":\"approve\"}");
        assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
        JsonNode run = waitForEnd(review.path("runId").asText());

        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        MimeMessage[] sent = MAIL.getReceivedMessages();
        assertThat(sent).hasSize(1);
        assertThat(sent[0].getSubject()).isEqualTo(review.path("payload").path("subject").asText());
        assertThat(sent[0].getAllRecipients()[0].toString()).isEqualTo("alice@example.com");
        assertThat(run.path("answer").path("answer").asText()).isEqualTo("I emailed the customer.");
        assertThat(run.path("answer").path("model").asText()).isEqualTo("scripted-model");
        assertThat(run.path("tokensIn").asLong()).isPositive();
        JsonNode today = Json.tree(call("GET", "/v1/usage?days=2", null).body()).path("days").get(0);
        assertThat(today.path("tokensIn").asLong()).isGreaterThanOrEqualTo(run.path("tokensIn").asLong());
        assertThat(today.path("modelCalls").asLong()).isPositive();
        JsonNode agentDay = Json.tree(call("GET", "/v1/usage?agent=support-agent", null).body()).path("days").get(0);
        assertThat(agentDay.path("modelCalls").asLong()).isPositive();
        assertThat(call("GET", "/v1/usage?days=0", null).statusCode()).isEqualTo(400);
        // The decision is final: a second one is refused and sends nothing.
        assertThat(decide(review.path("reviewId").asText(), "{\"decision\":\"approve\"}").statusCode()).isEqualTo(409);
        Thread.sleep(500);
        assertThat(MAIL.getReceivedMessages()).hasSize(1);
    }

    @Test
    void aTransientModelErrorIsRetriedByTheStateMachineThenTheRunGoesOn() throws Exception {
        model.flakyFailuresLeft.set(1);
        JsonNode review = waitForReview(startRun("A flaky provider test: please email flaky@example.com the refund policy."));

        assertThat(model.flakyFailuresLeft.get()).isNegative(); // the 503 was served, and the retry got through
        assertThat(review.path("payload").path("to").get(0).asText()).isEqualTo("flaky@example.com");
        JsonNode run = Json.tree(call("GET", "/v1/runs/" + review.path("runId").asText(), null).body());
        assertThat(run.path("steps").findValuesAsText("step")).containsExactly("plan", "retrieve", "plan");
        decide(review.path("reviewId").asText(), "{\"decision\":\"reject\"}");
        waitForEnd(review.path("runId").asText());
    }

    @Test
    void rejectSendsNothingAndTheAgentSaysSo() throws Exception {
        JsonNode review = waitForReview(startRun("Please email bob@example.com the pricing."));

        assertThat(decide(review.path("reviewId").asText(), "{\"decision\":\"reject\",\"comment\":\"not to this customer\"}").statusCode())
                .isEqualTo(200);
        JsonNode run = waitForEnd(review.path("runId").asText());

        assertThat(run.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(run.path("answer").path("answer").asText()).contains("rejected");
        assertThat(run.path("observations").get(0).path("result").path("comment").asText()).isEqualTo("not to this customer");
        assertThat(MAIL.getReceivedMessages()).isEmpty();
    }

    @Test
    void editSendsTheEditedContentAndInvalidEditsAreRefused() throws Exception {
        JsonNode review = waitForReview(startRun("Please email carol@example.com about refunds."));
        String id = review.path("reviewId").asText();
        assertThat(decide(id, "{\"decision\":\"edit\",\"payload\":{\"subject\":\"no recipient\"}}").statusCode()).isEqualTo(400);
        assertThat(decide(id, "{\"decision\":\"edit\"}").statusCode()).isEqualTo(400);

        String edited = "{\"decision\":\"edit\",\"comment\":\"friendlier\",\"payload\":{\"to\":[\"carol@example.com\"],"
                + "\"subject\":\"Your refund, explained\",\"body\":\"Hi Carol, refunds take 5 business days.\"}}";
        HttpResponse<String> r = decide(id, edited);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Json.tree(r.body()).path("decision").path("payload").path("subject").asText()).isEqualTo("Your refund, explained");
        waitForEnd(review.path("runId").asText());

        MimeMessage[] sent = MAIL.getReceivedMessages();
        assertThat(sent).hasSize(1);
        assertThat(sent[0].getSubject()).isEqualTo("Your refund, explained");
        assertThat(((String) sent[0].getContent()).strip()).isEqualTo("Hi Carol, refunds take 5 business days.");
    }

    @Test
    void ofTwoConcurrentDecisionsExactlyOneWins() throws Exception {
        JsonNode review = waitForReview(startRun("Please email dave@example.com our security FAQ."));
        String id = review.path("reviewId").asText();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<Integer>> both = List.of(
                    () -> decide(id, "{\"decision\":\"approve\"}").statusCode(),
                    () -> decide(id, "{\"decision\":\"reject\"}").statusCode());
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(both)) {
                codes.add(f.get());
            }
            assertThat(codes).containsExactlyInAnyOrder(200, 409);
        } finally {
            pool.shutdown();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        JsonNode run = waitForEnd(review.path("runId").asText());
        assertThat(run.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(MAIL.getReceivedMessages().length).isLessThanOrEqualTo(1);
        String outcome = Json.tree(call("GET", "/v1/reviews/" + id, null).body()).path("status").asText();
        assertThat(MAIL.getReceivedMessages()).hasSize(outcome.equals("approved") ? 1 : 0);
    }

    @Test
    void theReviewQueueListsPendingReviewsOfThisTenantOnly() throws Exception {
        JsonNode review = waitForReview(startRun("Please email erin@example.com the onboarding checklist."));
        JsonNode pending = Json.tree(call("GET", "/v1/reviews?status=pending", null).body()).path("reviews");
        assertThat(pending.findValuesAsText("reviewId")).contains(review.path("reviewId").asText());
        assertThat(call("GET", "/v1/reviews?status=bogus", null).statusCode()).isEqualTo(400);

        String other = new LocalClient(platform.uri(), platform.operatorToken(), null).createTenant("globex" + System.nanoTime() % 1000)
                .body().path("apiKey").asText();
        HttpResponse<String> foreign = HTTP.send(HttpRequest.newBuilder(URI.create(platform.uri() + "/v1/reviews/" + review.path("reviewId").asText()))
                .header("Authorization", "Bearer " + other).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(foreign.statusCode()).isEqualTo(404);
        decide(review.path("reviewId").asText(), "{\"decision\":\"reject\"}");
        waitForEnd(review.path("runId").asText());
        runBrowserReview();
    }

    /**
     * The review page in Chromium, when the page's browser test is present: a member key of the tenant is refused (403)
     * and told so, then a reviewer key (not the tenant's first, admin key) approves a fresh pending review.
     */
    private void runBrowserReview() throws Exception {
        if (!BrowserTest.available(HOME, "review.e2e.mjs")) {
            System.out.println("SKIPPED: browser review test (script or Chromium missing)");
            return;
        }
        LocalClient operator = new LocalClient(platform.uri(), platform.operatorToken(), null);
        String reviewer = operator.createKey("acme", Role.REVIEWER).body().path("apiKey").asText();
        String member = operator.createKey("acme", Role.MEMBER).body().path("apiKey").asText();
        MAIL.purgeEmailFromAllMailboxes();
        JsonNode review = waitForReview(startRun("Please email frank@example.com the pricing page."));
        BrowserTest.run(HOME, "review.e2e.mjs", Map.of("STEWARD_URL", platform.uri().toString(), "STEWARD_API_KEY", reviewer,
                "STEWARD_MEMBER_KEY", member, "STEWARD_REVIEW_ID", review.path("reviewId").asText(), "STEWARD_REVIEW_ACTION", "approve"));
        waitForEnd(review.path("runId").asText());
        assertThat(MAIL.getReceivedMessages()).hasSize(1);
        JsonNode decided = Json.tree(call("GET", "/v1/reviews/" + review.path("reviewId").asText(), null).body());
        assertThat(decided.path("decision").path("by").asText()).as("decided with the reviewer's key")
                .isEqualTo("key:" + ApiKeys.parse(reviewer).orElseThrow().keyId());
    }

    @Test
    void theUsageTabShowsTheModelCallsOfTodaysRuns() throws Exception {
        JsonNode review = waitForReview(startRun("Please email grace@example.com our refund policy."));
        decide(review.path("reviewId").asText(), "{\"decision\":\"reject\"}");
        assertThat(waitForEnd(review.path("runId").asText()).path("status").asText()).isEqualTo("SUCCEEDED");
        JsonNode today = Json.tree(call("GET", "/v1/usage?days=1", null).body()).path("days").get(0);
        assertThat(today.path("modelCalls").asLong()).isPositive(); // planned the email, then answered after the rejection
        if (!BrowserTest.available(HOME, "usage.e2e.mjs")) {
            System.out.println("SKIPPED: browser usage test (script or Chromium missing)");
            return;
        }
        // The tab must show what the API counts (7 and 30 days, all agents and support-agent), today's calls not zero.
        BrowserTest.run(HOME, "usage.e2e.mjs", Map.of("STEWARD_URL", platform.uri().toString(), "STEWARD_API_KEY", key,
                "STEWARD_AGENT", "support-agent", "STEWARD_USAGE_MIN_MODEL_CALLS", "1"));
    }

    // --- helpers ---

    private static String startRun(String input) throws Exception {
        HttpResponse<String> r = call("POST", "/v1/runs", Json.write(Json.object().put("agent", "support-agent").put("input", input)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return Json.tree(r.body()).path("runId").asText();
    }

    private static JsonNode waitForReview(String runId) throws Exception {
        JsonNode run = poll(runId, s -> RunStatus.valueOf(s).settled());
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("WAITING_FOR_REVIEW");
        HttpResponse<String> review = call("GET", "/v1/reviews/" + run.path("reviewId").asText(), null);
        assertThat(review.statusCode()).isEqualTo(200);
        return Json.tree(review.body());
    }

    private static JsonNode waitForEnd(String runId) throws Exception {
        return poll(runId, s -> s.equals("SUCCEEDED") || s.equals("FAILED") || s.equals("HALTED"));
    }

    private static JsonNode poll(String runId, java.util.function.Predicate<String> done) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            JsonNode run = Json.tree(call("GET", "/v1/runs/" + runId, null).body());
            if (done.test(run.path("status").asText())) {
                return run;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("run " + runId + " did not reach the expected state in 60 s");
    }

    private static HttpResponse<String> decide(String reviewId, String body) throws Exception {
        return call("POST", "/v1/reviews/" + reviewId + "/decision", body);
    }

    private static HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(platform.uri() + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

}
