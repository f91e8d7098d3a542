package dev.steward.core.knowledge;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which chunks a retrieval may return, by their metadata ({@link RetrievedChunk#metadata()}: source, author, created,
 * a record's mapped fields such as customer or ticket id): a conjunction of {@link Clause clauses}, each on one
 * metadata field. Backends apply it inside both searches (never to the results), so a filter that only rare chunks
 * pass still yields the best {@code topK} of those. {@link #NONE} (no clause) restricts nothing.
 *
 * <p>Matching: {@link AnyOf} compares exactly (case and all) with the stored value, which loaders strip of surrounding
 * white space; values longer than {@link #MAX_VALUE_CHARS} are not filterable. {@link TimeRange} matches a chunk whose
 * field holds a point in time ({@link #parseTime}) within the range. A field no chunk has matches nothing: metadata
 * fields are open-ended (an export's own columns), so an unknown field is not an error but an empty result.
 *
 * <p>JSON form (agent templates, {@code POST /v1/runs}): an object of field to a value, a list of values (any of
 * them), or {@code {"from": t, "to": t}} (either may be left out; both inclusive; a date-only {@code to} takes in
 * that whole day), e.g. {@code {"customer": "Acme", "status": ["open", "pending"], "created": {"from": "2024-01-01"}}}.
 * A list of such objects means all of them; it is how a filter naming a field twice (from {@link #and}) is written.
 *
 * @param clauses all must hold; a field may appear in several
 */
public record RetrievalFilter(List<Clause> clauses) {
    /** Restricts nothing: retrieval as without a filter. */
    public static final RetrievalFilter NONE = new RetrievalFilter(List.of());
    public static final int MAX_FIELD_CHARS = 128;
    public static final int MAX_VALUE_CHARS = 256;
    public static final int MAX_VALUES = 100;
    public static final int MAX_CLAUSES = 20;
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    private static final Pattern DATE_SPACE_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d.*");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    public RetrievalFilter {
        clauses = List.copyOf(clauses);
        if (clauses.size() > MAX_CLAUSES) {
            throw new IllegalArgumentException("a filter has at most " + MAX_CLAUSES + " conditions, got " + clauses.size());
        }
    }

    /** One condition on one metadata field. */
    public sealed interface Clause permits AnyOf, TimeRange {
        String field();
    }

    /**
     * The field holds one of the values.
     *
     * @param values distinct, non-blank, stripped, at most {@link #MAX_VALUES}
     */
    public record AnyOf(String field, List<String> values) implements Clause {
        public AnyOf {
            field = checkField(field);
            if (values == null || values.isEmpty()) {
                throw new IllegalArgumentException("filter field '" + field + "' needs at least one value");
            }
            if (values.size() > MAX_VALUES) {
                throw new IllegalArgumentException("filter field '" + field + "' has " + values.size()
                        + " values; at most " + MAX_VALUES);
            }
            Set<String> distinct = new LinkedHashSet<>();
            for (String v : values) {
                if (v == null || v.isBlank()) {
                    throw new IllegalArgumentException("filter field '" + field + "' has a blank value");
                }
                String value = v.strip();
                if (value.length() > MAX_VALUE_CHARS) {
                    throw new IllegalArgumentException("filter field '" + field + "' has a value of " + value.length()
                            + " characters; values longer than " + MAX_VALUE_CHARS + " are not filterable");
                }
                distinct.add(value);
            }
            values = List.copyOf(distinct);
        }
    }

    /**
     * The field holds a point in time within {@code [from, to]}.
     *
     * @param from inclusive, or null for no lower bound
     * @param to inclusive, or null for no upper bound; not both null, not before {@code from}
     */
    public record TimeRange(String field, Instant from, Instant to) implements Clause {
        public TimeRange {
            field = checkField(field);
            if (from == null && to == null) {
                throw new IllegalArgumentException("filter field '" + field + "' needs 'from', 'to' or both");
            }
            if (from != null && to != null && to.isBefore(from)) {
                throw new IllegalArgumentException("filter field '" + field + "' has 'to' " + to + " before 'from' " + from);
            }
            for (Instant bound : new Instant[] {from, to}) {
                if (bound != null && (bound.isBefore(MIN_TIME) || bound.isAfter(MAX_TIME))) {
                    throw new IllegalArgumentException("filter field '" + field + "' has a time outside years 0000-9999: " + bound);
                }
            }
        }
    }

    /** Times a filter can name: four-digit years, so that their fixed-width text form sorts in time order. */
    public static final Instant MIN_TIME = Instant.parse("0000-01-01T00:00:00Z");
    public static final Instant MAX_TIME = Instant.parse("9999-12-31T23:59:59.999999999Z");

    public static RetrievalFilter of(Clause... clauses) {
        return new RetrievalFilter(List.of(clauses));
    }

    /** Only chunks whose {@code field} is one of {@code values}. */
    public static RetrievalFilter anyOf(String field, String... values) {
        return of(new AnyOf(field, List.of(values)));
    }

    public boolean isEmpty() {
        return clauses.isEmpty();
    }

    /** Chunks that pass this filter and {@code other}. */
    public RetrievalFilter and(RetrievalFilter other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        List<Clause> both = new ArrayList<>(clauses);
        both.addAll(other.clauses);
        return new RetrievalFilter(both);
    }

    /**
     * Reads the JSON form (class documentation); null or JSON null is {@link #NONE}.
     *
     * @throws IllegalArgumentException naming the field and the problem
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static RetrievalFilter fromJson(JsonNode json) {
        if (json == null || json.isNull() || json.isMissingNode()) {
            return NONE;
        }
        if (json.isArray()) {
            RetrievalFilter all = NONE;
            for (JsonNode part : json) {
                if (!part.isObject()) {
                    throw new IllegalArgumentException("a filter list must hold filter objects, found " + part);
                }
                all = all.and(fromJson(part));
            }
            return all;
        }
        if (!json.isObject()) {
            throw new IllegalArgumentException("a filter must be an object of field to value, list of values or"
                    + " {\"from\",\"to\"} range, found " + json);
        }
        List<Clause> clauses = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = json.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> e = fields.next();
            clauses.add(clause(e.getKey(), e.getValue()));
        }
        return new RetrievalFilter(clauses);
    }

    private static Clause clause(String field, JsonNode value) {
        if (value.isTextual() || value.isNumber() || value.isBoolean()) {
            return new AnyOf(field, List.of(value.asText()));
        }
        if (value.isArray()) {
            List<String> values = new ArrayList<>();
            for (JsonNode v : value) {
                if (!(v.isTextual() || v.isNumber() || v.isBoolean())) {
                    throw new IllegalArgumentException("filter field '" + checkField(field) + "' must list plain values, found " + v);
                }
                values.add(v.asText());
            }
            return new AnyOf(field, values);
        }
        if (value.isObject()) {
            for (Iterator<String> keys = value.fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                if (!key.equals("from") && !key.equals("to")) {
                    throw new IllegalArgumentException("filter field '" + checkField(field) + "' has an unknown key '" + key
                            + "'; a range has 'from' and 'to'");
                }
            }
            return new TimeRange(field, bound(field, value.get("from"), false), bound(field, value.get("to"), true));
        }
        throw new IllegalArgumentException("filter field '" + checkField(field)
                + "' must be a value, a list of values or a {\"from\",\"to\"} range, found " + value);
    }

    private static Instant bound(String field, JsonNode node, boolean upper) {
        if (node == null || node.isNull()) {
            return null;
        }
        String text = node.isTextual() ? node.asText().strip() : "";
        Optional<Instant> at = upper ? parseUpperBound(text) : parseTime(text);
        return at.orElseThrow(() -> new IllegalArgumentException("filter field '" + checkField(field) + "' has '"
                + (upper ? "to" : "from") + "' " + node + ", which is not an ISO-8601 date or date-time"
                + " (2024-03-01, 2024-03-01T09:30:00Z)"));
    }

    /** The JSON form {@link #fromJson} reads: an object, or a list of one-field objects when a field repeats. */
    @JsonValue
    public JsonNode toJson() {
        Set<String> seen = new HashSet<>();
        boolean repeats = clauses.stream().anyMatch(c -> !seen.add(c.field()));
        if (!repeats) {
            ObjectNode out = NODES.objectNode();
            clauses.forEach(c -> out.set(c.field(), json(c)));
            return out;
        }
        ArrayNode out = NODES.arrayNode();
        clauses.forEach(c -> out.addObject().set(c.field(), json(c)));
        return out;
    }

    private static JsonNode json(Clause clause) {
        return switch (clause) {
            case AnyOf a when a.values().size() == 1 -> NODES.textNode(a.values().getFirst());
            case AnyOf a -> {
                ArrayNode values = NODES.arrayNode();
                a.values().forEach(values::add);
                yield values;
            }
            case TimeRange r -> {
                ObjectNode range = NODES.objectNode();
                if (r.from() != null) {
                    range.put("from", r.from().toString());
                }
                if (r.to() != null) {
                    range.put("to", r.to().toString());
                }
                yield range;
            }
        };
    }

    /**
     * A metadata value or filter bound as a point in time: an ISO-8601 instant or date-time with offset
     * ({@code 2024-03-01T09:30:00Z}, {@code ...+02:00}), a local date-time taken as UTC ({@code 2024-03-01T09:30},
     * also with a space for the {@code T}, as spreadsheets write it), or a date (its start, UTC); empty otherwise.
     */
    public static Optional<Instant> parseTime(String text) {
        return parse(text, false);
    }

    /** As {@link #parseTime}, but a date alone means the last instant of that day (an inclusive upper bound). */
    static Optional<Instant> parseUpperBound(String text) {
        return parse(text, true);
    }

    private static Optional<Instant> parse(String text, boolean endOfDay) {
        if (text == null || text.length() < 10 || text.length() > 40) {
            return Optional.empty();
        }
        String iso = DATE_SPACE_TIME.matcher(text).matches() ? text.replaceFirst(" ", "T") : text;
        try {
            if (iso.length() == 10) {
                LocalDate day = LocalDate.parse(iso);
                return Optional.of(endOfDay ? day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).minusNanos(1)
                        : day.atStartOfDay().toInstant(ZoneOffset.UTC));
            }
            char last = iso.charAt(iso.length() - 1);
            boolean zoned = last == 'Z' || last == 'z' || iso.lastIndexOf('+') > 10 || iso.lastIndexOf('-') > 10;
            Instant at = zoned ? OffsetDateTime.parse(iso).toInstant() : LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
            return at.isBefore(MIN_TIME) || at.isAfter(MAX_TIME) ? Optional.empty() : Optional.of(at);
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static String checkField(String field) {
        if (field == null || field.isBlank()) {
            throw new IllegalArgumentException("a filter field name must not be blank");
        }
        field = field.strip();
        if (field.length() > MAX_FIELD_CHARS) {
            throw new IllegalArgumentException("filter field '" + field.substring(0, 40) + "...' is longer than "
                    + MAX_FIELD_CHARS + " characters");
        }
        if (CONTROL.matcher(field).find()) {
            throw new IllegalArgumentException("filter field '" + field.replaceAll("\\p{Cntrl}", "?")
                    + "' contains a control character");
        }
        return field;
    }

    /** Whether {@code field} could name a filterable metadata field (what {@link Clause} constructors accept). */
    public static boolean isFilterableField(String field) {
        return field != null && !field.isBlank() && field.length() <= MAX_FIELD_CHARS && !CONTROL.matcher(field).find();
    }

    /** Whether a metadata value can be matched by {@link AnyOf} (not longer than {@link #MAX_VALUE_CHARS}). */
    public static boolean isFilterableValue(String value) {
        return value != null && !value.isBlank() && value.strip().length() <= MAX_VALUE_CHARS;
    }
}
