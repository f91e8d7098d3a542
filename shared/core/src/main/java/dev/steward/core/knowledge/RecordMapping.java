package dev.steward.core.knowledge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Which fields of a CSV or JSON export (CRM notes, helpdesk tickets) are a record's id, title, text and metadata.
 *
 * <p>Its JSON form, as passed with an upload: {@code {"id":"Ticket ID","title":"Subject","text":["Description",
 * "Comments"],"metadata":["Customer","Created"]}}. {@code text} is required (a field name or a list of them);
 * {@code id} and {@code title} are optional; {@code metadata} omitted means every other field. Field names match the
 * CSV header or the JSON keys exactly (nested JSON objects as dotted paths, {@code "requester.email"}).
 *
 * @param id field holding the record's id, or null
 * @param title field holding the record's title, or null
 * @param text fields whose values are the record's text, at least one
 * @param metadata fields kept as metadata, or null for "every field not named elsewhere"
 */
public record RecordMapping(String id, String title, List<String> text, List<String> metadata) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KEYS = Set.of("id", "title", "text", "metadata");
    private static final Set<String> ID_NAMES = Set.of("id", "ticketid", "ticketnumber", "ticketno", "caseid", "casenumber",
            "recordid", "noteid", "issueid", "issuekey", "key", "number", "ticket", "case");
    private static final Set<String> TITLE_NAMES = Set.of("subject", "title", "summary", "headline", "topic");
    private static final Set<String> TEXT_NAMES = Set.of("description", "body", "comments", "comment", "notes", "note",
            "content", "text", "message", "details", "answer", "resolution", "reply", "response", "question", "problem",
            "conversation", "transcript");

    public RecordMapping {
        text = List.copyOf(text);
        metadata = metadata == null ? null : List.copyOf(metadata);
        if (text.isEmpty()) {
            throw new IllegalArgumentException("'text' must name at least one field");
        }
        Set<String> used = new LinkedHashSet<>();
        for (String field : named(id, title, text, metadata)) {
            if (field.isBlank()) {
                throw new IllegalArgumentException("field names must not be blank");
            }
            if (!used.add(field)) {
                throw new IllegalArgumentException("field '" + field + "' is named twice; each field has one role");
            }
        }
    }

    /**
     * Reads the JSON form.
     *
     * @throws IllegalArgumentException naming the problem (not JSON, unknown key, wrong type, no text field)
     */
    public static RecordMapping parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the mapping is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the mapping must be a JSON object with 'text' and optional 'id', 'title', 'metadata'");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String key = names.next();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("the mapping has an unknown key '" + key + "'; allowed: id, title, text, metadata");
            }
        }
        if (!root.has("text")) {
            throw new IllegalArgumentException("the mapping needs 'text': the field or fields that hold a record's text");
        }
        return new RecordMapping(string(root, "id"), string(root, "title"), strings(root, "text"),
                root.has("metadata") ? strings(root, "metadata") : null);
    }

    /** The JSON form, as {@link #parse} reads it. */
    public String toJson() {
        ObjectNode out = JSON.createObjectNode();
        if (id != null) {
            out.put("id", id);
        }
        if (title != null) {
            out.put("title", title);
        }
        text.forEach(out.putArray("text")::add);
        if (metadata != null) {
            ArrayNode list = out.putArray("metadata");
            metadata.forEach(list::add);
        }
        return out.toString();
    }

    /**
     * The default mapping for the given fields: id, title and text fields recognised by common helpdesk and CRM names
     * (case, spaces, dashes and underscores ignored: "Ticket ID", "ticket_id"); every other field is metadata. When no
     * text field is recognised, every field but the id and title is text.
     */
    public static RecordMapping detect(List<String> fields) {
        String id = first(fields, ID_NAMES);
        String title = first(fields, TITLE_NAMES);
        List<String> text = new ArrayList<>();
        for (String field : fields) {
            if (TEXT_NAMES.contains(normalize(field)) && !field.equals(id) && !field.equals(title)) {
                text.add(field);
            }
        }
        List<String> others = fields.stream()
                .filter(f -> !f.equals(id) && !f.equals(title) && !text.contains(f) && !f.isBlank())
                .distinct()
                .toList();
        if (text.isEmpty()) {
            if (others.isEmpty()) {
                return new RecordMapping(null, null, List.of(title != null ? title : id), List.of());
            }
            return new RecordMapping(id, title, others, List.of());
        }
        return new RecordMapping(id, title, text, others);
    }

    /** The fields the mapping names, in role order (id, title, text, metadata). */
    public List<String> fields() {
        return named(id, title, text, metadata);
    }

    /** This mapping with {@code metadata} set (for resolving "every other field" against a file). */
    public RecordMapping withMetadata(List<String> newMetadata) {
        return new RecordMapping(id, title, text, newMetadata);
    }

    private static List<String> named(String id, String title, List<String> text, List<String> metadata) {
        List<String> all = new ArrayList<>();
        if (id != null) {
            all.add(id);
        }
        if (title != null) {
            all.add(title);
        }
        all.addAll(text);
        if (metadata != null) {
            all.addAll(metadata);
        }
        return all;
    }

    private static String first(List<String> fields, Set<String> names) {
        return fields.stream().filter(f -> names.contains(normalize(f))).findFirst().orElse(null);
    }

    private static String normalize(String field) {
        return field.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    private static String string(JsonNode root, String key) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new IllegalArgumentException("the mapping's '" + key + "' must be a field name (a string)");
        }
        return node.asText();
    }

    private static List<String> strings(JsonNode root, String key) {
        JsonNode node = Objects.requireNonNull(root.get(key));
        if (node.isTextual()) {
            return List.of(node.asText());
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException("the mapping's '" + key + "' must be a field name or a list of field names");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw new IllegalArgumentException("the mapping's '" + key + "' must list field names (strings), found " + item);
            }
            out.add(item.asText());
        }
        return out;
    }
}
