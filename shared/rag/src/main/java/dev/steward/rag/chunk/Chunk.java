package dev.steward.rag.chunk;

import dev.steward.core.knowledge.DocumentId;
import dev.steward.rag.load.Metadata;
import java.util.Map;
import java.util.Objects;

/**
 * A retrievable piece of one document: text from a single section (or a few tiny adjacent ones), with the title
 * and heading it sits under.
 *
 * @param documentId the document it comes from
 * @param ordinal position in the document, 0-based and contiguous
 * @param title the document title, never null
 * @param section the heading path of its section, empty when none, never null
 * @param text the chunk's text, never blank
 * @param metadata the document's metadata overlaid with its section's ({@link Metadata} keys such as source, author,
 *     timestamps, and a record's or e-mail's own fields), never null
 */
public record Chunk(DocumentId documentId, int ordinal, String title, String section, String text, Map<String, String> metadata) {
    /** A heading longer than this is cut in the text given to the embedder; it is metadata, the text is not. */
    static final int MAX_HEADER_CHARS = 200;

    public Chunk {
        Objects.requireNonNull(documentId, "documentId");
        if (ordinal < 0) {
            throw new IllegalArgumentException("ordinal < 0: " + ordinal);
        }
        title = title == null ? "" : title;
        section = section == null ? "" : section;
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            throw new IllegalArgumentException("chunk text is blank");
        }
        metadata = Metadata.copy(metadata);
    }

    public Chunk(DocumentId documentId, int ordinal, String title, String section, String text) {
        this(documentId, ordinal, title, section, text, Map.of());
    }

    /** Globally unique: {@code <documentId>#<ordinal>}. */
    public String chunkId() {
        return documentId.value() + "#" + ordinal;
    }

    /**
     * What the embedder sees: the title and heading on a first line, then the text. The heading line gives the
     * vector the context a reader gets from the page layout ("Refunds" under "Billing").
     */
    public String embeddingText() {
        return withHeader(title, section, text);
    }

    /**
     * A chunk's text as a model reads it, from its stored fields: the heading line of {@link #embeddingText()}, then
     * the text. The reranker reads retrieved chunks this way, so that it sees what the embedder saw.
     */
    public static String withHeader(String title, String section, String text) {
        String header = header(title, section);
        return header.isEmpty() ? text : header + "\n" + text;
    }

    static String header(String title, String section) {
        String header = title.isBlank() ? section : section.isBlank() ? title : title + " - " + section;
        header = header.strip();
        if (header.length() <= MAX_HEADER_CHARS) {
            return header;
        }
        int end = Character.isHighSurrogate(header.charAt(MAX_HEADER_CHARS - 1)) ? MAX_HEADER_CHARS - 1 : MAX_HEADER_CHARS;
        return header.substring(0, end);
    }
}
