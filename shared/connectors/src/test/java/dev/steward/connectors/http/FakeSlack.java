package dev.steward.connectors.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.core.json.Json;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Slack's Web API as far as the Slack tools go, answering as Slack does: HTTP 200 with {@code {"ok": true, ...}} or
 * {@code {"ok": false, "error": "<code>"}}. Every method checks {@code Authorization: Bearer} with a known bot token
 * ({@code not_authed} without one, {@code invalid_auth} for another).
 * <ul>
 *   <li>{@code POST /chat.postMessage}, a JSON body ({@code Content-Type: application/json}, else
 *       {@code invalid_form_data}): {@code channel} an id or {@code #name} ({@code channel_not_found}), not archived
 *       ({@code is_archived}), the bot a member ({@code not_in_channel}), {@code text} present ({@code no_text}) of at
 *       most 40,000 characters ({@code msg_too_long}), {@code thread_ts} a message of the channel ({@code thread_not_found}),
 *       {@code metadata} with an {@code event_type} of {@code [a-z0-9_]} and an object {@code event_payload}
 *       ({@code invalid_metadata_format}). Kept with a new {@code ts} (the wall clock, strictly increasing) and its text as
 *       Slack stores it ({@code & < >} escaped); answers {@code {"ok", "channel": <id>, "ts", "message"}}.</li>
 *   <li>{@code GET /conversations.history?channel=<id>&oldest&limit&include_all_metadata}: the channel's messages that
 *       are not thread replies, newer than {@code oldest}, newest first, {@code limit} (default 100, at most 999) of them,
 *       {@code has_more}; {@code metadata} only with {@code include_all_metadata=true}. A {@code #name} is not an id:
 *       {@code channel_not_found}; the bot must be a member ({@code not_in_channel}).</li>
 *   <li>{@code GET /conversations.replies?channel=<id>&ts=<thread>&oldest&limit&include_all_metadata}: the thread's first
 *       message and its replies newer than {@code oldest}, oldest first ({@code thread_not_found} for no such thread).</li>
 *   <li>{@code GET /conversations.list?types&exclude_archived&limit&cursor}: the public channels, and the private ones the
 *       bot is in, {@code limit} (at most 1000) a page, {@code response_metadata.next_cursor} an opaque cursor.</li>
 * </ul>
 */
public final class FakeSlack implements FakeVendorServer.Api {
    /** A channel of the workspace. */
    public record Channel(String id, String name, boolean isPrivate, boolean member, boolean archived) {}

    /** A message in a channel, as Slack stores it; {@code token} is the bot token that posted it, null for one a test placed. */
    public record Message(String channel, String ts, String text, String threadTs, JsonNode metadata, String token) {}

    private final Set<String> tokens;
    private final Map<String, Channel> channels = new ConcurrentHashMap<>();
    private final List<Message> messages = new CopyOnWriteArrayList<>();
    private long lastMicros;

    public FakeSlack(Set<String> tokens, List<Channel> channels) {
        this.tokens = Set.copyOf(tokens);
        channels.forEach(c -> this.channels.put(c.id(), c));
    }

    public List<Message> messages() {
        return List.copyOf(messages);
    }

    /** A message placed in {@code channel} at {@code ts} (one posted long ago), with {@code metadata} (null for none). */
    public FakeSlack withMessage(String channel, String ts, String text, JsonNode metadata) {
        messages.add(new Message(channel, ts, text, null, metadata, null));
        return this;
    }

    @Override
    public FakeVendorServer.Reply answer(FakeVendorServer.Received r) {
        String auth = r.header("Authorization");
        String token = auth != null && auth.startsWith("Bearer ") ? auth.substring("Bearer ".length()) : null;
        String call = r.method() + " " + r.path();
        if (!Set.of("POST /chat.postMessage", "GET /conversations.history", "GET /conversations.replies", "GET /conversations.list")
                .contains(call)) {
            return FakeVendorServer.Reply.json(404, "");
        }
        if (token == null) {
            return error("not_authed");
        }
        if (!tokens.contains(token)) {
            return error("invalid_auth");
        }
        return switch (call) {
            case "POST /chat.postMessage" -> post(r, token);
            case "GET /conversations.list" -> list(r.params());
            default -> history(r.params(), call.endsWith("replies"));
        };
    }

    private FakeVendorServer.Reply post(FakeVendorServer.Received r, String token) {
        String type = r.header("Content-Type");
        if (type == null || !type.startsWith("application/json")) {
            return error("invalid_form_data");
        }
        JsonNode body = r.json();
        Optional<Channel> found = channel(body.path("channel").asText(""), true);
        if (found.isEmpty()) {
            return error("channel_not_found");
        }
        Channel channel = found.get();
        if (channel.archived()) {
            return error("is_archived");
        }
        if (!channel.member()) {
            return error("not_in_channel");
        }
        String text = body.path("text").asText("");
        if (text.isBlank()) {
            return error("no_text");
        }
        if (text.codePointCount(0, text.length()) > 40_000) {
            return error("msg_too_long");
        }
        String thread = body.hasNonNull("thread_ts") ? body.get("thread_ts").asText() : null;
        if (thread != null && messages.stream().noneMatch(m -> m.channel().equals(channel.id()) && m.ts().equals(thread))) {
            return error("thread_not_found");
        }
        JsonNode metadata = body.path("metadata");
        if (!metadata.isMissingNode() && (!metadata.path("event_type").asText("").matches("[a-z0-9_]+") || !metadata.path("event_payload").isObject())) {
            return error("invalid_metadata_format");
        }
        String ts = nextTs();
        String stored = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        messages.add(new Message(channel.id(), ts, stored, thread, metadata.isMissingNode() ? null : metadata, token));
        ObjectNode answer = Json.object().put("ok", true).put("channel", channel.id()).put("ts", ts);
        answer.putObject("message").put("type", "message").put("subtype", "bot_message").put("text", stored).put("bot_id", "B0STEWARD1")
                .put("ts", ts);
        return FakeVendorServer.Reply.json(200, Json.write(answer));
    }

    private FakeVendorServer.Reply history(Map<String, String> params, boolean replies) {
        Optional<Channel> found = channel(params.getOrDefault("channel", ""), false);
        if (found.isEmpty()) {
            return error("channel_not_found");
        }
        if (!found.get().member()) {
            return error("not_in_channel");
        }
        int limit = Integer.parseInt(params.getOrDefault("limit", "100"));
        if (limit < 1 || limit > 999) {
            return error("invalid_limit");
        }
        BigDecimal oldest = new BigDecimal(params.getOrDefault("oldest", "0"));
        String thread = params.get("ts");
        if (replies && messages.stream().noneMatch(m -> m.channel().equals(found.get().id()) && m.ts().equals(thread))) {
            return error("thread_not_found");
        }
        List<Message> in = new ArrayList<>();
        for (Message m : messages) {
            boolean listed = replies ? m.ts().equals(thread) || thread.equals(m.threadTs()) : m.threadTs() == null;
            if (m.channel().equals(found.get().id()) && listed && new BigDecimal(m.ts()).compareTo(oldest) > 0) {
                in.add(m);
            }
        }
        Comparator<Message> byTs = Comparator.comparing(m -> new BigDecimal(m.ts()));
        in.sort(replies ? byTs : byTs.reversed());
        boolean metadata = "true".equals(params.get("include_all_metadata"));
        ObjectNode answer = Json.object().put("ok", true);
        ArrayNode list = answer.putArray("messages");
        for (Message m : in.subList(0, Math.min(limit, in.size()))) {
            ObjectNode message = list.addObject().put("type", "message").put("ts", m.ts()).put("text", m.text());
            if (m.token() != null) {
                message.put("bot_id", "B0STEWARD1").put("app_id", "A0STEWARD1");
            } else {
                message.put("user", "U0PERSON01");
            }
            if (m.threadTs() != null) {
                message.put("thread_ts", m.threadTs());
            }
            if (metadata && m.metadata() != null) {
                message.set("metadata", m.metadata());
            }
        }
        answer.put("has_more", in.size() > limit);
        answer.putObject("response_metadata").put("next_cursor", in.size() > limit ? "bmV4dF90czox" : "");
        return FakeVendorServer.Reply.json(200, Json.write(answer));
    }

    private FakeVendorServer.Reply list(Map<String, String> params) {
        int limit = Integer.parseInt(params.getOrDefault("limit", "100"));
        if (limit < 1 || limit > 1000) {
            return error("invalid_limit");
        }
        List<Channel> visible = channels.values().stream().filter(c -> !c.isPrivate() || c.member())
                .filter(c -> !("true".equals(params.get("exclude_archived")) && c.archived())).sorted(Comparator.comparing(Channel::id)).toList();
        int from = params.containsKey("cursor") ? Integer.parseInt(params.get("cursor").substring("page:".length())) : 0;
        List<Channel> page = visible.subList(Math.min(from, visible.size()), Math.min(from + limit, visible.size()));
        ObjectNode answer = Json.object().put("ok", true);
        ArrayNode list = answer.putArray("channels");
        page.forEach(c -> list.addObject().put("id", c.id()).put("name", c.name()).put("is_channel", !c.isPrivate())
                .put("is_private", c.isPrivate()).put("is_archived", c.archived()).put("is_member", c.member()));
        answer.putObject("response_metadata").put("next_cursor", from + limit < visible.size() ? "page:" + (from + limit) : "");
        return FakeVendorServer.Reply.json(200, Json.write(answer));
    }

    /** The channel an id names, or (where Slack takes one, {@code byName}) a {@code #name}. */
    private Optional<Channel> channel(String named, boolean byName) {
        if (byName && named.startsWith("#")) {
            return channels.values().stream().filter(c -> c.name().equals(named.substring(1))).findFirst();
        }
        return Optional.ofNullable(channels.get(named));
    }

    private synchronized String nextTs() {
        Instant now = Instant.now();
        long micros = Math.max(now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000, lastMicros + 1);
        lastMicros = micros;
        return micros / 1_000_000 + "." + String.format("%06d", micros % 1_000_000);
    }

    private static FakeVendorServer.Reply error(String code) {
        return FakeVendorServer.Reply.json(200, "{\"ok\":false,\"error\":\"" + code + "\"}");
    }
}
