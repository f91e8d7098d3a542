package dev.steward.rag.load;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A document reduced to what retrieval needs: a title, its sections in reading order, what is known about it, and
 * what the loader had to skip.
 *
 * @param title a human-readable title (from the document itself, else its file name), never blank
 * @param sections at least one section; each has non-blank text
 * @param metadata document-level metadata ({@link Metadata#SOURCE}, {@link Metadata#AUTHOR}, timestamps), never null
 * @param warnings parts of the input that were not indexed and why (e.g. {@code "line 7: 2 fields, expected 4"});
 *     empty when everything was read, never null
 */
public record ParsedDocument(String title, List<Section> sections, Map<String, String> metadata, List<String> warnings) {
    public ParsedDocument {
        Objects.requireNonNull(title, "title");
        if (title.isBlank()) {
            throw new IllegalArgumentException("title is blank");
        }
        sections = List.copyOf(sections);
        if (sections.isEmpty()) {
            throw new IllegalArgumentException("a parsed document has at least one section");
        }
        metadata = Metadata.copy(metadata);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    public ParsedDocument(String title, List<Section> sections) {
        this(title, sections, Map.of(), List.of());
    }

    /** This document with {@code extra} metadata added (existing keys keep their value). */
    public ParsedDocument withMetadata(Map<String, String> extra) {
        return new ParsedDocument(title, sections, Metadata.merge(extra, metadata), warnings);
    }
}
