package dev.steward.rag.load;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Metadata of documents, sections and chunks: string keys to string values, in insertion order. The well-known keys
 * below are what loaders fill when the source has them; record and e-mail loaders add the source's own field names.
 */
public final class Metadata {
    /** The uploaded file name. */
    public static final String SOURCE = "source";
    public static final String AUTHOR = "author";
    /** ISO-8601 instant (or the source's own date text when it cannot be parsed). */
    public static final String CREATED = "created";
    public static final String MODIFIED = "modified";

    private Metadata() {}

    /**
     * An unmodifiable, order-keeping copy without blank keys or values (values stripped); empty for null.
     */
    public static Map<String, String> copy(Map<String, String> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        metadata.forEach((k, v) -> {
            if (k != null && !k.isBlank() && v != null && !v.isBlank()) {
                out.put(k.strip(), v.strip());
            }
        });
        return Collections.unmodifiableMap(out);
    }

    /** {@code base} with {@code overrides} laid over it, in order (base keys first). */
    public static Map<String, String> merge(Map<String, String> base, Map<String, String> overrides) {
        if (overrides.isEmpty()) {
            return copy(base);
        }
        Map<String, String> out = new LinkedHashMap<>(base);
        out.putAll(overrides);
        return copy(out);
    }
}
