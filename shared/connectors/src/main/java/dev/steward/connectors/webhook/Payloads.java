package dev.steward.connectors.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reading a vendor's JSON payload, and writing an event's fields as the lines of a run's input. */
final class Payloads {
    private Payloads() {}

    static JsonNode parse(SignedRequest request, String vendor) {
        byte[] body = request.body();
        if (body.length == 0) {
            throw WebhookRejectedException.malformed("the " + vendor + " webhook body is empty");
        }
        try {
            return Json.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            throw WebhookRejectedException.malformed("the " + vendor + " webhook body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw WebhookRejectedException.malformed("the " + vendor + " webhook body cannot be read: " + e.getMessage());
        }
    }

    /** A scalar as text (numbers without a trailing ".0"), an array of scalars joined with ", ", else null. */
    static String text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (value.isValueNode()) {
            String s = value.asText().strip();
            return s.isEmpty() ? null : s;
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(v -> {
                String s = v.isValueNode() ? text(v) : null;
                if (s != null) {
                    items.add(s);
                }
            });
            return items.isEmpty() ? null : String.join(", ", items);
        }
        return null;
    }

    /**
     * One "Label: value" line per field of {@code object}: first the {@code labelled} fields in their order, then the
     * other scalar fields in the payload's order (their names as labels), skipping {@code skipped}. Fields without a
     * value, and nested objects, are left out.
     */
    static void fieldLines(StringBuilder out, JsonNode object, Map<String, String> labelled, Set<String> skipped) {
        labelled.forEach((field, label) -> {
            String value = text(object.get(field));
            if (value != null) {
                out.append('\n').append(label).append(": ").append(value);
            }
        });
        object.properties().forEach(e -> {
            if (labelled.containsKey(e.getKey()) || skipped.contains(e.getKey())) {
                return;
            }
            String value = text(e.getValue());
            if (value != null) {
                out.append('\n').append(e.getKey()).append(": ").append(value);
            }
        });
    }

    /** An ordered field-to-label map from {@code field, label, field, label, ...}. */
    static Map<String, String> labels(String... pairs) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put(pairs[i], pairs[i + 1]);
        }
        return out;
    }
}
