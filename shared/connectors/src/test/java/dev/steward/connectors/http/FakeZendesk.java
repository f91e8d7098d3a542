package dev.steward.connectors.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Zendesk's ticket API as far as the tools go, checking what Zendesk checks: basic auth as {@code email/token:token}
 * of a known agent (else 401 "Couldn't authenticate you") and an existing ticket (else 404 RecordNotFound) on every
 * call.
 * <ul>
 *   <li>{@code PUT /api/v2/tickets/{id}.json}: a JSON body with a comment with a non-empty {@code body} (else 422
 *       RecordInvalid). A good update answers 200 with the ticket and its audit, whose events include the new comment,
 *       and is kept in {@link #comments()}.</li>
 *   <li>{@code GET /api/v2/tickets/{id}.json}: 200 {@code {"ticket": ...}}, the ticket as {@link #withTicket} stored it
 *       (else one with only its id and status).</li>
 *   <li>{@code GET /api/v2/tickets/{id}/comments.json}: 200 {@code {"comments": [...], "next_page", "previous_page",
 *       "count"}}, the stored comments oldest first unless {@code sort_order=desc}, {@code per_page} of them (default
 *       and cap 100). A comment posted by {@code PUT} joins them as Zendesk shows it: {@code id}, {@code type},
 *       {@code author_id} (the posting agent's user id), {@code body}, {@code plain_body}, {@code public},
 *       {@code audit_id}, {@code via.channel} {@code api} and {@code created_at} (whole seconds, UTC).</li>
 *   <li>{@code GET /api/v2/users/me.json}: 200 {@code {"user": {"id", "email"}}}, the authenticated agent.</li>
 * </ul>
 */
public final class FakeZendesk implements FakeVendorServer.Api {
    /** A comment Zendesk accepted, with the agent whose credentials posted it. */
    public record Comment(long ticketId, String body, boolean isPublic, String agent) {}

    private static final Pattern PATH = Pattern.compile("/api/v2/tickets/(\\d+)(/comments)?\\.json");
    private static final String ME = "/api/v2/users/me.json";
    private final Map<String, String> agentsByBasic;
    private final Map<String, Long> userIds = new java.util.HashMap<>();
    private final Set<Long> tickets;
    private final List<Comment> comments = new CopyOnWriteArrayList<>();
    private final Map<Long, JsonNode> readable = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Long, List<JsonNode>> thread = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(9000);

    /** {@code agents}: email to API token of each agent that may post; {@code tickets}: the ticket ids that exist. */
    public FakeZendesk(Map<String, String> agents, Set<Long> tickets) {
        this.agentsByBasic = new java.util.HashMap<>();
        agents.forEach((email, token) -> agentsByBasic.put("Basic " + Base64.getEncoder()
                .encodeToString((email + "/token:" + token).getBytes(StandardCharsets.UTF_8)), email));
        agents.keySet().stream().sorted().forEach(email -> userIds.put(email, 361_000L + userIds.size()));
        this.tickets = Set.copyOf(tickets);
    }

    public List<Comment> comments() {
        return List.copyOf(comments);
    }

    /** The Zendesk user id of the agent with {@code email}, as {@code users/me} and a comment's {@code author_id} give it. */
    public long userId(String email) {
        return userIds.get(email);
    }

    /**
     * What a GET of ticket {@code id} (one of those given at construction) answers: {@code ticket} (Zendesk's ticket
     * object) and {@code comments}, oldest first (Zendesk's comment objects).
     */
    public FakeZendesk withTicket(long id, JsonNode ticket, List<JsonNode> comments) {
        if (!tickets.contains(id)) {
            throw new IllegalArgumentException("ticket " + id + " does not exist");
        }
        readable.put(id, ticket.deepCopy());
        thread.put(id, new CopyOnWriteArrayList<>(comments));
        return this;
    }

    @Override
    public FakeVendorServer.Reply answer(FakeVendorServer.Received r) {
        if (r.path().equals(ME) && r.method().equals("GET")) {
            String agent = agentsByBasic.get(r.header("Authorization"));
            return agent == null ? FakeVendorServer.Reply.json(401, "{\"error\":\"Couldn't authenticate you\"}")
                    : FakeVendorServer.Reply.json(200, Json.write(Json.object().set("user",
                            Json.object().put("id", userId(agent)).put("email", agent))));
        }
        Matcher m = PATH.matcher(r.path());
        boolean listComments = m.matches() && m.group(2) != null;
        if (!m.matches() || !(r.method().equals("PUT") && !listComments || r.method().equals("GET"))) {
            return FakeVendorServer.Reply.json(404, "{\"error\":\"InvalidEndpoint\",\"description\":\"Not found\"}");
        }
        String agent = agentsByBasic.get(r.header("Authorization"));
        if (agent == null) {
            return FakeVendorServer.Reply.json(401, "{\"error\":\"Couldn't authenticate you\"}");
        }
        long ticket = Long.parseLong(m.group(1));
        if (!tickets.contains(ticket)) {
            return FakeVendorServer.Reply.json(404, "{\"error\":\"RecordNotFound\",\"description\":\"Not found\"}");
        }
        if (r.method().equals("GET")) {
            return listComments ? commentsOf(ticket, r.params()) : FakeVendorServer.Reply.json(200, "{\"ticket\":"
                    + Json.write(readable.getOrDefault(ticket, Json.object().put("id", ticket).put("status", "open"))) + "}");
        }
        String type = r.header("Content-Type");
        if (type == null || !type.startsWith("application/json")) {
            return FakeVendorServer.Reply.json(400, "{\"error\":\"Unsupported content type\"}");
        }
        JsonNode comment = Json.tree(r.body()).path("ticket").path("comment");
        if (!comment.path("body").isTextual() || comment.path("body").asText().isBlank()
                || (comment.has("public") && !comment.get("public").isBoolean())) {
            return FakeVendorServer.Reply.json(422, "{\"error\":\"RecordInvalid\",\"description\":\"Record validation errors\","
                    + "\"details\":{\"base\":[{\"description\":\"Comment: cannot be blank\"}]}}");
        }
        boolean isPublic = !comment.has("public") || comment.get("public").asBoolean();
        comments.add(new Comment(ticket, comment.get("body").asText(), isPublic, agent));
        long audit = ids.incrementAndGet();
        long commentId = ids.incrementAndGet();
        com.fasterxml.jackson.databind.node.ObjectNode shown = Json.object().put("id", commentId).put("type", "Comment")
                .put("author_id", userId(agent)).put("body", comment.get("body").asText()).put("plain_body", comment.get("body").asText())
                .put("public", isPublic).put("audit_id", audit)
                .put("created_at", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        shown.putObject("via").put("channel", "api");
        thread.computeIfAbsent(ticket, t -> new CopyOnWriteArrayList<>()).add(shown);
        return FakeVendorServer.Reply.json(200, "{\"ticket\":{\"id\":" + ticket + ",\"status\":\"open\"},\"audit\":{\"id\":" + audit
                + ",\"ticket_id\":" + ticket + ",\"events\":[{\"id\":" + commentId + ",\"type\":\"Comment\",\"public\":" + isPublic
                + ",\"body\":" + Json.write(comment.get("body")) + "}]}}");
    }

    private FakeVendorServer.Reply commentsOf(long ticket, Map<String, String> params) {
        List<JsonNode> all = new java.util.ArrayList<>(thread.getOrDefault(ticket, List.of()));
        if ("desc".equals(params.get("sort_order"))) {
            java.util.Collections.reverse(all);
        }
        int perPage = Math.min(100, Integer.parseInt(params.getOrDefault("per_page", "100")));
        List<JsonNode> page = all.subList(0, Math.min(perPage, all.size()));
        String next = page.size() < all.size() ? "\"https://acme.zendesk.com/api/v2/tickets/" + ticket + "/comments.json?page=2&per_page="
                + perPage + "\"" : "null";
        return FakeVendorServer.Reply.json(200, "{\"comments\":" + Json.write(Json.mapper().valueToTree(page)) + ",\"next_page\":" + next
                + ",\"previous_page\":null,\"count\":" + all.size() + "}");
    }
}
