package dev.steward.connectors.slack;

import static dev.steward.connectors.http.VendorTestSupport.failed;
import static dev.steward.connectors.http.VendorTestSupport.newCall;
import static dev.steward.connectors.http.VendorTestSupport.success;
import static dev.steward.connectors.slack.SlackFixture.ACME;
import static dev.steward.connectors.slack.SlackFixture.ACME_TOKEN;
import static dev.steward.connectors.slack.SlackFixture.DEALS;
import static dev.steward.connectors.slack.SlackFixture.GLOBEX;
import static dev.steward.connectors.slack.SlackFixture.GLOBEX_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.connectors.Tool;
import dev.steward.connectors.ToolContext;
import dev.steward.connectors.ToolResult;
import dev.steward.connectors.http.FakeSlack;
import dev.steward.connectors.http.FakeVendorServer;
import dev.steward.connectors.http.FakeVendorServer.Reply;
import dev.steward.connectors.http.VendorTestSupport;
import dev.steward.core.error.RateLimitedException;
import dev.steward.core.error.TransientException;
import dev.steward.core.json.Json;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.idempotency.IdempotencyRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** slack_post_message against a local server that answers as Slack's Web API does, per-tenant bot tokens in DynamoDB Local. */
class SlackPostMessageIT {
    @RegisterExtension
    static final SlackFixture SLACK = new SlackFixture();

    static VendorTestSupport support;
    static FakeSlack slack;
    static FakeVendorServer server;
    static Tool tool;

    @BeforeAll
    static void start() {
        support = SLACK.support();
        slack = SLACK.vendor();
        server = SLACK.server();
        tool = SLACK.tool("slack_post_message");
    }

    static ObjectNode post(String channel, String text) {
        return Json.object().put("channel", channel).put("text", text);
    }

    static long posts() {
        return server.received().stream().filter(r -> r.path().equals("/chat.postMessage")).count();
    }

    @Test
    void postsOnceInSlacksWireFormatWithTheCallsKeyInTheMetadata() {
        ToolContext call = newCall(ACME);
        JsonNode args = post(DEALS, "Deal *Globex renewal* moved to <https://crm.example/deals/9|stage 3> & closes Friday.");
        ToolResult.Success ok = success(tool.execute(call, args));

        assertThat(server.received()).hasSize(1);
        FakeVendorServer.Received sent = server.received().getFirst();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/chat.postMessage");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer " + ACME_TOKEN);
        assertThat(sent.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
        String key = SlackPostMessage.callKey(call, args);
        assertThat(key).matches("[0-9a-f]{64}");
        assertThat(sent.json()).isEqualTo(Json.tree("""
                {"channel": "%s", "text": "Deal *Globex renewal* moved to <https://crm.example/deals/9|stage 3> & closes Friday.",
                 "metadata": {"event_type": "steward_action", "event_payload": {"key": "%s"}}}
                """.formatted(DEALS, key)));

        FakeSlack.Message posted = slack.messages().getLast();
        assertThat(posted.channel()).isEqualTo(DEALS);
        assertThat(ok.replayed()).isFalse();
        assertThat(ok.output()).isEqualTo(Json.tree("{\"status\":\"posted\",\"channel\":\"%s\",\"ts\":\"%s\",\"at\":\"2026-05-01T12:00:00.250Z\"}"
                .formatted(DEALS, posted.ts())));
        IdempotencyRecord record = support.stores().idempotency().find(ACME, call.idempotencyKey()).orElseThrow();
        assertThat(record.status()).isEqualTo(IdempotencyRecord.Status.COMPLETED);
        assertThat(record.outcome()).isEqualTo(ok.output());

        ToolResult.Success again = success(tool.execute(call, args));
        assertThat(again.replayed()).isTrue();
        assertThat(again.output()).isEqualTo(ok.output());
        assertThat(posts()).isEqualTo(1);
    }

    @Test
    void postsToAChannelByNameAndIntoAThread() {
        ToolResult.Success first = success(tool.execute(newCall(ACME), post("#deals", "Weekly pipeline review starts.")));
        assertThat(first.output().path("channel").asText()).as("Slack's id of #deals").isEqualTo(DEALS);
        String thread = first.output().path("ts").asText();

        ObjectNode reply = post("#deals", "Acme: signed.").put("thread_ts", thread);
        ToolResult.Success replied = success(tool.execute(newCall(ACME), reply));

        assertThat(server.received().getLast().json().path("thread_ts").asText()).isEqualTo(thread);
        assertThat(replied.output().path("threadTs").asText()).isEqualTo(thread);
        assertThat(slack.messages().getLast().threadTs()).isEqualTo(thread);
        failed(tool.execute(newCall(ACME), post(DEALS, "Lost reply.").put("thread_ts", "1500000000.000001")), "rejected");
    }

    @Test
    void slacksRefusalsReachTheModelAsSomethingItCanActOnAndNothingIsRecorded() {
        List<ToolContext> calls = new ArrayList<>();
        ToolContext notIn = newCall(ACME);
        calls.add(notIn);
        ToolResult.Failed notMember = failed(tool.execute(notIn, post("#random", "Hello")), "not_in_channel");
        assertThat(notMember.message()).contains("not a member of #random", "invite the app");
        assertThat(notMember.details()).containsExactly("Slack answered \"ok\": false, error not_in_channel");

        ToolContext nowhere = newCall(ACME);
        calls.add(nowhere);
        assertThat(failed(tool.execute(nowhere, post("#no-such-channel", "Hello")), "not_found").message())
                .contains("no channel #no-such-channel that the bot can see");
        ToolContext archived = newCall(ACME);
        calls.add(archived);
        assertThat(failed(tool.execute(archived, post("#old-news", "Hello")), "rejected").message()).contains("#old-news is archived");
        ToolContext tooLong = newCall(ACME);
        calls.add(tooLong);
        server.thenAnswer(Reply.json(200, "{\"ok\":false,\"error\":\"msg_too_long\"}"));
        assertThat(failed(tool.execute(tooLong, post(DEALS, "x")), "rejected").message()).contains("too long", "shorten it");
        ToolContext scope = newCall(ACME);
        calls.add(scope);
        server.thenAnswer(Reply.json(200, "{\"ok\":false,\"error\":\"missing_scope\",\"needed\":\"chat:write\",\"provided\":\"channels:read\"}"));
        ToolResult.Failed missing = failed(tool.execute(scope, post(DEALS, "x")), "unauthorized");
        assertThat(missing.message()).contains("PUT /v1/connections/slack");
        assertThat(missing.details()).contains("the app needs the scope chat:write (it has channels:read)");

        TenantId revoked = TenantId.of("revoked");
        support.connect(revoked, "slack", Map.of(), "xoxb-0000000000-0000000000-RevokedToken");
        ToolContext badToken = newCall(revoked);
        calls.add(badToken);
        assertThat(failed(tool.execute(badToken, post(DEALS, "x")), "unauthorized").details())
                .containsExactly("Slack answered \"ok\": false, error invalid_auth");

        assertThat(slack.messages()).noneMatch(m -> m.text().equals("Hello") || m.text().equals("x"));
        for (ToolContext call : calls) {
            assertThat(support.stores().idempotency().find(call.tenant(), call.idempotencyKey())).as("aborted: nothing was done").isEmpty();
        }
    }

    @Test
    void rateLimitsAreWaitedOutOrRetriedAndSlacksOwnFailuresLeaveTheOutcomeUnknown() {
        ToolContext shortWait = newCall(ACME);
        server.thenAnswer(Reply.json(429, "{\"ok\":false,\"error\":\"ratelimited\"}").withHeader("Retry-After", "1"));
        success(tool.execute(shortWait, post(DEALS, "After a short wait.")));
        assertThat(posts()).as("turned away once, then posted").isEqualTo(2);

        ToolContext longWait = newCall(ACME);
        server.thenAnswer(Reply.json(429, "{\"ok\":false,\"error\":\"ratelimited\"}").withHeader("Retry-After", "30"));
        assertThatThrownBy(() -> tool.execute(longWait, post(DEALS, "Later."))).isExactlyInstanceOf(RateLimitedException.class)
                .hasMessageContaining("Slack answered HTTP 429").hasMessageContaining("Retry-After 30").hasMessageContaining("ratelimited");
        assertThat(support.stores().idempotency().find(ACME, longWait.idempotencyKey())).isEmpty();
        success(tool.execute(longWait, post(DEALS, "Later.")));

        ToolContext limitedInBody = newCall(ACME);
        server.thenAnswer(Reply.json(200, "{\"ok\":false,\"error\":\"rate_limited\"}"));
        assertThatThrownBy(() -> tool.execute(limitedInBody, post(DEALS, "Limited."))).isExactlyInstanceOf(RateLimitedException.class)
                .hasMessageContaining("rate_limited");
        success(tool.execute(limitedInBody, post(DEALS, "Limited.")));

        ToolContext slacksFault = newCall(ACME);
        server.thenAnswer(Reply.json(200, "{\"ok\":false,\"error\":\"internal_error\"}"));
        assertThatThrownBy(() -> tool.execute(slacksFault, post(DEALS, "Maybe."))).isExactlyInstanceOf(TransientException.class)
                .hasMessageContaining("unknown").hasMessageContaining("internal_error");
        assertThat(tool.execute(slacksFault, post(DEALS, "Maybe."))).isInstanceOf(ToolResult.NeedsReview.class);

        ToolContext broken = newCall(ACME);
        server.thenAnswer(Reply.json(502, "<html>Bad gateway</html>"));
        assertThatThrownBy(() -> tool.execute(broken, post(DEALS, "Unknown."))).isExactlyInstanceOf(TransientException.class);
        assertThat(tool.execute(broken, post(DEALS, "Unknown."))).isInstanceOf(ToolResult.NeedsReview.class);
        assertThat(slack.messages()).extracting(FakeSlack.Message::text).doesNotContain("Maybe.", "Unknown.");
    }

    @Test
    void eachTenantPostsWithItsOwnTokenWhichNoResultOrFailureCarriesAndAnUnconnectedTenantSendsNothing() {
        ToolResult globex = tool.execute(newCall(GLOBEX), post(DEALS, "Globex update."));
        assertThat(server.received().getFirst().header("Authorization")).isEqualTo("Bearer " + GLOBEX_TOKEN);
        List<String> seen = new ArrayList<>(List.of(Json.write(globex.observation())));
        seen.add(Json.write(tool.execute(newCall(ACME), post("#random", "x")).observation()));
        server.thenAnswer(Reply.json(503, "{\"ok\":false,\"error\":\"service_unavailable\"}"));
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> tool.execute(newCall(ACME), post(DEALS, "y")));
        seen.add(thrown.toString());
        seen.add(tool.spec().toString());
        assertThat(seen).allSatisfy(s -> assertThat(s).doesNotContain(ACME_TOKEN).doesNotContain(GLOBEX_TOKEN).doesNotContain("xoxb-"));

        long before = server.received().size();
        ToolResult.Failed none = failed(tool.execute(newCall(SlackFixture.INITECH), post(DEALS, "z")), "not_connected");
        assertThat(none.message()).contains("no Slack connection", "PUT /v1/connections/slack");
        assertThat(server.received()).hasSize((int) before);
    }

    @Test
    void invalidArgumentsAreRefusedBeforeAnythingIsSent() {
        List<JsonNode> bad = List.of(Json.object().put("text", "no channel"), post("deals", "no #"), post("#Deals", "upper case"),
                post("C123", "short id"), post("https://hooks.slack.com/x", "a URL"), post("#deals", ""), post("#deals", " \n\t "),
                post("#deals", "x".repeat(40_001)), post("#deals", "x").put("thread_ts", "yesterday"),
                post("#deals", "x").put("as_user", true), Json.object().put("channel", "#deals"));
        for (JsonNode args : bad) {
            failed(tool.execute(newCall(ACME), args), "invalid_arguments");
        }
        success(tool.execute(newCall(ACME), post("#deals", "x".repeat(40_000))));
        assertThat(posts()).isEqualTo(1);
    }
}
