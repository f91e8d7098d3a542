package dev.steward.connectors.slack;

import static dev.steward.connectors.http.VendorTestSupport.newCall;
import static dev.steward.connectors.http.VendorTestSupport.success;
import static dev.steward.connectors.slack.SlackFixture.ACME;
import static dev.steward.connectors.slack.SlackFixture.ACME_TOKEN;
import static dev.steward.connectors.slack.SlackFixture.DEALS;
import static dev.steward.connectors.slack.SlackFixture.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.connectors.Reconciliation;
import dev.steward.connectors.Tool;
import dev.steward.connectors.ToolContext;
import dev.steward.connectors.ToolResult;
import dev.steward.connectors.http.FakeSlack;
import dev.steward.connectors.http.FakeVendorServer;
import dev.steward.connectors.http.FakeVendorServer.Reply;
import dev.steward.connectors.http.ReconcilingWriteToolContract;
import dev.steward.connectors.http.VendorFixture;
import dev.steward.core.error.TransientException;
import dev.steward.core.json.Json;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.idempotency.IdempotencyRecord;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * slack_post_message's check against the local Slack stand-in: a message whose answer was lost is found in the channel's
 * history (or the thread's replies) by the key in its metadata and recorded as done; a message that never arrived is
 * reported absent; a check Slack refuses changes nothing ({@link ReconcilingWriteToolContract} for what every vendor
 * shares).
 */
class SlackPostMessageReconcileIT extends ReconcilingWriteToolContract {
    @RegisterExtension
    static final SlackFixture SLACK = new SlackFixture();

    static FakeSlack slack;
    static FakeVendorServer server;
    static Tool tool;

    @BeforeAll
    static void start() {
        slack = SLACK.vendor();
        server = SLACK.server();
        tool = SLACK.tool("slack_post_message");
    }

    @Override
    protected VendorFixture<?> fixture() {
        return SLACK;
    }

    @Override
    protected String toolName() {
        return "slack_post_message";
    }

    @Override
    protected JsonNode arguments(String text) {
        return post(DEALS, text);
    }

    @Override
    protected long writesReceived() {
        return server.received().stream().filter(r -> r.path().equals("/chat.postMessage")).count();
    }

    static ObjectNode post(String channel, String text) {
        return Json.object().put("channel", channel).put("text", text);
    }

    static JsonNode metadata(String key) {
        return Json.tree("{\"event_type\":\"steward_action\",\"event_payload\":{\"key\":\"" + key + "\"}}");
    }

    @Test
    void aMessageWhoseAnswerWasLostIsFoundByItsKeyAndRecordedAsDoneWithoutASecondPost() {
        ToolContext call = newCall(ACME);
        JsonNode args = post(DEALS, "Renewal <signed> & filed.");
        ToolResult.NeedsReview doubt = lostAnswer(call, args);
        FakeSlack.Message posted = slack.messages().getLast();
        assertThat(posted.text()).as("as Slack stores it").isEqualTo("Renewal &lt;signed&gt; &amp; filed.");

        Reconciliation found = reconcile(tool, call, args, doubt.since());

        assertThat(found).isInstanceOfSatisfying(Reconciliation.Found.class, f -> {
            assertThat(f.result().replayed()).isTrue();
            assertThat(f.result().output()).isEqualTo(Json.tree("{\"status\":\"posted\",\"channel\":\"%s\",\"ts\":\"%s\",\"at\":\"%s\",\"foundInSlack\":true}"
                    .formatted(DEALS, posted.ts(), SlackPostMessage.instant(posted.ts()).orElseThrow())));
        });
        JsonNode output = ((Reconciliation.Found) found).result().output();
        IdempotencyRecord record = SLACK.support().stores().idempotency().find(ACME, call.idempotencyKey()).orElseThrow();
        assertThat(record.status()).isEqualTo(IdempotencyRecord.Status.COMPLETED);
        assertThat(record.outcome()).isEqualTo(output);
        assertThat(success(tool.execute(call, args)).output()).isEqualTo(output);
        assertThat(writesReceived()).isEqualTo(1);

        FakeVendorServer.Received history = server.received().stream().filter(r -> r.path().equals("/conversations.history"))
                .reduce((a, b) -> b).orElseThrow();
        assertThat(history.method()).isEqualTo("GET");
        assertThat(history.header("Authorization")).isEqualTo("Bearer " + ACME_TOKEN);
        assertThat(history.params()).isEqualTo(Map.of("channel", DEALS, "oldest", SlackPostMessage.ts(doubt.since().minus(SlackPostMessageCheck.CLOCK_SKEW)),
                "include_all_metadata", "true", "limit", "200"));
    }

    @Test
    void aThreadReplyToAChannelNamedByNameIsLookedForAmongTheThreadsReplies() {
        String thread = success(tool.execute(newCall(ACME), post("#support", "Outage thread."))).output().path("ts").asText();
        ToolContext call = newCall(ACME);
        JsonNode args = post("#support", "Fixed at 14:02.").put("thread_ts", thread);
        ToolResult.NeedsReview doubt = lostAnswer(call, args);

        Reconciliation found = reconcile(tool, call, args, doubt.since());

        assertThat(found).isInstanceOfSatisfying(Reconciliation.Found.class, f -> {
            assertThat(f.result().output().path("channel").asText()).isEqualTo(SUPPORT);
            assertThat(f.result().output().path("threadTs").asText()).isEqualTo(thread);
            assertThat(f.result().output().path("ts").asText()).isEqualTo(slack.messages().getLast().ts());
        });
        assertThat(server.received()).extracting(FakeVendorServer.Received::path).contains("/conversations.list", "/conversations.replies")
                .doesNotContain("/conversations.history");
        assertThat(server.received().stream().filter(r -> r.path().equals("/conversations.replies")).findFirst().orElseThrow().params())
                .containsEntry("channel", SUPPORT).containsEntry("ts", thread);
    }

    @Test
    void aMessageThatNeverReachedSlackIsReportedAbsentAndLookalikesDoNotCount() {
        ToolContext call = newCall(ACME);
        JsonNode args = post(DEALS, "Quarter closed.");
        String key = SlackPostMessage.callKey(call, args);
        // Lookalikes: this call's key long before the attempt, and in another channel; the same text from another call.
        slack.withMessage(DEALS, "1577836800.000100", "Quarter closed.", metadata(key));
        slack.withMessage(SUPPORT, SlackPostMessage.ts(Instant.now()), "Quarter closed.", metadata(key));
        success(tool.execute(newCall(ACME), args));
        server.thenAnswer(Reply.json(500, "{\"ok\":false,\"error\":\"internal_error\"}")); // turned away before Slack acted
        assertThatThrownBy(() -> tool.execute(call, args)).isExactlyInstanceOf(TransientException.class);
        Instant since = SLACK.support().stores().idempotency().find(ACME, call.idempotencyKey()).orElseThrow().startedAt();
        server.reset();

        Reconciliation absent = reconcile(tool, call, args, since);

        assertThat(absent).isInstanceOfSatisfying(Reconciliation.Absent.class, a -> assertThat(a.evidence())
                .contains(DEALS + "'s messages", "none of the", "carries this call's key"));
        assertThat(writesReceived()).isZero();
        assertThat(recordOf(call)).as("still in doubt: a person decides").isEqualTo(IdempotencyRecord.Status.IN_PROGRESS);
        // Looked for from before the old message was placed, it is found: the window is what excluded it.
        assertThat(reconcile(tool, call, args, Instant.parse("2019-12-31T00:00:00Z"))).isInstanceOfSatisfying(Reconciliation.Found.class,
                f -> assertThat(f.result().output().path("ts").asText()).isEqualTo("1577836800.000100"));
    }

    @Test
    void moreMessagesThanOnePageIsUnknown() {
        for (int i = 0; i <= SlackPostMessageCheck.CHECKED_MESSAGES; i++) {
            slack.withMessage(SUPPORT, SlackPostMessage.ts(Instant.now().plusMillis(i)), "Chatter " + i, null);
        }
        Reconciliation crowded = reconcile(tool, newCall(ACME), post(SUPPORT, "Not among them."), SlackFixture.CLOCK.instant());
        assertThat(crowded).isInstanceOfSatisfying(Reconciliation.Unknown.class,
                u -> assertThat(u.why()).contains(SUPPORT + " has more than 200 messages", "more than Steward looks through"));
    }

    @Test
    void aCheckThatSlackRefusesIsUnknown() {
        Instant since = SlackFixture.CLOCK.instant();
        TenantId revoked = TenantId.of("revoked");
        SLACK.support().connect(revoked, "slack", Map.of(), "xoxb-0000000000-0000000000-RevokedToken");
        assertThat(reconcile(tool, newCall(revoked), post(DEALS, "x"), since)).isInstanceOfSatisfying(Reconciliation.Unknown.class,
                u -> assertThat(u.why()).contains("unauthorized", "invalid_auth"));
        server.thenAnswer(Reply.json(200, "{\"ok\":false,\"error\":\"missing_scope\",\"needed\":\"channels:history\",\"provided\":\"chat:write\"}"));
        assertThat(reconcile(tool, newCall(ACME), post(DEALS, "x"), since)).isInstanceOfSatisfying(Reconciliation.Unknown.class,
                u -> assertThat(u.why()).contains("did not list " + DEALS, "channels:history"));
        assertThat(reconcile(tool, newCall(ACME), post("#nowhere", "x"), since)).isInstanceOfSatisfying(Reconciliation.Unknown.class,
                u -> assertThat(u.why()).contains("which channel #nowhere is", "not_found"));
        assertThat(reconcile(tool, newCall(ACME), post("#random", "x"), since)).isInstanceOfSatisfying(Reconciliation.Unknown.class,
                u -> assertThat(u.why()).contains("not_in_channel"));
        server.thenAnswer(Reply.json(200, "{\"ok\":false,\"error\":\"internal_error\"}"));
        assertThat(reconcile(tool, newCall(ACME), post(DEALS, "x"), since)).isInstanceOfSatisfying(Reconciliation.Unknown.class,
                u -> assertThat(u.why()).contains("Slack could not be read", "internal_error"));
        assertThat(writesReceived()).isZero();
    }
}
