package dev.steward.connectors.slack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.connectors.ToolResult;
import dev.steward.connectors.http.ExternalHttpRead;
import dev.steward.connectors.http.VendorAccount;
import dev.steward.connectors.http.VendorRequest;
import dev.steward.core.error.RateLimitedException;
import dev.steward.core.error.TransientException;
import dev.steward.core.json.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * How Slack's Web API answers, for every Slack tool: a method answers HTTP 200 with {@code {"ok": true, ...}} when it
 * worked and {@code {"ok": false, "error": "<code>"}} when it did not (HTTP 429 with {@code Retry-After} for a rate
 * limit, which {@link dev.steward.connectors.http.ExternalHttpWrite} and {@link ExternalHttpRead} handle as for any
 * vendor). {@link Failure#of} sorts Slack's error codes by what they mean for a retry; {@link #refusal} words a refusal
 * for the model, so that it can act on it (invite the bot, pick another channel, shorten the text).
 */
final class SlackApi {
    /** How many pages of the workspace's channels are looked through for a {@code #name}: 1,000 channels a page. */
    static final int CHANNEL_PAGES = 5;

    private static final Set<String> AUTH = Set.of("not_authed", "invalid_auth", "account_inactive", "token_revoked", "token_expired",
            "no_permission", "missing_scope", "not_allowed_token_type", "ekm_access_denied", "access_denied", "org_login_required",
            "team_access_not_granted");

    private SlackApi() {}

    /** What an {@code "ok": false} means for whoever sent the request. */
    enum Failure {
        /** Slack refused and did nothing; sending again will not help. */
        REFUSED,
        /** Slack turned the request away for a rate limit; nothing was done. */
        RATE_LIMITED,
        /** Slack did not read the request whole (its {@code request_timeout}); nothing was done, a retry may work. */
        RETRY,
        /** Slack failed on its side, and says that part of the operation may have succeeded. */
        IN_DOUBT;

        static Failure of(String error) {
            return switch (error) {
                case "ratelimited", "rate_limited" -> RATE_LIMITED;
                case "request_timeout" -> RETRY;
                case "internal_error", "fatal_error", "service_unavailable" -> IN_DOUBT;
                default -> REFUSED;
            };
        }
    }

    /** Slack's error code of an answer, {@code "(no error given)"} when it gives none. */
    static String error(JsonNode answer) {
        return answer.path("error").asText("(no error given)");
    }

    /** The failure a refusal ({@link Failure#REFUSED}) is for the model, naming {@code channel} where that helps. */
    static ToolResult.Failed refusal(JsonNode answer, String channel) {
        String error = error(answer);
        List<String> details = new ArrayList<>();
        details.add("Slack answered \"ok\": false, error " + error);
        if (answer.hasNonNull("needed")) {
            details.add("the app needs the scope " + answer.get("needed").asText() + " (it has " + answer.path("provided").asText("none") + ")");
        }
        if (AUTH.contains(error)) {
            return new ToolResult.Failed("unauthorized", "Slack refused this tenant's bot token (" + error + "), so nothing was done; an "
                    + "admin must update the Slack app or the connection (PUT /v1/connections/slack)", details);
        }
        return switch (error) {
            case "channel_not_found" -> new ToolResult.Failed("not_found", "Slack has no channel " + channel + " that the bot can see, so "
                    + "nothing was done: check the channel id or name (a private channel must invite the bot first)", details);
            case "not_in_channel" -> new ToolResult.Failed("not_in_channel", "the bot is not a member of " + channel + ", so nothing was "
                    + "done: someone in the channel must invite the app (/invite @the-app), or use another channel", details);
            case "is_archived" -> new ToolResult.Failed("rejected", "channel " + channel + " is archived, so nothing was done: use another "
                    + "channel", details);
            case "msg_too_long" -> new ToolResult.Failed("rejected", "the message is too long for Slack, so nothing was done: shorten it",
                    details);
            default -> new ToolResult.Failed("rejected", "Slack refused the request (" + error + "), so nothing was done", details);
        };
    }

    /**
     * A read of a Slack method: its answer when {@code "ok": true}; a refusal as {@link #refusal}; a rate limit or a
     * failure on Slack's side thrown as transient (a read is safe to repeat). Refusals of the HTTP kind come from
     * {@link ExternalHttpRead} as for any vendor.
     */
    static ToolResult read(ExternalHttpRead http, VendorRequest request, String channel) {
        ToolResult answer = http.fetch(request);
        if (!(answer instanceof ToolResult.Success ok) || ok.output().path("ok").asBoolean(false)) {
            return answer;
        }
        JsonNode body = ok.output();
        return switch (Failure.of(error(body))) {
            case REFUSED -> refusal(body, channel);
            case RATE_LIMITED -> throw new RateLimitedException("Slack answered \"ok\": false, error " + error(body) + "; a retry may read");
            case RETRY, IN_DOUBT -> throw new TransientException("Slack answered \"ok\": false, error " + error(body) + "; a retry may read");
        };
    }

    /**
     * The id of {@code channel}: itself when it is an id; for a {@code #name}, the id of the channel of that name among the
     * public and private channels the bot can see ({@code conversations.list}, {@value #CHANNEL_PAGES} pages of 1,000 at
     * most), as {@code {"id": ...}}. Slack's history methods take ids only.
     *
     * @return a success with the id, {@code not_found} when no visible channel has the name, or Slack's refusal
     */
    static ToolResult channelId(ExternalHttpRead http, VendorAccount account, String channel) {
        if (!channel.startsWith("#")) {
            return new ToolResult.Success(Json.object().put("id", channel), false);
        }
        String name = channel.substring(1);
        String cursor = "";
        for (int page = 0; page < CHANNEL_PAGES; page++) {
            ToolResult listed = read(http, account.get("/conversations.list?types=public_channel,private_channel&exclude_archived=true"
                    + "&limit=1000" + (cursor.isEmpty() ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8))), channel);
            if (!(listed instanceof ToolResult.Success found)) {
                return listed;
            }
            for (JsonNode c : found.output().path("channels")) {
                if (name.equals(c.path("name").asText()) && c.hasNonNull("id")) {
                    return new ToolResult.Success(Json.object().put("id", c.get("id").asText()), false);
                }
            }
            cursor = found.output().path("response_metadata").path("next_cursor").asText("");
            if (cursor.isEmpty()) {
                return new ToolResult.Failed("not_found", "Slack has no channel " + channel + " that the bot can see: check the name, "
                        + "or invite the bot to the private channel", List.of());
            }
        }
        return new ToolResult.Failed("not_found", "the bot sees more than " + CHANNEL_PAGES * 1000 + " channels and " + channel
                + " is not among the first of them: use the channel's id (C...) instead of its name", List.of());
    }
}
