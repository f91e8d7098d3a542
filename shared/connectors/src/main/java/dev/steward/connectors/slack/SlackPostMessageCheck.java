package dev.steward.connectors.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.connectors.Reconcilable;
import dev.steward.connectors.Reconciliation;
import dev.steward.connectors.ToolContext;
import dev.steward.connectors.ToolResult;
import dev.steward.connectors.connection.VendorEndpoints;
import dev.steward.connectors.http.ExternalHttpRead;
import dev.steward.connectors.http.ExternalHttpWrite;
import dev.steward.connectors.http.ReconcilingWriteTool;
import dev.steward.connectors.http.VendorAccount;
import dev.steward.connectors.http.VendorRequest;
import dev.steward.store.connection.ConnectionSettings;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The check {@link Reconcilable} describes for {@code slack_post_message} ({@link SlackPostMessage}): did an attempt
 * whose answer was lost post the message? It reads the channel's messages since the first attempt began less
 * {@link #CLOCK_SKEW}, with their metadata, as Slack's Web API documents it: {@code GET /conversations.history?channel=
 * <id>&oldest=<ts>&include_all_metadata=true&limit=200} (a thread reply: {@code GET /conversations.replies} with the
 * thread's {@code ts}, since the history lists a thread's first message only), and looks for the one whose
 * {@code metadata.event_payload.key} is this call's {@link SlackPostMessage#callKey}. A {@code #name} is first turned
 * into the channel's id ({@link SlackApi#channelId}): the history methods take ids only.
 * <ul>
 *   <li>Such a message: the call is recorded as done with its {@code ts} ({@link Reconciliation.Found}).</li>
 *   <li>None, and Slack says there are no more ({@code has_more} false): {@link Reconciliation.Absent}.</li>
 *   <li>Slack unreachable or refusing (no connection any more, a bad token, a missing history scope, no such channel), or
 *       more messages since then than one page holds: {@link Reconciliation.Unknown}.</li>
 * </ul>
 * Thread-safe.
 */
final class SlackPostMessageCheck implements ReconcilingWriteTool.Check {
    /** How many of the channel's messages since the attempt are looked through: one page. */
    static final int CHECKED_MESSAGES = 200;
    /** Allowance for Slack's clock running behind Steward's. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    private final VendorEndpoints endpoints;
    private final ExternalHttpWrite write;
    private final ExternalHttpRead read;

    SlackPostMessageCheck(VendorEndpoints endpoints, ExternalHttpWrite write, ExternalHttpRead read) {
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
        this.write = Objects.requireNonNull(write, "write");
        this.read = Objects.requireNonNull(read, "read");
    }

    @Override
    public Reconciliation look(ToolContext context, ConnectionSettings connection, JsonNode arguments, Instant since) {
        VendorAccount account = SlackAccount.of(endpoints, connection);
        String channel = arguments.get("channel").asText();
        ToolResult resolved = SlackApi.channelId(read, account, channel);
        if (!(resolved instanceof ToolResult.Success id)) {
            return new Reconciliation.Unknown("Slack did not say which channel " + channel + " is" + ReconcilingWriteTool.refusal(resolved));
        }
        String channelId = id.output().get("id").asText();
        Instant from = since.minus(CLOCK_SKEW);
        ToolResult listed = SlackApi.read(read, messages(account, channelId, arguments, from), channel);
        if (!(listed instanceof ToolResult.Success page) || !page.output().path("messages").isArray()) {
            return new Reconciliation.Unknown("Slack did not list " + channel + "'s messages" + ReconcilingWriteTool.refusal(listed));
        }
        String key = SlackPostMessage.callKey(context, arguments);
        for (JsonNode message : page.output().get("messages")) {
            JsonNode metadata = message.path("metadata");
            if (SlackPostMessage.EVENT_TYPE.equals(metadata.path("event_type").asText()) && key.equals(metadata.path("event_payload").path("key").asText())
                    && message.hasNonNull("ts")) {
                return new Reconciliation.Found(write.settle(context, SlackPostMessage.NAME, arguments, outcome(arguments, channelId, message)));
            }
        }
        if (page.output().path("has_more").asBoolean(false)) {
            return new Reconciliation.Unknown(channel + " has more than " + page.output().get("messages").size() + " messages since " + from
                    + ", more than Steward looks through");
        }
        return new Reconciliation.Absent("Steward read " + channel + "'s " + (arguments.hasNonNull("thread_ts") ? "thread " + arguments.get("thread_ts").asText() : "messages")
                + " on Slack: none of the " + page.output().get("messages").size() + " since " + from + " carries this call's key.");
    }

    /** The channel's (or the thread's) messages since {@code from}, with their metadata, newest first. */
    private static VendorRequest messages(VendorAccount account, String channelId, JsonNode arguments, Instant from) {
        String id = URLEncoder.encode(channelId, StandardCharsets.UTF_8);
        String window = "&oldest=" + SlackPostMessage.ts(from) + "&include_all_metadata=true&limit=" + CHECKED_MESSAGES;
        return arguments.hasNonNull("thread_ts")
                ? account.get("/conversations.replies?channel=" + id + "&ts=" + arguments.get("thread_ts").asText() + window)
                : account.get("/conversations.history?channel=" + id + window);
    }

    /** The result the call would have had, from the message found: its ts, when it was posted, and how it was known. */
    private static ObjectNode outcome(JsonNode arguments, String channelId, JsonNode message) {
        String ts = message.get("ts").asText();
        ObjectNode out = SlackPostMessage.outcome(arguments, channelId, ts);
        SlackPostMessage.instant(ts).ifPresent(at -> out.put("at", at.toString()));
        return out.put("foundInSlack", true);
    }
}
