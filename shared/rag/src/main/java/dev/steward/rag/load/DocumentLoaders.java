package dev.steward.rag.load;

import dev.steward.core.knowledge.DocumentFormat;
import dev.steward.rag.DocumentRejectedException;
import java.util.Objects;

/** Picks the loader for a file by its extension ({@link DocumentFormat}) and runs it. Thread-safe. */
public final class DocumentLoaders {
    private static final DocumentLoader TEXT = new TextLoader();
    private static final DocumentLoader MARKDOWN = new MarkdownLoader();
    private static final DocumentLoader HTML = new HtmlLoader();
    private static final DocumentLoader PDF = new PdfLoader();

    private DocumentLoaders() {}

    /**
     * Parses {@code content} according to the extension of {@code fileName}.
     *
     * @throws DocumentRejectedException {@code unsupported_type} for an unknown extension, otherwise whatever the
     *     format's loader throws ({@code empty_document}, {@code unreadable_document})
     */
    public static ParsedDocument load(String fileName, byte[] content) {
        Objects.requireNonNull(content, "content");
        DocumentFormat format = DocumentFormat.fromFileName(fileName)
                .orElseThrow(() -> new DocumentRejectedException(
                        "unsupported_type",
                        "'" + fileName + "' has an unsupported file type '" + DocumentFormat.extensionOf(fileName)
                                + "'; supported: " + DocumentFormat.supportedList()));
        return forFormat(format).load(fileName, content);
    }

    public static DocumentLoader forFormat(DocumentFormat format) {
        return switch (format) {
            case TEXT -> TEXT;
            case MARKDOWN -> MARKDOWN;
            case HTML -> HTML;
            case PDF -> PDF;
        };
    }
}
