package dev.steward.guardrails.pii;

import java.util.List;
import java.util.Objects;

/**
 * The result of redacting one text: the redacted text and the entities that were replaced, with offsets into
 * the text as it was before the pass that replaced them.
 */
public record Redaction(String text, List<PiiEntity> entities) {
    public Redaction {
        Objects.requireNonNull(text, "text");
        entities = List.copyOf(entities);
    }

    public boolean changed() {
        return !entities.isEmpty();
    }
}
