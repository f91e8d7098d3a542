package dev.steward.connectors.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.connectors.SideEffect;
import dev.steward.connectors.ToolSpec;
import dev.steward.connectors.http.VendorAccount;
import dev.steward.connectors.http.VendorRequest;
import dev.steward.core.json.Json;

/**
 * {@code zendesk_comment}: adds a public reply or an internal note to a Zendesk ticket, as Zendesk documents it:
 * {@code PUT /api/v2/tickets/{id}.json} with {@code {"ticket": {"comment": {"body": ..., "public": ...}}}}, authenticated
 * as the connection's agent with an API token ({@code Authorization: Basic base64(email/token:token)}).
 *
 * <p>{@code public} is required rather than left to Zendesk's default (public): a public reply is emailed to the
 * requester, and the tenant policy decides on it ({@code resource.getTag("public")}), so it must be explicit. Zendesk
 * accepts no idempotency key on ticket updates, so effectively-once rests on Steward's own record alone.
 */
final class ZendeskComment {
    static final String NAME = "zendesk_comment";

    static final ToolSpec SPEC = new ToolSpec(NAME,
            "Add a comment to a Zendesk ticket: a public reply that the requester sees and is emailed (public: true), or an "
                    + "internal note only agents see (public: false). Each call posts at most once, even if retried.",
            Json.tree("""
                    {
                      "type": "object",
                      "additionalProperties": false,
                      "required": ["ticketId", "body", "public"],
                      "properties": {
                        "ticketId": {"type": "integer", "minimum": 1, "maximum": 9007199254740991, "description": "The Zendesk ticket number, e.g. 35436."},
                        "body": {"type": "string", "minLength": 1, "maxLength": 65000, "description": "The comment, plain text."},
                        "public": {"type": "boolean", "description": "true: a reply to the requester; false: an internal note."}
                      }
                    }
                    """),
            SideEffect.EXTERNAL_WRITE);

    private ZendeskComment() {}

    static VendorRequest request(VendorAccount account, JsonNode arguments) {
        ObjectNode body = Json.object();
        body.putObject("ticket").putObject("comment")
                .put("body", arguments.get("body").asText())
                .put("public", arguments.get("public").asBoolean());
        return account.request("PUT", "/api/v2/tickets/" + arguments.get("ticketId").asLong() + ".json", body);
    }

    /** The ticket, the comment's visibility, and the audit and comment ids Zendesk gave the change. */
    static ObjectNode outcome(JsonNode arguments, JsonNode answer) {
        ObjectNode out = Json.object().put("status", "commented")
                .put("ticketId", arguments.get("ticketId").asLong())
                .put("public", arguments.get("public").asBoolean());
        JsonNode audit = answer.path("audit");
        if (audit.hasNonNull("id")) {
            out.put("auditId", audit.get("id").asLong());
        }
        for (JsonNode event : audit.path("events")) {
            if ("Comment".equals(event.path("type").asText()) && event.hasNonNull("id")) {
                out.put("commentId", event.get("id").asLong());
                break;
            }
        }
        return out;
    }
}
