package dev.steward.connectors.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.connectors.SideEffect;
import dev.steward.connectors.ToolContext;
import dev.steward.connectors.ToolSpec;
import dev.steward.connectors.http.VendorAccount;
import dev.steward.connectors.http.VendorRequest;
import dev.steward.connectors.http.WriteAnswer;
import dev.steward.core.error.RateLimitedException;
import dev.steward.core.error.TransientException;
import dev.steward.core.json.Json;
import dev.steward.store.idempotency.PayloadHash;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * {@code slack_post_message}: posts a message to a Slack channel (or a thread in it) as the connection's bot, as Slack's
 * Web API documents it: {@code POST /chat.postMessage} with {@code {"channel", "text", "thread_ts"?, "metadata"}},
 * {@code Authorization: Bearer <bot token>}. Slack answers HTTP 200 either way; {@link #judge} reads {@code "ok"}.
 *
 * <p>chat.postMessage takes no idempotency key, so each message carries one in its metadata: {@code {"event_type":
 * "steward_action", "event_payload": {"key": ...}}}, where the key is {@link #callKey}: the tenant, run and tool-call id
 * with the arguments, hashed. It is the same for every attempt of one call, including a re-run a person approved
 * (whose idempotency key differs, being the review's step), so {@link SlackPostMessageCheck} can find an attempt whose
 * answer was lost by it.
 *
 * <p>{@code channel} is an id ({@code C0123ABCD}; {@code G} for an older private channel, {@code D} for a direct
 * message) or a {@code #name} as Slack writes channel names (lower case, digits, {@code - _ .}, at most 80). The policy
 * sees it as written ({@code resource.getTag("channel")}): a rule on {@code "#deals"} does not match the same channel
 * by id, so a rule that lets posts run without review fails closed.
 */
final class SlackPostMessage {
    static final String NAME = "slack_post_message";
    static final String EVENT_TYPE = "steward_action";

    static final ToolSpec SPEC = new ToolSpec(NAME,
            "Post a message to a Slack channel, or reply in a thread, as the workspace's Steward bot (which must be a member of "
                    + "the channel). Each call posts at most once, even if retried.",
            Json.tree("""
                    {
                      "type": "object",
                      "additionalProperties": false,
                      "required": ["channel", "text"],
                      "properties": {
                        "channel": {"type": "string", "pattern": "^(?:[CGD][A-Z0-9]{8,12}|#[a-z0-9_][a-z0-9._-]{0,79})$", "description": "The channel's id, e.g. C0123ABCD, or its name with #, e.g. #deals."},
                        "text": {"type": "string", "minLength": 1, "maxLength": 40000, "pattern": "\\\\S", "description": "The message, Slack mrkdwn (*bold*, _italic_, <https://example.com|links>)."},
                        "thread_ts": {"type": "string", "pattern": "^[0-9]{9,10}\\\\.[0-9]{6}$", "description": "To reply in a thread: the ts of the thread's first message, e.g. 1714564800.123456."}
                      }
                    }
                    """),
            SideEffect.EXTERNAL_WRITE);

    private SlackPostMessage() {}

    static VendorRequest request(VendorAccount account, ToolContext context, JsonNode arguments) {
        ObjectNode body = Json.object().put("channel", arguments.get("channel").asText()).put("text", arguments.get("text").asText());
        if (arguments.hasNonNull("thread_ts")) {
            body.put("thread_ts", arguments.get("thread_ts").asText());
        }
        body.putObject("metadata").put("event_type", EVENT_TYPE).putObject("event_payload").put("key", callKey(context, arguments));
        return account.request("POST", "/chat.postMessage", body);
    }

    /**
     * What Slack's 200 answer means: {@code "ok": true} is the posted message; a rate limit or an unread request is a
     * retry (nothing was posted); Slack's own failure ({@code internal_error}, {@code fatal_error},
     * {@code service_unavailable}) may have posted, so its outcome is unknown; any other error is a refusal for the model.
     */
    static WriteAnswer judge(JsonNode arguments, JsonNode answer) {
        if (!answer.path("ok").isBoolean()) {
            return new WriteAnswer.InDoubt("Slack's answer has no \"ok\"");
        }
        if (answer.get("ok").asBoolean()) {
            return new WriteAnswer.Done(outcome(arguments, answer.path("channel").asText(arguments.get("channel").asText()),
                    answer.path("ts").asText(null)));
        }
        String said = "Slack answered \"ok\": false, error " + SlackApi.error(answer);
        return switch (SlackApi.Failure.of(SlackApi.error(answer))) {
            case REFUSED -> new WriteAnswer.Refused(SlackApi.refusal(answer, arguments.get("channel").asText()));
            case RATE_LIMITED -> new WriteAnswer.TurnedAway(new RateLimitedException(said + "; nothing was posted, a retry may send"));
            case RETRY -> new WriteAnswer.TurnedAway(new TransientException(said + "; nothing was posted, a retry may send"));
            case IN_DOUBT -> new WriteAnswer.InDoubt(said);
        };
    }

    /** The channel's id as Slack gave it, the message's {@code ts} (its id in the channel), and the thread it went to. */
    static ObjectNode outcome(JsonNode arguments, String channelId, String ts) {
        ObjectNode out = Json.object().put("status", "posted").put("channel", channelId);
        if (ts != null) {
            out.put("ts", ts);
        }
        if (arguments.hasNonNull("thread_ts")) {
            out.put("threadTs", arguments.get("thread_ts").asText());
        }
        return out;
    }

    /**
     * The key a message of this call carries: hex SHA-256 of the tenant, run, tool-call id and the arguments' canonical
     * hash. Opaque (Slack's members can read message metadata); the step is left out on purpose (see the class).
     */
    static String callKey(ToolContext context, JsonNode arguments) {
        String identity = Json.write(Json.mapper().createArrayNode().add("steward.slack.call.v1").add(context.tenant().value())
                .add(context.run().value()).add(context.callId()).add(PayloadHash.of(NAME, arguments).value()));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }

    /** A message {@code ts} ({@code 1714564800.123456}) as the instant it names; empty when it is not one. */
    static Optional<Instant> instant(String ts) {
        if (ts == null) {
            return Optional.empty();
        }
        try {
            BigDecimal seconds = new BigDecimal(ts);
            return Optional.of(Instant.ofEpochSecond(seconds.longValue(), seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue()));
        } catch (NumberFormatException | ArithmeticException unreadable) {
            return Optional.empty();
        }
    }

    /** An instant as Slack's {@code oldest} takes it: epoch seconds with six decimals. */
    static String ts(Instant at) {
        return at.getEpochSecond() + "." + String.format("%06d", at.getNano() / 1_000);
    }
}
