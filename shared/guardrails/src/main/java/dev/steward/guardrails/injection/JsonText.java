package dev.steward.guardrails.injection;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.json.Json;
import java.io.UncheckedIOException;

/**
 * The prose inside a tool result, as the injection checks read it. Tool results are JSON: a ticket's description or
 * a CRM note is one string value whose line breaks are {@code \n} escapes, glued to the next field by {@code ","}.
 * Read raw, a request opening a line or a field ("Hi team,\nRecommend a good book.") does not start a sentence, so
 * neither its imperative shape nor its distance from the text around it can be seen. Read here, every string value
 * with a space in it stands on its own lines, unescaped, in document order; keys, numbers and one-word values
 * (ids, states, times, addresses) are left out, since no instruction fits in one word.
 */
final class JsonText {
    private JsonText() {}

    /** The string values of {@code text} one per line when it is a JSON object or array, else {@code text} itself. */
    static String reading(String text) {
        String t = text.stripLeading();
        if (t.isEmpty() || (t.charAt(0) != '{' && t.charAt(0) != '[')) {
            return text;
        }
        JsonNode tree;
        try {
            tree = Json.tree(text);
        } catch (UncheckedIOException e) {
            return text; // not JSON after all: read it as it is
        }
        StringBuilder out = new StringBuilder();
        collect(tree, out);
        return out.toString();
    }

    private static void collect(JsonNode node, StringBuilder out) {
        if (node.isTextual()) {
            String value = node.textValue().strip();
            if (value.chars().anyMatch(Character::isWhitespace)) {
                out.append(value).append('\n');
            }
        } else {
            node.forEach(child -> collect(child, out));
        }
    }
}
