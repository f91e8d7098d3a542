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
 * Zendesk's ticket update as far as a comment goes, checking what Zendesk checks: {@code PUT
 * /api/v2/tickets/{id}.json}, a JSON body, basic auth as {@code email/token:token} of a known agent (else 401
 * "Couldn't authenticate you"), an existing ticket (else 404 RecordNotFound), and a comment with a non-empty
 * {@code body} (else 422 RecordInvalid). A good update answers 200 with the ticket and its audit, whose events
 * include the new comment, and is kept in {@link #comments()}.
 */
public final class FakeZendesk implements FakeVendorServer.Api {
    /** A comment Zendesk accepted, with the agent whose credentials posted it. */
    public record Comment(long ticketId, String body, boolean isPublic, String agent) {}

    private static final Pattern PATH = Pattern.compile("/api/v2/tickets/(\\d+)\\.json");
    private final Map<String, String> agentsByBasic;
    private final Set<Long> tickets;
    private final List<Comment> comments = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong(9000);

    /** {@code agents}: email to API token of each agent that may post; {@code tickets}: the ticket ids that exist. */
    public FakeZendesk(Map<String, String> agents, Set<Long> tickets) {
        this.agentsByBasic = new java.util.HashMap<>();
        agents.forEach((email, token) -> agentsByBasic.put("Basic " + Base64.getEncoder()
                .encodeToString((email + "/token:" + token).getBytes(StandardCharsets.UTF_8)), email));
        this.tickets = Set.copyOf(tickets);
    }

    public List<Comment> comments() {
        return List.copyOf(comments);
    }

    @Override
    public FakeVendorServer.Reply answer(FakeVendorServer.Received r) {
        Matcher m = PATH.matcher(r.path());
        if (!m.matches() || !r.method().equals("PUT")) {
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
        return FakeVendorServer.Reply.json(200, "{\"ticket\":{\"id\":" + ticket + ",\"status\":\"open\"},\"audit\":{\"id\":" + audit
                + ",\"ticket_id\":" + ticket + ",\"events\":[{\"id\":" + commentId + ",\"type\":\"Comment\",\"public\":" + isPublic
                + ",\"body\":" + Json.write(comment.get("body")) + "}]}}");
    }
}
