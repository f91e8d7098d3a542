package dev.steward.rag.load;

import java.util.Objects;

/**
 * One structural unit of a document: the text under a heading.
 *
 * @param heading the heading path that introduces the text (e.g. {@code "Install > Linux"}); empty for text that
 *     precedes any heading, never null
 * @param text the plain text of the section, never blank
 */
public record Section(String heading, String text) {
    public Section {
        heading = heading == null ? "" : heading.strip();
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            throw new IllegalArgumentException("section text is blank");
        }
    }
}
