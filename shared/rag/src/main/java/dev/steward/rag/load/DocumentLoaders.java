package dev.steward.rag.load;

import dev.steward.core.knowledge.DocumentFormat;
import dev.steward.rag.DocumentRejectedException;
import dev.steward.rag.SourceDocument;
import java.util.Map;
import java.util.Objects;

/**
 * Picks the loader for a file by its extension ({@link DocumentFormat}) and runs it. Every parsed document carries
 * its file name as {@link Metadata#SOURCE}. Thread-safe.
 */
public final class DocumentLoaders {
    private static final DocumentLoader TEXT = new TextLoader();
    private static final DocumentLoader MARKDOWN = new MarkdownLoader();
    private static final DocumentLoader HTML = new HtmlLoader();
    private static final DocumentLoader PDF = new PdfLoader();
    private static final DocumentLoader DOCX = new DocxLoader();
    private static final DocumentLoader EMAIL = new EmailLoader();
    private static final DocumentLoader MBOX = new MboxLoader();
    private static final DocumentLoader CSV = new CsvLoader(null);
    private static final DocumentLoader JSON = new JsonRecordsLoader(null);

    private DocumentLoaders() {}

    /**
     * Parses {@code content} according to the extension of {@code fileName}.
     *
     * @throws DocumentRejectedException {@code unsupported_type} for an unknown extension, otherwise whatever the
     *     format's loader throws ({@code empty_document}, {@code unreadable_document})
     */
    public static ParsedDocument load(String fileName, byte[] content) {
        return load(fileName, content, LoadOptions.DEFAULTS);
    }

    /** As {@link #load(String, byte[])}, reading CSV and JSON exports with the options' mapping. */
    public static ParsedDocument load(String fileName, byte[] content, LoadOptions options) {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(options, "options");
        DocumentFormat format = DocumentFormat.fromFileName(fileName)
                .orElseThrow(() -> new DocumentRejectedException(
                        "unsupported_type",
                        "'" + fileName + "' has an unsupported file type '" + DocumentFormat.extensionOf(fileName)
                                + "'; supported: " + DocumentFormat.supportedList()));
        DocumentLoader loader = options.mapping()
                .<DocumentLoader>map(m -> switch (format) {
                    case CSV -> new CsvLoader(m);
                    case JSON -> new JsonRecordsLoader(m);
                    default -> forFormat(format);
                })
                .orElseGet(() -> forFormat(format));
        return loader.load(fileName, content).withMetadata(Map.of(Metadata.SOURCE, fileName));
    }

    /** As {@link #load(String, byte[], LoadOptions)} for a batch entry. */
    public static ParsedDocument load(SourceDocument source) {
        return load(source.fileName(), source.content(), source.options());
    }

    /** The loader of a format, with default options. */
    public static DocumentLoader forFormat(DocumentFormat format) {
        return switch (format) {
            case TEXT -> TEXT;
            case MARKDOWN -> MARKDOWN;
            case HTML -> HTML;
            case PDF -> PDF;
            case DOCX -> DOCX;
            case EMAIL -> EMAIL;
            case MBOX -> MBOX;
            case CSV -> CSV;
            case JSON -> JSON;
        };
    }
}
