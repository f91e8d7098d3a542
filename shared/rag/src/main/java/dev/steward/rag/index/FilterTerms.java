package dev.steward.rag.index;

import dev.steward.core.knowledge.RetrievalFilter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a chunk's metadata is indexed so that a {@link RetrievalFilter} can run inside a search, the same on every
 * backend: two multi-valued keyword fields, {@link #VALUES} with one {@code field + US + value} term per filterable
 * metadata entry, and {@link #TIMES} with one {@code field + US + time} term per entry whose value is a point in time,
 * the time written with fixed width ({@code 2024-03-01T09:30:00.000000000Z}) so that term order is time order and a
 * time range is a term range. US (U+001F) cannot occur in a field name ({@link RetrievalFilter} refuses control
 * characters), so a term names its field unambiguously and one field's terms are one contiguous term range. Two
 * fields for all keys, rather than a field per key, keep the index mapping fixed however many columns exports bring.
 */
public final class FilterTerms {
    /** Keyword field of {@code field US value} terms. */
    public static final String VALUES = "filter_values";
    /** Keyword field of {@code field US fixed-width-UTC-time} terms. */
    public static final String TIMES = "filter_times";
    private static final char SEPARATOR = '\u001f';
    /** The character after {@link #SEPARATOR}: {@code field + it} is above every term of {@code field}. */
    private static final char AFTER_SEPARATOR = SEPARATOR + 1;
    private static final DateTimeFormatter FIXED_WIDTH =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private FilterTerms() {}

    /** A range of terms of one field: {@code lower} inclusive, {@code upper} inclusive or not. */
    public record TermRange(String lower, String upper, boolean upperInclusive) {}

    /** The {@link #VALUES} terms of a chunk's metadata; entries a filter could not name or match are left out. */
    public static List<String> values(Map<String, String> metadata) {
        List<String> out = new ArrayList<>(metadata.size());
        metadata.forEach((field, value) -> {
            if (RetrievalFilter.isFilterableField(field) && RetrievalFilter.isFilterableValue(value)) {
                out.add(value(field, value.strip()));
            }
        });
        return out;
    }

    /** The {@link #TIMES} terms of a chunk's metadata: one per entry that {@link RetrievalFilter#parseTime} reads. */
    public static List<String> times(Map<String, String> metadata) {
        List<String> out = new ArrayList<>();
        metadata.forEach((field, value) -> {
            if (RetrievalFilter.isFilterableField(field)) {
                Optional<Instant> at = RetrievalFilter.parseTime(value.strip());
                at.ifPresent(t -> out.add(field + SEPARATOR + FIXED_WIDTH.format(t)));
            }
        });
        return out;
    }

    /** The {@link #VALUES} terms an {@link RetrievalFilter.AnyOf} matches, one of which a chunk must have. */
    public static List<String> terms(RetrievalFilter.AnyOf clause) {
        return clause.values().stream().map(v -> value(clause.field(), v)).toList();
    }

    /** The {@link #TIMES} terms a {@link RetrievalFilter.TimeRange} matches. */
    public static TermRange range(RetrievalFilter.TimeRange clause) {
        String prefix = clause.field() + SEPARATOR;
        String lower = clause.from() == null ? prefix : prefix + FIXED_WIDTH.format(clause.from());
        return clause.to() == null
                ? new TermRange(lower, clause.field() + AFTER_SEPARATOR, false)
                : new TermRange(lower, prefix + FIXED_WIDTH.format(clause.to()), true);
    }

    private static String value(String field, String value) {
        return field + SEPARATOR + value;
    }
}
