package dev.steward.core.knowledge;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** File types a loader reads, recognised by file-name extension. */
public enum DocumentFormat {
    TEXT("txt", "text"),
    MARKDOWN("md", "markdown"),
    HTML("html", "htm"),
    PDF("pdf"),
    DOCX("docx"),
    EMAIL("eml"),
    MBOX("mbox"),
    CSV("csv"),
    /** A JSON array of records, an object holding one, or JSON Lines (one record per line). */
    JSON("json", "jsonl", "ndjson");

    private final String[] extensions;

    DocumentFormat(String... extensions) {
        this.extensions = extensions;
    }

    public static Optional<DocumentFormat> fromFileName(String fileName) {
        String ext = extensionOf(fileName);
        return Arrays.stream(values())
                .filter(f -> Arrays.asList(f.extensions).contains(ext))
                .findFirst();
    }

    public static String extensionOf(String fileName) {
        if (fileName == null) {
            return "";
        }
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** The supported extensions, for error messages. */
    public static String supportedList() {
        return Arrays.stream(values()).map(f -> f.extensions[0]).collect(Collectors.joining(", "));
    }
}
