package dev.steward.rag.load;

import java.util.List;
import java.util.Objects;

/**
 * A document reduced to what retrieval needs: a title and its sections in reading order.
 *
 * @param title a human-readable title (from the document itself, else its file name), never blank
 * @param sections at least one section; each has non-blank text
 */
public record ParsedDocument(String title, List<Section> sections) {
    public ParsedDocument {
        Objects.requireNonNull(title, "title");
        if (title.isBlank()) {
            throw new IllegalArgumentException("title is blank");
        }
        sections = List.copyOf(sections);
        if (sections.isEmpty()) {
            throw new IllegalArgumentException("a parsed document has at least one section");
        }
    }
}
