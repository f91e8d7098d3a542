package dev.steward.rag.load;

import dev.steward.core.knowledge.RecordMapping;
import dev.steward.rag.DocumentRejectedException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the records of a CSV or JSON export into sections: one section per record, headed by its id and title, its
 * text the record's metadata as {@code "field: value"} lines followed by its text fields (labelled by field name when
 * there are several), its metadata the mapped fields plus {@code recordId} and where it was in the file. Records are
 * never merged. Not thread-safe; one per file.
 */
final class Records {
    /** A warning per skipped record is kept up to this many; the rest are counted. */
    static final int MAX_WARNINGS = 20;

    /** One record as read: where it starts (a line of a CSV or JSON Lines file, a position in a JSON array) and its fields. */
    record Row(String where, Map<String, String> fields) {}

    private final String fileName;
    private final List<String> problems = new ArrayList<>();
    private int skipped;

    Records(String fileName) {
        this.fileName = fileName;
    }

    /** Notes a record that could not be read (e.g. {@code "line 7: 2 fields, expected 4"}); it is not indexed. */
    void skip(String where, String why) {
        skipped++;
        if (problems.size() < MAX_WARNINGS) {
            problems.add(where + ": " + why);
        }
    }

    ParsedDocument toDocument(List<String> fields, List<Row> rows, RecordMapping requested) {
        RecordMapping mapping = requested == null ? RecordMapping.detect(fields) : resolve(requested, fields);
        List<Section> sections = new ArrayList<>(rows.size());
        for (Row row : rows) {
            Section section = toSection(row, mapping);
            if (section == null) {
                skip(row.where(), "no text in " + String.join(", ", mapping.text()));
            } else {
                sections.add(section);
            }
        }
        if (sections.isEmpty()) {
            if (skipped == 0) {
                throw new DocumentRejectedException("empty_document", "'" + fileName + "' has no records to index");
            }
            throw Loading.unreadable(fileName, "has no readable record: " + String.join("; ", problems), null);
        }
        return Loading.requireText(fileName, null, sections, Map.of(), warnings(sections.size()));
    }

    /**
     * Checks a requested mapping against the file's fields and fills in "every other field" for metadata.
     *
     * @throws DocumentRejectedException {@code invalid_mapping} naming the fields the file does not have
     */
    private RecordMapping resolve(RecordMapping mapping, List<String> fields) {
        List<String> missing = mapping.fields().stream().filter(f -> !fields.contains(f)).toList();
        if (!missing.isEmpty()) {
            throw new DocumentRejectedException("invalid_mapping", "'" + fileName + "' has no field " + String.join(", ", missing)
                    + " named by the mapping; its fields are: " + String.join(", ", fields));
        }
        if (mapping.metadata() != null) {
            return mapping;
        }
        return mapping.withMetadata(fields.stream().filter(f -> !mapping.fields().contains(f) && !f.isBlank()).distinct().toList());
    }

    private List<String> warnings(int indexed) {
        if (skipped == 0) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        out.add(skipped + " of " + (indexed + skipped) + " records were not indexed");
        out.addAll(problems);
        if (skipped > problems.size()) {
            out.add("... and " + (skipped - problems.size()) + " more");
        }
        return out;
    }

    private static Section toSection(Row row, RecordMapping mapping) {
        Map<String, String> fields = row.fields();
        String id = value(fields, mapping.id());
        String title = value(fields, mapping.title());
        Map<String, String> metadata = new LinkedHashMap<>();
        StringBuilder text = new StringBuilder();
        for (String field : mapping.metadata()) {
            String v = value(fields, field);
            if (v != null) {
                metadata.put(field, v);
                text.append(field).append(": ").append(oneLine(v)).append('\n');
            }
        }
        boolean labelled = mapping.text().size() > 1;
        boolean any = false;
        for (String field : mapping.text()) {
            String v = value(fields, field);
            if (v != null) {
                text.append('\n').append(labelled ? field + ": " : "").append(v).append('\n');
                any = true;
            }
        }
        if (!any) {
            if (title == null) {
                return null;
            }
            text.append('\n').append(title);
        }
        String heading = id != null && title != null ? id + ": " + title : id != null ? id : title != null ? title : "Record";
        Map<String, String> sectionMetadata = new LinkedHashMap<>();
        if (id != null) {
            sectionMetadata.put("recordId", id);
        }
        sectionMetadata.put("record", row.where());
        sectionMetadata.putAll(metadata);
        return new Section(heading, Loading.tidy(text.toString()), sectionMetadata);
    }

    private static String value(Map<String, String> fields, String field) {
        if (field == null) {
            return null;
        }
        String v = fields.get(field);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static String oneLine(String v) {
        return v.replaceAll("\\s+", " ");
    }
}
