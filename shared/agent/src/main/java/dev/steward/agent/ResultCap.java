package dev.steward.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.steward.core.json.Json;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Cuts a tool result to a size in bytes of JSON (UTF-8, as the store counts) while keeping it valid JSON and keeping
 * its shape: every field and the first items of every list stay, only long texts and long lists are cut, each cut
 * saying how much it left out, and a top-level {@code "truncated"} object says the result was cut and how large it was.
 *
 * <p>Why shape over a plain prefix: a tool's result is a record the model acts on (a ticket's status and id, the
 * senders and subjects of an inbox), and those are short fields next to long bodies. Cutting the longest texts first
 * keeps every short field; a prefix of the JSON text would keep the first mail whole and lose the rest of the inbox.
 * Only a result that does not fit even with every text and list cut short (thousands of fields) falls back to a
 * prefix of its JSON text, in {@code "preview"}.
 *
 * <p>How: the largest per-text length at which the result fits is found by bisection (each try serializes a copy);
 * if none does, the largest per-list length with texts at {@value #SHORT_TEXT} characters, then the largest text
 * length with that list length.
 */
final class ResultCap {
    /** The length texts are cut to before lists are cut: about a paragraph, enough for a subject or a summary. */
    static final int SHORT_TEXT = 200;
    /** The marker's field at the top of a cut result. */
    static final String MARKER = "truncated";

    private ResultCap() {}

    /** {@code result} itself when its JSON fits {@code maxBytes}, else its cut form (a copy), which fits. */
    static JsonNode cap(JsonNode result, int maxBytes) {
        int size = bytes(result);
        if (size <= maxBytes) {
            return result;
        }
        ObjectNode note = Json.object().put("originalBytes", size).put("note", "the result was cut to fit " + maxBytes
                + " bytes: long texts end with '… [N more characters]', long lists with '[N more items]'");
        int longestText = longest(result, true);
        int longestList = longest(result, false);
        Optional<Fit> texts = largestFitting(SHORT_TEXT, longestText, n -> marked(shrink(result, n, Integer.MAX_VALUE), note), maxBytes);
        if (texts.isPresent()) {
            return texts.get().node();
        }
        Optional<Fit> lists = largestFitting(0, longestList, n -> marked(shrink(result, SHORT_TEXT, n), note), maxBytes);
        if (lists.isPresent()) {
            int items = lists.get().n();
            return largestFitting(SHORT_TEXT, longestText, n -> marked(shrink(result, n, items), note), maxBytes)
                    .orElse(lists.get()).node();
        }
        return preview(result, size, maxBytes);
    }

    /** The size of {@code node}'s JSON text in UTF-8 bytes. */
    static int bytes(Object node) {
        try {
            return Json.mapper().writeValueAsBytes(node).length;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize " + node.getClass().getSimpleName(), e);
        }
    }

    /** {@code text} cut to {@code max} characters (never inside a surrogate pair), saying how much was left out. */
    static String cut(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = max > 0 && Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end) + "… [" + (text.length() - end) + " more characters]";
    }

    private record Fit(int n, JsonNode node) {}

    /** The try with the largest n in [lo, hi] that fits (bisection; the result always fits), or empty if lo does not. */
    private static Optional<Fit> largestFitting(int lo, int hi, IntFunction<JsonNode> attempt, int maxBytes) {
        JsonNode best = attempt.apply(lo);
        if (bytes(best) > maxBytes) {
            return Optional.empty();
        }
        int fits = lo;
        int tooBig = Math.max(lo, hi) + 1;
        while (tooBig - fits > 1) {
            int mid = fits + (tooBig - fits) / 2;
            JsonNode tried = attempt.apply(mid);
            if (bytes(tried) <= maxBytes) {
                fits = mid;
                best = tried;
            } else {
                tooBig = mid;
            }
        }
        return Optional.of(new Fit(fits, best));
    }

    /** A copy of {@code node} with texts longer than {@code maxText} and lists longer than {@code maxItems} cut. */
    private static JsonNode shrink(JsonNode node, int maxText, int maxItems) {
        if (node.isTextual()) {
            String text = node.textValue();
            return text.length() <= maxText ? node : TextNode.valueOf(cut(text, maxText));
        }
        if (node.isArray()) {
            ArrayNode out = Json.mapper().createArrayNode();
            for (int i = 0; i < Math.min(node.size(), maxItems); i++) {
                out.add(shrink(node.get(i), maxText, maxItems));
            }
            if (node.size() > maxItems) {
                out.add("[" + (node.size() - maxItems) + " more items]");
            }
            return out;
        }
        if (node.isObject()) {
            ObjectNode out = Json.object();
            node.properties().forEach(e -> out.set(e.getKey(), shrink(e.getValue(), maxText, maxItems)));
            return out;
        }
        return node;
    }

    /** The longest text (in characters) or list (in items) anywhere in {@code node}. */
    private static int longest(JsonNode node, boolean text) {
        if (node.isTextual()) {
            return text ? node.textValue().length() : 0;
        }
        int max = !text && node.isArray() ? node.size() : 0;
        for (JsonNode child : node) {
            max = Math.max(max, longest(child, text));
        }
        return max;
    }

    /** {@code shrunk} with the marker first: fields of an object result stay where they are, anything else goes under "result". */
    private static JsonNode marked(JsonNode shrunk, ObjectNode note) {
        ObjectNode out = Json.object();
        out.set(MARKER, note);
        if (shrunk.isObject()) {
            shrunk.properties().stream().filter(e -> !e.getKey().equals(MARKER)).forEach(e -> out.set(e.getKey(), e.getValue()));
        } else {
            out.set("result", shrunk);
        }
        return out;
    }

    /** The start of the result's JSON text as a string, for a result with too many fields to cut into shape. */
    private static JsonNode preview(JsonNode result, int size, int maxBytes) {
        String text = Json.write(result);
        for (int chars = maxBytes / 2; ; chars /= 2) {
            ObjectNode out = Json.object();
            out.set(MARKER, Json.object().put("originalBytes", size).put("note", "the result was too large to keep: "
                    + "preview holds the start of its JSON text"));
            if (result.path("status").isTextual()) {
                out.set("status", result.get("status"));
            }
            out.put("preview", cut(text, chars));
            if (bytes(out) <= maxBytes || chars == 0) {
                return out;
            }
        }
    }
}
