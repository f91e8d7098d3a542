package dev.steward.connectors.google;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The calendar tools' date-times: RFC 3339 with an offset ({@code 2026-05-04T09:00:00+02:00} or {@code ...Z}), which is
 * what the schemas' {@code date-time} format admits and what Google takes. Parsed case-insensitively, as RFC 3339
 * allows a lower-case {@code t} and {@code z}.
 */
final class DateTimes {
    private static final DateTimeFormatter RFC3339 = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_OFFSET_DATE_TIME).toFormatter();

    private DateTimes() {}

    /** The argument {@code field}, or a violation naming it and what it holds. */
    static Parsed parse(JsonNode arguments, String field) {
        String text = arguments.path(field).asText("");
        try {
            return new Parsed(Optional.of(OffsetDateTime.parse(text, RFC3339)), null);
        } catch (DateTimeParseException e) {
            return new Parsed(Optional.empty(), field + ": '" + text + "' is not a date-time with an offset, e.g. 2026-05-04T09:00:00+02:00");
        }
    }

    /** A parsed date-time, or why it could not be. */
    record Parsed(Optional<OffsetDateTime> value, String violation) {}

    /**
     * What is wrong with the arguments {@code first} and {@code second} as a span: each a date-time with an offset,
     * {@code second} after {@code first} and at most {@code longest} later ({@code tooLong} says so otherwise); empty
     * when they are a good span.
     */
    static List<String> spanViolations(JsonNode arguments, String first, String second, Duration longest, String tooLong) {
        List<String> violations = new ArrayList<>();
        Parsed start = parse(arguments, first);
        Parsed end = parse(arguments, second);
        for (Parsed p : List.of(start, end)) {
            if (p.violation() != null) {
                violations.add(p.violation());
            }
        }
        if (violations.isEmpty()) {
            Duration length = Duration.between(start.value().orElseThrow().toInstant(), end.value().orElseThrow().toInstant());
            if (length.isNegative() || length.isZero()) {
                violations.add(second + ": must be after " + first);
            } else if (length.compareTo(longest) > 0) {
                violations.add(second + ": " + tooLong);
            }
        }
        return violations;
    }

    /** The argument {@code field}, which {@link #spanViolations} found good. */
    static OffsetDateTime of(JsonNode arguments, String field) {
        return parse(arguments, field).value().orElseThrow(() -> new IllegalStateException(field + " was not checked"));
    }
}
