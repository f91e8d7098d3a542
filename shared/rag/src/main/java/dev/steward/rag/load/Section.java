package dev.steward.rag.load;

import java.util.Map;
import java.util.Objects;

/**
 * One structural unit of a document: the text under a heading, or one record of an export (a ticket, a note, an
 * e-mail in a mailbox).
 *
 * @param heading the heading path that introduces the text (e.g. {@code "Install > Linux"}); empty for text that
 *     precedes any heading, never null
 * @param text the plain text of the section, never blank
 * @param metadata what is known about this section alone (an e-mail's sender, a ticket's customer), in source order;
 *     never null, no blank keys or values; it overrides the document's metadata for the chunks of this section
 */
public record Section(String heading, String text, Map<String, String> metadata) {
    public Section {
        heading = heading == null ? "" : heading.strip();
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            throw new IllegalArgumentException("section text is blank");
        }
        metadata = Metadata.copy(metadata);
    }

    public Section(String heading, String text) {
        this(heading, text, Map.of());
    }
}
