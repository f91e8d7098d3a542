package dev.steward.rag;

import java.util.List;

/**
 * What indexing one document produced: its title, how many chunks, and what the loader skipped with a reason (a CSV
 * row it could not read, an attachment of an unsupported type).
 */
public record IngestResult(String title, int chunks, List<String> warnings) {
    public IngestResult {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }
}
