package dev.steward.connectors.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.connectors.SideEffect;
import dev.steward.connectors.ToolResult;
import dev.steward.connectors.ToolSpec;
import dev.steward.connectors.http.ExternalHttpRead;
import dev.steward.connectors.http.ObservationText;
import dev.steward.connectors.http.VendorAccount;
import dev.steward.connectors.http.VendorRequest;
import dev.steward.core.json.Json;
import java.util.List;

/**
 * {@code zendesk_read_ticket}: reads a Zendesk ticket and its newest comments, as Zendesk documents it: {@code GET
 * /api/v2/tickets/{id}.json}, then (when {@code comments} > 0) {@code GET
 * /api/v2/tickets/{id}/comments.json?sort_order=desc&per_page=N}, the first page of the newest comments, with the same
 * account as {@code zendesk_comment}.
 *
 * <p>The observation is compact, because it goes into the model's context: the ticket's fields an agent acts on, its
 * description cut at {@value #MAX_DESCRIPTION} characters and each comment's plain text at {@value #MAX_COMMENT}; a cut
 * text ends with a note that says how long it was.
 */
final class ZendeskReadTicket {
    static final String NAME = "zendesk_read_ticket";
    static final int MAX_DESCRIPTION = 4_000;
    static final int MAX_COMMENT = 2_000;
    private static final int DEFAULT_COMMENTS = 5;
    private static final List<String> FIELDS = List.of("id", "subject", "status", "priority", "type", "tags", "created_at", "updated_at",
            "requester_id");

    static final ToolSpec SPEC = new ToolSpec(NAME,
            "Read a Zendesk ticket: its subject, status, priority, type, tags, requester, description and its newest comments "
                    + "(newest first; public replies and internal notes). Reads only.",
            Json.tree("""
                    {
                      "type": "object",
                      "additionalProperties": false,
                      "required": ["ticketId"],
                      "properties": {
                        "ticketId": {"type": "integer", "minimum": 1, "maximum": 9007199254740991, "description": "The Zendesk ticket number, e.g. 35436."},
                        "comments": {"type": "integer", "minimum": 0, "maximum": 20, "default": 5, "description": "How many of the newest comments to include (0 to 20, default 5)."}
                      }
                    }
                    """),
            SideEffect.READ);

    private ZendeskReadTicket() {}

    /** The ticket and its newest comments, or the first refusal (no such ticket, credentials refused). */
    static ToolResult read(VendorAccount account, JsonNode arguments, ExternalHttpRead http) {
        long id = arguments.get("ticketId").asLong();
        int wanted = arguments.path("comments").asInt(DEFAULT_COMMENTS);
        ToolResult ticket = http.fetch(account.get("/api/v2/tickets/" + id + ".json"));
        if (!(ticket instanceof ToolResult.Success found)) {
            return ticket;
        }
        ObjectNode out = ticket(found.output().path("ticket"));
        if (wanted > 0) {
            ToolResult comments = http.fetch(newestComments(account, id, wanted));
            if (!(comments instanceof ToolResult.Success listed)) {
                return comments;
            }
            ArrayNode newest = out.putArray("comments");
            for (JsonNode c : listed.output().path("comments")) {
                if (newest.size() == wanted) {
                    break;
                }
                newest.add(comment(c));
            }
        }
        return new ToolResult.Success(out, false);
    }

    /** The first page of ticket {@code id}'s newest comments, {@code count} of them (Zendesk allows up to 100), newest first. */
    static VendorRequest newestComments(VendorAccount account, long id, int count) {
        return account.get("/api/v2/tickets/" + id + "/comments.json?sort_order=desc&per_page=" + count);
    }

    private static ObjectNode ticket(JsonNode ticket) {
        ObjectNode out = Json.object();
        copy(ticket, out, FIELDS);
        out.put("description", ObservationText.cut(ticket.path("description").asText(""), MAX_DESCRIPTION));
        return out;
    }

    private static ObjectNode comment(JsonNode comment) {
        JsonNode text = comment.path("plain_body").isTextual() ? comment.get("plain_body") : comment.path("body");
        ObjectNode out = Json.object();
        copy(comment, out, List.of("author_id", "public", "created_at"));
        return out.put("body", ObservationText.cut(text.asText(""), MAX_COMMENT));
    }

    /** Each of {@code fields} as Zendesk gave it, null when it gave none. */
    private static void copy(JsonNode from, ObjectNode to, List<String> fields) {
        for (String field : fields) {
            to.set(field, from.hasNonNull(field) ? from.get(field) : NullNode.getInstance());
        }
    }
}
