package dev.steward.connectors.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.steward.connectors.SideEffect;
import dev.steward.connectors.ToolResult;
import dev.steward.connectors.ToolSpec;
import dev.steward.connectors.http.ExternalHttpRead;
import dev.steward.connectors.http.ObservationText;
import dev.steward.connectors.http.VendorAccount;
import dev.steward.core.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code crm_read_record}: reads one HubSpot CRM record, as HubSpot's CRM v3 documents it: {@code GET
 * /crm/v3/objects/{objectType}/{id}?properties=a,b,c}, with the same account as {@code crm_add_note} (the private app's
 * token as {@code Authorization: Bearer}). The model names the kind of record as {@code crm_add_note} does, in the
 * singular ({@code contact}, {@code company}, {@code deal}, {@code ticket}), and {@link CrmObjectType} gives the
 * path's plural word, so both tools speak one vocabulary.
 *
 * <p>The schema admits property names of {@code [a-z0-9_]} only, so they go into the query as written, and nothing a
 * model writes can add a parameter or change the path; without {@code properties} the call asks for the record type's
 * {@link CrmObjectType#defaultProperties()}. The observation is compact, because it goes into the model's context: the
 * record's id, type, {@code createdAt}, {@code updatedAt}, and those of the asked-for properties that have a value
 * (HubSpot answers an unset one as null, a cleared one as an empty string, and adds properties nobody asked for), each
 * cut at {@value #MAX_VALUE} characters.
 */
final class CrmReadRecord {
    static final String NAME = "crm_read_record";
    static final int MAX_VALUE = 2_000;

    static final ToolSpec SPEC = new ToolSpec(NAME,
            "Read one HubSpot CRM record (a contact, company, deal or ticket) by its id: its properties, and when it was "
                    + "created and last updated. Reads only.",
            Json.tree("""
                    {
                      "type": "object",
                      "additionalProperties": false,
                      "required": ["objectType", "id"],
                      "properties": {
                        "objectType": {"type": "string", "enum": ["contact", "company", "deal", "ticket"], "description": "The kind of record: contact, company, deal or ticket."},
                        "id": {"type": "string", "pattern": "^[1-9][0-9]{0,19}$", "description": "The record's HubSpot id, digits only, e.g. \\"512\\"."},
                        "properties": {
                          "type": "array", "minItems": 1, "maxItems": 20, "uniqueItems": true,
                          "description": "HubSpot internal property names to read, e.g. [\\"email\\", \\"lifecyclestage\\"]. Default: contact firstname, lastname, email, phone, company, jobtitle, lifecyclestage; company name, domain, industry, phone, city, country; deal dealname, amount, dealstage, pipeline, closedate; ticket subject, content, hs_pipeline_stage, hs_ticket_priority.",
                          "items": {"type": "string", "pattern": "^[a-z0-9_]{1,100}$"}
                        }
                      }
                    }
                    """),
            SideEffect.READ);

    private CrmReadRecord() {}

    /** The record, or HubSpot's refusal ({@code not_found} naming the record, {@code unauthorized}, {@code rejected}). */
    static ToolResult read(VendorAccount account, JsonNode arguments, ExternalHttpRead http) {
        CrmObjectType type = CrmObjectType.of(arguments.get("objectType").asText());
        String id = arguments.get("id").asText();
        List<String> wanted = arguments.has("properties") ? names(arguments.get("properties")) : type.defaultProperties();
        ToolResult answer = http.fetch(account.get("/crm/v3/objects/" + type.path() + "/" + id + "?properties=" + String.join(",", wanted)));
        return switch (answer) {
            case ToolResult.Success found -> new ToolResult.Success(record(type, id, wanted, found.output()), false);
            case ToolResult.Failed missing when missing.code().equals("not_found") -> new ToolResult.Failed("not_found",
                    "HubSpot has no " + type.wire() + " " + id + " (it may have been deleted, archived or merged into another); "
                            + "check the id and the object type", missing.details());
            default -> answer;
        };
    }

    private static ObjectNode record(CrmObjectType type, String id, List<String> wanted, JsonNode answer) {
        ObjectNode out = Json.object().put("id", answer.path("id").asText(id)).put("objectType", type.wire());
        ObjectNode properties = out.putObject("properties");
        JsonNode given = answer.path("properties");
        for (String name : wanted) {
            JsonNode value = given.path(name);
            if (value.isMissingNode() || value.isNull() || value.asText().isEmpty()) {
                continue;
            }
            properties.set(name, value.isTextual() ? TextNode.valueOf(ObservationText.cut(value.asText(), MAX_VALUE)) : value);
        }
        for (String field : List.of("createdAt", "updatedAt")) {
            if (answer.hasNonNull(field)) {
                out.set(field, answer.get(field));
            }
        }
        return out;
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.asText()));
        return names;
    }
}
