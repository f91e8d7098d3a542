package dev.steward.connectors.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.json.Json;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HubSpot's note creation, checking what HubSpot checks: {@code POST /crm/v3/objects/notes}, {@code Authorization:
 * Bearer} with a known private app token (else 401 INVALID_AUTHENTICATION), {@code properties.hs_timestamp} (required)
 * and {@code hs_note_body}, and associations whose types are HUBSPOT_DEFINED default note associations to records that
 * exist (else 400 VALIDATION_ERROR). A good request answers 201 with the new note and is kept in {@link #notes()}.
 */
public final class FakeHubSpot implements FakeVendorServer.Api {
    /** A note HubSpot created: the request body it was created from, and the token that created it. */
    public record Note(String id, JsonNode request, String token) {}

    /** The default note-to-record association type ids, by the kind of record. */
    private static final Map<Integer, String> NOTE_TO = Map.of(202, "contact", 190, "company", 214, "deal", 228, "ticket");
    private final Set<String> tokens;
    private final Set<String> records;
    private final List<Note> notes = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong(51_000_000_000L);

    /** {@code records}: the existing records as {@code kind/id}, e.g. {@code contact/512}. */
    public FakeHubSpot(Set<String> tokens, Set<String> records) {
        this.tokens = Set.copyOf(tokens);
        this.records = Set.copyOf(records);
    }

    public List<Note> notes() {
        return List.copyOf(notes);
    }

    @Override
    public FakeVendorServer.Reply answer(FakeVendorServer.Received r) {
        if (!r.path().equals("/crm/v3/objects/notes") || !r.method().equals("POST")) {
            return FakeVendorServer.Reply.json(404, "{\"status\":\"error\",\"message\":\"Unable to route " + r.method() + " " + r.path() + "\"}");
        }
        String auth = r.header("Authorization");
        String token = auth != null && auth.startsWith("Bearer ") ? auth.substring("Bearer ".length()) : null;
        if (token == null || !tokens.contains(token)) {
            return FakeVendorServer.Reply.json(401, "{\"status\":\"error\",\"message\":\"Authentication credentials not found.\","
                    + "\"category\":\"INVALID_AUTHENTICATION\"}");
        }
        JsonNode body = r.json();
        JsonNode properties = body.path("properties");
        if (!properties.path("hs_timestamp").isTextual() || !properties.path("hs_note_body").isTextual()) {
            return invalid("Property values were not valid: hs_timestamp is required");
        }
        for (JsonNode a : body.path("associations")) {
            JsonNode type = a.path("types").path(0);
            String kind = NOTE_TO.get(type.path("associationTypeId").asInt());
            if (!"HUBSPOT_DEFINED".equals(type.path("associationCategory").asText()) || kind == null || a.path("types").size() != 1) {
                return invalid("invalid association type " + type);
            }
            if (!a.path("to").path("id").isTextual() || !records.contains(kind + "/" + a.path("to").path("id").asText())) {
                return invalid("One or more associations are invalid: no " + kind + " " + a.path("to").path("id"));
            }
        }
        String id = Long.toString(ids.incrementAndGet());
        notes.add(new Note(id, body, token));
        return FakeVendorServer.Reply.json(201, "{\"id\":\"" + id + "\",\"properties\":" + Json.write(properties)
                + ",\"createdAt\":\"2026-05-01T12:00:00.000Z\",\"updatedAt\":\"2026-05-01T12:00:00.000Z\",\"archived\":false}");
    }

    private static FakeVendorServer.Reply invalid(String message) {
        return FakeVendorServer.Reply.json(400, "{\"status\":\"error\",\"message\":" + Json.write(Json.mapper().valueToTree(message))
                + ",\"category\":\"VALIDATION_ERROR\"}");
    }
}
