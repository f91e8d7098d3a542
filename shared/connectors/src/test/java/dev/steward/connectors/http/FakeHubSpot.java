package dev.steward.connectors.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.core.json.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 *   <li>{@code POST /crm/v3/objects/notes/search}: the notes created with the same token (one HubSpot account) that
 *       match every filter of a filter group (groups are ORed): {@code hs_timestamp} {@code GTE} (or {@code LT}) epoch
 *       milliseconds, {@code associations.<kind>} {@code EQ} a record id; any other filter, or a {@code limit} above
 *       100, is 400 VALIDATION_ERROR. Sorted by {@code hs_timestamp} descending, {@code after} (an offset) and
 *       {@code limit} (default 10) applied: 200 {@code {"total", "results": [{"id", "properties": {"hs_note_body",
 *       "hs_timestamp", "hs_object_id"}, "createdAt", "updatedAt", "archived"}], "paging": {"next": {"after"}}}}, paging
 *       only when more are left.</li>
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

    private static final String NOTES = "/crm/v3/objects/notes";

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

    /**
     * A note created in the account of {@code token} as a {@code POST} of {@code request} would create it (for a note
     * placed long ago, or more notes than a test would post one by one).
     */
    public FakeHubSpot withNote(String token, JsonNode request) {
        FakeVendorServer.Reply created = create(token, request);
        if (created.status() != 201) {
            throw new IllegalArgumentException(created.body());
        }
        return this;
    }

    @Override
    public FakeVendorServer.Reply answer(FakeVendorServer.Received r) {
        Matcher object = OBJECT.matcher(r.path());
        boolean read = r.method().equals("GET") && object.matches();
        boolean post = r.method().equals("POST") && (r.path().equals(NOTES) || r.path().equals(NOTES + "/search"));
        if (!read && !post) {
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
        return r.path().equals(NOTES) ? create(token, r.json()) : search(token, r.json());
    }

    private FakeVendorServer.Reply create(String token, JsonNode body) {
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

    private FakeVendorServer.Reply search(String token, JsonNode query) {
        int limit = query.path("limit").asInt(10);
        if (limit < 1 || limit > 100) {
            return invalid("limit must be between 1 and 100");
        }
        List<Note> found = new java.util.ArrayList<>();
        for (Note note : notes) {
            Optional<Boolean> matches = matchesAnyGroup(note, query.path("filterGroups"));
            if (matches.isEmpty()) {
                return invalid("unsupported filter in " + query.path("filterGroups"));
            }
            if (matches.get() && note.token().equals(token)) {
                found.add(note);
            }
        }
        found.sort(java.util.Comparator.comparing((Note n) -> timestamp(n.request())).reversed());
        int after = Integer.parseInt(query.path("after").asText("0"));
        List<Note> page = found.subList(Math.min(after, found.size()), Math.min(after + limit, found.size()));
        ObjectNode answer = Json.object().put("total", found.size());
        var results = answer.putArray("results");
        for (Note note : page) {
            ObjectNode result = results.addObject().put("id", note.id());
            result.putObject("properties").put("hs_note_body", note.request().path("properties").path("hs_note_body").asText())
                    .put("hs_timestamp", timestamp(note.request()).toString()).put("hs_object_id", note.id());
            result.put("createdAt", "2026-05-01T12:00:00.000Z").put("updatedAt", "2026-05-01T12:00:00.000Z").put("archived", false);
        }
        if (after + page.size() < found.size()) {
            answer.putObject("paging").putObject("next").put("after", Integer.toString(after + page.size()));
        }
        return FakeVendorServer.Reply.json(200, Json.write(answer));
    }

    /** Whether {@code note} matches one of the filter groups (all of them when there are none); empty for a filter the fake does not know. */
    private static Optional<Boolean> matchesAnyGroup(Note note, JsonNode groups) {
        boolean any = groups.isEmpty();
        for (JsonNode group : groups) {
            boolean all = true;
            for (JsonNode filter : group.path("filters")) {
                Optional<Boolean> matches = matches(note.request(), filter);
                if (matches.isEmpty()) {
                    return Optional.empty();
                }
                all &= matches.get();
            }
            any |= all;
        }
        return Optional.of(any);
    }

    private static Optional<Boolean> matches(JsonNode request, JsonNode filter) {
        String name = filter.path("propertyName").asText();
        String operator = filter.path("operator").asText();
        String value = filter.path("value").asText();
        if (name.equals("hs_timestamp") && (operator.equals("GTE") || operator.equals("LT"))) {
            long at = timestamp(request).toEpochMilli();
            long bound = Long.parseLong(value);
            return Optional.of(operator.equals("GTE") ? at >= bound : at < bound);
        }
        if (name.startsWith("associations.") && operator.equals("EQ")) {
            String kind = name.substring("associations.".length());
            for (JsonNode a : request.path("associations")) {
                if (kind.equals(NOTE_TO.get(a.path("types").path(0).path("associationTypeId").asInt())) && a.path("to").path("id").asText().equals(value)) {
                    return Optional.of(true);
                }
            }
            return Optional.of(false);
        }
        return Optional.empty();
    }

    private static java.time.Instant timestamp(JsonNode request) {
        return java.time.Instant.parse(request.path("properties").path("hs_timestamp").asText());
    }

    private static FakeVendorServer.Reply invalid(String message) {
        return FakeVendorServer.Reply.json(400, "{\"status\":\"error\",\"message\":" + Json.write(Json.mapper().valueToTree(message))
                + ",\"category\":\"VALIDATION_ERROR\"}");
    }
}
