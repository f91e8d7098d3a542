package dev.steward.connectors.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.core.json.Json;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HubSpot's CRM v3 as far as the tools go, checking what HubSpot checks: {@code Authorization: Bearer} with a known
 * private app token (else 401 INVALID_AUTHENTICATION) on every call.
 * <ul>
 *   <li>{@code POST /crm/v3/objects/notes}: {@code properties.hs_timestamp} (required) and {@code hs_note_body}, and
 *       associations whose types are HUBSPOT_DEFINED default note associations to records that exist (else 400
 *       VALIDATION_ERROR). A good request answers 201 with the new note and is kept in {@link #notes()}.</li>
 *   <li>{@code GET /crm/v3/objects/{objectType}/{id}?properties=a,b}: a record that exists answers 200 with its id,
 *       {@code createdAt}, {@code updatedAt}, {@code archived: false} and {@code properties}: each asked-for property
 *       the record has (as {@link #withRecord} stored it, null when unset), unknown names left out as HubSpot does, and
 *       the ones HubSpot always adds ({@code hs_object_id}, {@code createdate}, {@code lastmodifieddate}). A record that
 *       does not exist answers 404 without a body.</li>
 * </ul>
 */
public final class FakeHubSpot implements FakeVendorServer.Api {
    /** A note HubSpot created: the request body it was created from, and the token that created it. */
    public record Note(String id, JsonNode request, String token) {}

    /** The default note-to-record association type ids, by the kind of record. */
    private static final Map<Integer, String> NOTE_TO = Map.of(202, "contact", 190, "company", 214, "deal", 228, "ticket");
    /** The kind of record of each object type in a path. */
    private static final Map<String, String> KIND = Map.of("contacts", "contact", "companies", "company", "deals", "deal", "tickets", "ticket");
    private static final Pattern OBJECT = Pattern.compile("/crm/v3/objects/([a-z_]+)/([^/]+)");
    private final Set<String> tokens;
    private final Set<String> records;
    private final List<Note> notes = new CopyOnWriteArrayList<>();
    private final Map<String, JsonNode> readable = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(51_000_000_000L);

    /** {@code records}: the existing records as {@code kind/id}, e.g. {@code contact/512}. */
    public FakeHubSpot(Set<String> tokens, Set<String> records) {
        this.tokens = Set.copyOf(tokens);
        this.records = Set.copyOf(records);
    }

    public List<Note> notes() {
        return List.copyOf(notes);
    }

    /**
     * What a GET of {@code record} ({@code kind/id}, one of those given at construction) answers: its {@code properties}
     * (HubSpot's internal names to values, null for a property the record leaves unset) and timestamps.
     */
    public FakeHubSpot withRecord(String record, JsonNode properties, String createdAt, String updatedAt) {
        if (!records.contains(record)) {
            throw new IllegalArgumentException("record " + record + " does not exist");
        }
        readable.put(record, Json.object().put("createdAt", createdAt).put("updatedAt", updatedAt).set("properties", properties.deepCopy()));
        return this;
    }

    @Override
    public FakeVendorServer.Reply answer(FakeVendorServer.Received r) {
        Matcher object = OBJECT.matcher(r.path());
        boolean read = r.method().equals("GET") && object.matches();
        if (!read && !(r.path().equals("/crm/v3/objects/notes") && r.method().equals("POST"))) {
            return FakeVendorServer.Reply.json(404, "{\"status\":\"error\",\"message\":\"Unable to route " + r.method() + " " + r.path() + "\"}");
        }
        String auth = r.header("Authorization");
        String token = auth != null && auth.startsWith("Bearer ") ? auth.substring("Bearer ".length()) : null;
        if (token == null || !tokens.contains(token)) {
            return FakeVendorServer.Reply.json(401, "{\"status\":\"error\",\"message\":\"Authentication credentials not found.\","
                    + "\"category\":\"INVALID_AUTHENTICATION\"}");
        }
        if (read) {
            return record(object.group(1), object.group(2), r.params().getOrDefault("properties", ""));
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

    private FakeVendorServer.Reply record(String type, String id, String asked) {
        String kind = KIND.get(type);
        if (kind == null) {
            return invalid("Unable to infer object type from: " + type);
        }
        if (!records.contains(kind + "/" + id)) {
            return FakeVendorServer.Reply.json(404, "");
        }
        JsonNode stored = readable.getOrDefault(kind + "/" + id, Json.object().put("createdAt", "2026-01-01T00:00:00Z")
                .put("updatedAt", "2026-01-01T00:00:00Z").set("properties", Json.object()));
        ObjectNode properties = Json.object();
        for (String name : asked.split(",")) {
            if (stored.path("properties").has(name)) {
                properties.set(name, stored.path("properties").get(name));
            }
        }
        properties.put("hs_object_id", id).put("createdate", stored.path("createdAt").asText())
                .put("lastmodifieddate", stored.path("updatedAt").asText());
        ObjectNode answer = Json.object().put("id", id);
        answer.set("properties", properties);
        answer.set("createdAt", stored.get("createdAt"));
        answer.set("updatedAt", stored.get("updatedAt"));
        return FakeVendorServer.Reply.json(200, Json.write(answer.put("archived", false)));
    }

    private static FakeVendorServer.Reply invalid(String message) {
        return FakeVendorServer.Reply.json(400, "{\"status\":\"error\",\"message\":" + Json.write(Json.mapper().valueToTree(message))
                + ",\"category\":\"VALIDATION_ERROR\"}");
    }
}
