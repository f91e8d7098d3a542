package dev.steward.rag.load;

import dev.steward.rag.DocumentRejectedException;

/**
 * Turns the bytes of one file format into a {@link ParsedDocument}.
 *
 * <p>Implementations are stateless and thread-safe. They never return a document without text: content that
 * cannot be read throws {@link DocumentRejectedException} with code {@code unreadable_document}, content without
 * any text throws it with {@code empty_document}.
 */
public interface DocumentLoader {

    /**
     * @param fileName the original file name, used for the fallback title and in error messages
     * @param content the raw bytes, not null
     */
    ParsedDocument load(String fileName, byte[] content);
}
