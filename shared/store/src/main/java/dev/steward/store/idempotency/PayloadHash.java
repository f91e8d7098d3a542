package dev.steward.store.idempotency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Hex SHA-256 of what an action was asked to do (tool name and arguments). Stored with the idempotency record so
 * that a second attempt under the same key with a different payload is caught as the bug it is.
 */
public record PayloadHash(String value) {
    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");

    public PayloadHash {
        if (value == null || !HEX_SHA256.matcher(value).matches()) {
            throw new IllegalArgumentException("payload hash must be 64 lower-case hex characters, got '" + value + "'");
        }
    }

    /**
     * Hash of a tool's name and JSON arguments in a canonical form (object fields sorted by name), so the same
     * arguments hash alike whatever order a model or a deserializer put their fields in.
     */
    public static PayloadHash of(String tool, JsonNode arguments) {
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(arguments, "arguments");
        ObjectNode payload = Json.object();
        payload.put("tool", tool);
        payload.set("arguments", canonical(arguments));
        byte[] bytes = Json.write(canonical(payload)).getBytes(StandardCharsets.UTF_8);
        return new PayloadHash(HexFormat.of().formatHex(IdempotencyKey.sha256().digest(bytes)));
    }

    private static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            ObjectNode sorted = Json.object();
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            for (String name : names) {
                sorted.set(name, canonical(node.get(name)));
            }
            return sorted;
        }
        if (node.isArray()) {
            var array = Json.mapper().createArrayNode();
            node.forEach(element -> array.add(canonical(element)));
            return array;
        }
        return node;
    }

    @Override
    public String toString() {
        return value;
    }
}
