package dev.steward.connectors.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.connectors.SideEffect;
import dev.steward.connectors.ToolResult;
import dev.steward.connectors.ToolSpec;
import dev.steward.connectors.http.ExternalHttpRead;
import dev.steward.connectors.http.ObservationText;
import dev.steward.connectors.http.VendorAccount;
import dev.steward.core.json.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code slack_read_channel}: reads a Slack channel's newest messages, as Slack's Web API documents it: {@code GET
 * /conversations.history?channel=<id>&limit=N} (a {@code #name} is first turned into its id, {@link SlackApi#channelId}),
 * with the same account as {@code slack_post_message}. The observation is compact, because it goes into the model's
 * context: each message's {@code ts}, author ({@code user}, or {@code bot_id} for an app), thread fields and its text
 * cut at {@value #MAX_TEXT} characters, newest first.
 */
final class SlackReadChannel {
    static final String NAME = "slack_read_channel";
    static final int MAX_TEXT = 2_000;
    private static final int DEFAULT_MESSAGES = 20;
    private static final List<String> FIELDS = List.of("ts", "user", "bot_id", "thread_ts", "reply_count");

    static final ToolSpec SPEC = new ToolSpec(NAME,
            "Read the newest messages of a Slack channel the workspace's Steward bot is a member of (newest first: author, "
                    + "time, thread and text). Reads only.",
            Json.tree("""
                    {
                      "type": "object",
                      "additionalProperties": false,
                      "required": ["channel"],
                      "properties": {
                        "channel": {"type": "string", "pattern": "^(?:[CGD][A-Z0-9]{8,12}|#[a-z0-9_][a-z0-9._-]{0,79})$", "description": "The channel's id, e.g. C0123ABCD, or its name with #, e.g. #deals."},
                        "limit": {"type": "integer", "minimum": 1, "maximum": 50, "default": 20, "description": "How many of the newest messages to read (1 to 50, default 20)."}
                      }
                    }
                    """),
            SideEffect.READ);

    private SlackReadChannel() {}

    /** The channel's newest messages, or the first refusal (no such channel, the bot not in it, credentials refused). */
    static ToolResult read(VendorAccount account, JsonNode arguments, ExternalHttpRead http) {
        String channel = arguments.get("channel").asText();
        int limit = arguments.path("limit").asInt(DEFAULT_MESSAGES);
        ToolResult resolved = SlackApi.channelId(http, account, channel);
        if (!(resolved instanceof ToolResult.Success id)) {
            return resolved;
        }
        String channelId = id.output().get("id").asText();
        ToolResult listed = SlackApi.read(http, account.get("/conversations.history?channel=" + URLEncoder.encode(channelId, StandardCharsets.UTF_8)
                + "&limit=" + limit), channel);
        if (!(listed instanceof ToolResult.Success page)) {
            return listed;
        }
        ObjectNode out = Json.object().put("channel", channelId);
        ArrayNode messages = out.putArray("messages");
        for (JsonNode m : page.output().path("messages")) {
            if (messages.size() == limit) {
                break;
            }
            ObjectNode message = messages.addObject();
            for (String field : FIELDS) {
                if (m.hasNonNull(field)) {
                    message.set(field, m.get(field));
                }
            }
            message.put("text", ObservationText.cut(m.path("text").asText(""), MAX_TEXT));
        }
        return new ToolResult.Success(out, false);
    }
}
