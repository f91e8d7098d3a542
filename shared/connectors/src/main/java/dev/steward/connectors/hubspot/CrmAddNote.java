package dev.steward.connectors.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.connectors.SideEffect;
import dev.steward.connectors.ToolSpec;
import dev.steward.connectors.http.VendorAccount;
import dev.steward.connectors.http.VendorRequest;
import dev.steward.core.json.Json;
import java.time.Clock;
import java.time.temporal.ChronoUnit;

/**
 * {@code crm_add_note}: creates a HubSpot note on the records named, as HubSpot's CRM v3 documents it:
 * {@code POST /crm/v3/objects/notes} with {@code properties.hs_note_body} and {@code hs_timestamp} (when the note is
 * placed on the timeline: now) and {@code associations}, each {@code {"to": {"id"}, "types": [{"associationCategory":
 * "HUBSPOT_DEFINED", "associationTypeId"}]}} with HubSpot's default note-to-record type ids ({@link CrmObjectType});
 * authenticated with the private app's token ({@code Authorization: Bearer}).
 *
 * <p>The name falls under the tenant policy's {@code crm_*} rules (writes with approval, {@code crm_delete*} denied).
 * HubSpot accepts no idempotency key on object creation, so effectively-once rests on Steward's own record alone.
 */
final class CrmAddNote {
    static final String NAME = "crm_add_note";

    static final ToolSpec SPEC = new ToolSpec(NAME,
            "Add a note to HubSpot CRM records (contacts, companies, deals, tickets), shown on their timelines. Each call "
                    + "creates at most one note, even if retried.",
            Json.tree("""
                    {
                      "type": "object",
                      "additionalProperties": false,
                      "required": ["body", "associations"],
                      "properties": {
                        "body": {"type": "string", "minLength": 1, "maxLength": 60000, "description": "The note, plain text."},
                        "associations": {
                          "type": "array", "minItems": 1, "maxItems": 10,
                          "description": "The records the note belongs to, e.g. [{\\"objectType\\": \\"contact\\", \\"id\\": \\"512\\"}].",
                          "items": {
                            "type": "object",
                            "additionalProperties": false,
                            "required": ["objectType", "id"],
                            "properties": {
                              "objectType": {"type": "string", "enum": ["contact", "company", "deal", "ticket"]},
                              "id": {"type": "string", "pattern": "^[1-9][0-9]{0,19}$", "description": "The record's HubSpot id."}
                            }
                          }
                        }
                      }
                    }
                    """),
            SideEffect.EXTERNAL_WRITE);

    private CrmAddNote() {}

    static VendorRequest request(VendorAccount account, Clock clock, JsonNode arguments) {
        ObjectNode body = Json.object();
        body.putObject("properties")
                .put("hs_note_body", html(arguments.get("body").asText()))
                .put("hs_timestamp", clock.instant().truncatedTo(ChronoUnit.MILLIS).toString());
        ArrayNode associations = body.putArray("associations");
        for (JsonNode a : arguments.get("associations")) {
            ObjectNode association = associations.addObject();
            association.putObject("to").put("id", a.get("id").asText());
            association.putArray("types").addObject().put("associationCategory", "HUBSPOT_DEFINED")
                    .put("associationTypeId", CrmObjectType.of(a.get("objectType").asText()).noteAssociation());
        }
        return account.request("POST", "/crm/v3/objects/notes", body);
    }

    /** The note's HubSpot id and the records it was put on. */
    static ObjectNode outcome(JsonNode arguments, JsonNode answer) {
        ObjectNode out = Json.object().put("status", "created");
        if (answer.hasNonNull("id")) {
            out.put("noteId", answer.get("id").asText());
        }
        out.set("associations", arguments.get("associations").deepCopy());
        return out;
    }

    /**
     * HubSpot shows {@code hs_note_body} as rich text (HTML): the model's plain text is escaped, so nothing it writes
     * (or copied from a ticket) becomes markup, and its line breaks are kept as {@code <br>}.
     */
    static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r\n", "\n").replace("\n", "<br>");
    }
}
