package dev.steward.rag.load;

import dev.steward.core.knowledge.RecordMapping;
import java.util.Optional;

/**
 * How to read an upload beyond what its file name says.
 *
 * @param mapping the field mapping for CSV and JSON exports; empty to recognise common column names
 *     ({@link RecordMapping#detect}); ignored by other formats
 */
public record LoadOptions(Optional<RecordMapping> mapping) {
    public static final LoadOptions DEFAULTS = new LoadOptions(Optional.empty());

    public LoadOptions {
        mapping = mapping == null ? Optional.empty() : mapping;
    }

    public static LoadOptions withMapping(RecordMapping mapping) {
        return new LoadOptions(Optional.of(mapping));
    }
}
