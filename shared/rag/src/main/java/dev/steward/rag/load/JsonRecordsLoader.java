package dev.steward.rag.load;

import dev.steward.core.knowledge.RecordMapping;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * JSON exports (Jackson): a top-level array of objects, an object whose first array-of-objects field holds the
 * records (e.g. {@code {"tickets": [...]}}), a single object (one record), or JSON Lines ({@code .jsonl},
 * {@code .ndjson}: one object per line). Each record is mapped to a section by a {@link RecordMapping}; nested
 * objects are flattened into dotted field names ({@code requester.email}); arrays become one line per element.
 *
 * <p>In JSON Lines a line that is not a JSON object is skipped and named in the warnings; in a JSON document, an
 * array element that is not an object likewise. A JSON document that does not parse is rejected. Stateless,
 * thread-safe.
 */
public final class JsonRecordsLoader implements DocumentLoader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RecordMapping mapping;

    /** @param mapping the mapping to apply, or null to recognise common field names */
    public JsonRecordsLoader(RecordMapping mapping) {
        this.mapping = mapping;
    }

    @Override
    public ParsedDocument load(String fileName, byte[] content) {
        String text = TextDecoding.decode(fileName, content);
        Records records = new Records(fileName);
        List<Records.Row> rows = new ArrayList<>();
        String extension = fileName.substring(fileName.lastIndexOf('.') + 1).toLowerCase(java.util.Locale.ROOT);
        if (extension.equals("jsonl") || extension.equals("ndjson")) {
            readLines(text, records, rows);
        } else {
            readDocument(fileName, text, records, rows);
        }
        Set<String> fields = new LinkedHashSet<>();
        rows.forEach(r -> fields.addAll(r.fields().keySet()));
        return records.toDocument(List.copyOf(fields), rows, mapping);
    }

    private static void readLines(String text, Records records, List<Records.Row> rows) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String where = "line " + (i + 1);
            try {
                JsonNode node = JSON.readTree(lines[i]);
                if (node.isObject()) {
                    rows.add(new Records.Row(where, flatten(node)));
                } else {
                    records.skip(where, "not a JSON object");
                }
            } catch (JsonProcessingException e) {
                records.skip(where, "not valid JSON (" + e.getOriginalMessage() + ")");
            }
        }
    }

    private static void readDocument(String fileName, String text, Records records, List<Records.Row> rows) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw Loading.unreadable(fileName, "is not valid JSON (" + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ")", e);
        }
        JsonNode list = root.isArray() ? root : recordsField(root);
        if (list == null) {
            if (root.isObject()) {
                rows.add(new Records.Row("record 1", flatten(root)));
            }
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            String where = "record " + (i + 1);
            if (list.get(i).isObject()) {
                rows.add(new Records.Row(where, flatten(list.get(i))));
            } else {
                records.skip(where, "not a JSON object");
            }
        }
    }

    private static JsonNode recordsField(JsonNode root) {
        if (!root.isObject()) {
            return null;
        }
        for (Iterator<JsonNode> values = root.elements(); values.hasNext(); ) {
            JsonNode value = values.next();
            if (value.isArray() && !value.isEmpty() && value.get(0).isObject()) {
                return value;
            }
        }
        return null;
    }

    private static Map<String, String> flatten(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        flatten("", object, out);
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        node.fields().forEachRemaining(e -> {
            String key = prefix + e.getKey();
            JsonNode value = e.getValue();
            if (value.isObject()) {
                flatten(key + ".", value, out);
            } else if (value.isArray()) {
                List<String> items = new ArrayList<>();
                value.forEach(item -> items.add(render(item)));
                out.put(key, items.stream().filter(s -> !s.isBlank()).collect(Collectors.joining("\n")));
            } else if (!value.isNull()) {
                out.put(key, value.asText());
            }
        });
    }

    /** An array element on one line: a scalar as is, an object as its {@code field: value} pairs. */
    private static String render(JsonNode item) {
        if (item.isObject()) {
            Map<String, String> fields = flatten(item);
            return fields.entrySet().stream().filter(e -> !e.getValue().isBlank())
                    .map(e -> e.getKey() + ": " + e.getValue().replaceAll("\\s+", " "))
                    .collect(Collectors.joining("; "));
        }
        return item.isNull() ? "" : item.isValueNode() ? item.asText() : item.toString();
    }
}
