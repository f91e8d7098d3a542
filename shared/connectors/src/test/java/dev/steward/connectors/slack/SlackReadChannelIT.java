package dev.steward.connectors.slack;

import static dev.steward.connectors.http.VendorTestSupport.failed;
import static dev.steward.connectors.http.VendorTestSupport.newCall;
import static dev.steward.connectors.http.VendorTestSupport.success;
import static dev.steward.connectors.slack.SlackFixture.ACME;
import static dev.steward.connectors.slack.SlackFixture.GLOBEX_TOKEN;
import static dev.steward.connectors.slack.SlackFixture.GLOBEX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.connectors.Tool;
import dev.steward.connectors.ToolResult;
import dev.steward.connectors.http.FakeSlack;
import dev.steward.connectors.http.FakeVendorServer;
import dev.steward.connectors.http.FakeVendorServer.Reply;
import dev.steward.core.error.RateLimitedException;
import dev.steward.core.error.TransientException;
import dev.steward.core.json.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** slack_read_channel against the local Slack stand-in: newest messages first, cut texts, Slack's refusals, nothing recorded. */
class SlackReadChannelIT {
    static final String BOARD_CHANNEL = "C0BOARDRM1";

    @RegisterExtension
    static final SlackFixture SLACK = new SlackFixture();

    static FakeSlack slack;
    static FakeVendorServer server;
    static Tool tool;

    @BeforeAll
    static void start() {
        slack = SLACK.vendor();
        server = SLACK.server();
        tool = SLACK.tool("slack_read_channel");
        Instant at = Instant.parse("2026-05-01T09:00:00Z");
        for (int i = 1; i <= 30; i++) {
            slack.withMessage(SlackFixture.SUPPORT, SlackPostMessage.ts(at.plusSeconds(i)), i == 30 ? "y".repeat(2_500) : "Message " + i, null);
        }
    }

    static com.fasterxml.jackson.databind.node.ObjectNode read(String channel) {
        return Json.object().put("channel", channel);
    }

    @Test
    void readsTheNewestMessagesFirstWithLongTextsCut() {
        ToolResult.Success ok = success(tool.execute(newCall(ACME), Json.object().put("channel", "#support").put("limit", 3)));

        JsonNode messages = ok.output().path("messages");
        assertThat(ok.output().path("channel").asText()).isEqualTo(SlackFixture.SUPPORT);
        assertThat(messages).hasSize(3);
        assertThat(messages.get(0).path("text").asText()).startsWith("y".repeat(2_000)).endsWith("[... cut, 2500 characters in all]");
        assertThat(messages.get(1)).isEqualTo(Json.tree("{\"ts\":\"%s\",\"user\":\"U0PERSON01\",\"text\":\"Message 29\"}"
                .formatted(SlackPostMessage.ts(Instant.parse("2026-05-01T09:00:29Z")))));
        FakeVendorServer.Received history = server.received().getLast();
        assertThat(history.path()).isEqualTo("/conversations.history");
        assertThat(history.params()).containsEntry("channel", SlackFixture.SUPPORT).containsEntry("limit", "3");

        assertThat(success(tool.execute(newCall(GLOBEX), read(SlackFixture.SUPPORT))).output().path("messages")).hasSize(20);
        assertThat(server.received().getLast().header("Authorization")).isEqualTo("Bearer " + GLOBEX_TOKEN);
        assertThat(server.received()).noneMatch(r -> r.method().equals("POST"));
    }

    @Test
    void slacksRefusalsReachTheModelAndItsFailuresAreRetried() {
        assertThat(failed(tool.execute(newCall(ACME), read("#random")), "not_in_channel").message()).contains("invite the app");
        assertThat(failed(tool.execute(newCall(ACME), read("#board")), "not_found").message())
                .contains("no channel #board that the bot can see");
        assertThat(failed(tool.execute(newCall(ACME), read(BOARD_CHANNEL)), "not_found").details())
                .containsExactly("Slack answered \"ok\": false, error channel_not_found");

        server.thenAnswer(Reply.json(429, "{\"ok\":false,\"error\":\"ratelimited\"}").withHeader("Retry-After", "20"));
        assertThatThrownBy(() -> tool.execute(newCall(ACME), read(SlackFixture.SUPPORT))).isExactlyInstanceOf(RateLimitedException.class);
        server.thenAnswer(Reply.json(200, "{\"ok\":false,\"error\":\"internal_error\"}"));
        assertThatThrownBy(() -> tool.execute(newCall(ACME), read(SlackFixture.SUPPORT))).isExactlyInstanceOf(TransientException.class)
                .hasMessageContaining("internal_error");
        failed(tool.execute(newCall(SlackFixture.INITECH), read(SlackFixture.SUPPORT)), "not_connected");
    }

    @Test
    void invalidArgumentsAreRefusedBeforeAnythingIsSent() {
        for (JsonNode args : List.of(Json.object(), read("support"), read("#support").put("limit", 0), read("#support").put("limit", 51),
                read("#support").put("oldest", "1"))) {
            failed(tool.execute(newCall(ACME), args), "invalid_arguments");
        }
        assertThat(server.received()).isEmpty();
    }
}
