package dev.steward.rag.load;

import dev.steward.rag.DocumentRejectedException;
import java.util.List;
import java.util.Map;

/** Helpers shared by the loaders: fallback titles, text tidying and the "no text at all" rejection. */
final class Loading {
    private Loading() {}

    /** The file name without directories and extension, used when a document has no title of its own. */
    static String titleFromFileName(String fileName) {
        if (fileName == null || fileName.isBlank()) {
            return "Untitled";
        }
        String name = fileName.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        String stem = (dot > 0 ? name.substring(0, dot) : name).strip();
        return stem.isEmpty() ? "Untitled" : stem;
    }

    /**
     * Normalises extracted text: trims every line, collapses runs of spaces and tabs, keeps at most one blank line
     * between paragraphs (blank lines are the paragraph boundaries the chunker relies on).
     */
    static String tidy(String text) {
        String normalized = text.replace("\r\n", "\n").replace('\r', '\n').replace('\u00A0', ' ');
        StringBuilder out = new StringBuilder(normalized.length());
        boolean pendingBlank = false;
        for (String line : normalized.split("\n", -1)) {
            String clean = line.replaceAll("[ \\t\\x0B\\f]+", " ").strip();
            if (clean.isEmpty()) {
                pendingBlank = out.length() > 0;
                continue;
            }
            if (out.length() > 0) {
                out.append(pendingBlank ? "\n\n" : "\n");
            }
            out.append(clean);
            pendingBlank = false;
        }
        return out.toString();
    }

    static ParsedDocument requireText(String fileName, String title, List<Section> sections) {
        return requireText(fileName, title, sections, Map.of(), List.of());
    }

    static ParsedDocument requireText(
            String fileName, String title, List<Section> sections, Map<String, String> metadata, List<String> warnings) {
        if (sections.isEmpty()) {
            throw new DocumentRejectedException("empty_document", "'" + fileName + "' contains no text to index");
        }
        String resolved = title == null || title.isBlank() ? titleFromFileName(fileName) : title.strip();
        return new ParsedDocument(resolved, sections, metadata, warnings);
    }

    /** The rejection for content that is not the format its name claims, or is damaged. */
    static DocumentRejectedException unreadable(String fileName, String why, Throwable cause) {
        return new DocumentRejectedException("unreadable_document", "'" + fileName + "' " + why, cause);
    }
}
