package dev.steward.connectors.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.connectors.SideEffect;
import dev.steward.connectors.ToolResult;
import dev.steward.connectors.ToolSpec;
import dev.steward.connectors.http.ExternalHttpRead;
import dev.steward.core.json.Json;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code calendar_find_free_time}: when the connected calendar, and the attendees' calendars where Google shows them, are
 * free, through the Calendar API's {@code POST /freeBusy} ({@code {"timeMin", "timeMax", "items": [{"id"}]}}, answered
 * {@code {"calendars": {"<id>": {"busy": [{"start", "end"}], "errors": [{"domain", "reason"}]}}}}).
 *
 * <p>The window ({@code from}, {@code to}) is checked before anything is sent: {@code to} after {@code from}, at most
 * {@value #MAX_DAYS} days apart (Google's own limit on a freeBusy query is about two months; a month keeps the answer
 * small enough for a model's context). A calendar Google does not show (an attendee outside the account's organisation
 * who has not shared it: {@code notFound}) is reported with its errors and left out of the free time, which then says so.
 * Free periods ({@link FreeSlots}) are those of the window that last at least {@code duration_minutes} (default
 * {@value #DEFAULT_MINUTES}), at most {@value #MAX_FREE}; times are shown at {@code from}'s offset, so the model reads
 * them in the time zone it asked in.
 */
final class FindFreeTime {
    static final String NAME = "calendar_find_free_time";
    static final int MAX_DAYS = 31;
    static final int DEFAULT_MINUTES = 30;
    static final int MAX_FREE = 50;
    static final int MAX_BUSY_SHOWN = 100;
    /** Always with seconds, so a time shown can go back as an argument of {@code calendar_create_event} as it is. */
    private static final java.time.format.DateTimeFormatter RFC3339 = java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    static final ToolSpec SPEC = new ToolSpec(NAME,
            "Find free time in the connected Google Calendar, and in the attendees' calendars where Google shows them: the "
                    + "busy times of each calendar and the free periods of the window that are at least duration_minutes long.",
            Json.tree("""
                    {
                      "type": "object",
                      "additionalProperties": false,
                      "required": ["from", "to"],
                      "properties": {
                        "from": {"type": "string", "format": "date-time", "description": "Start of the window, with an offset, e.g. 2026-05-04T09:00:00+02:00."},
                        "to": {"type": "string", "format": "date-time", "description": "End of the window, at most 31 days after from."},
                        "attendees": {
                          "type": "array", "maxItems": 20, "uniqueItems": true,
                          "description": "Email addresses of people whose calendars to check as well.",
                          "items": {"type": "string", "format": "email", "maxLength": 254}
                        },
                        "duration_minutes": {"type": "integer", "minimum": 5, "maximum": 480, "description": "Length of the meeting; default 30."}
                      }
                    }
                    """),
            SideEffect.READ);

    private final GoogleTokens tokens;
    private final URI calendarRoot;

    FindFreeTime(GoogleTokens tokens, URI calendarRoot) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.calendarRoot = Objects.requireNonNull(calendarRoot, "calendarRoot");
    }

    ToolResult read(CalendarConnection connection, JsonNode arguments, ExternalHttpRead http) {
        List<String> violations = DateTimes.spanViolations(arguments, "from", "to", Duration.ofDays(MAX_DAYS),
                "the window is at most " + MAX_DAYS + " days long");
        if (!violations.isEmpty()) {
            return ToolResult.invalidArguments(violations);
        }
        return switch (tokens.accessToken(connection)) {
            case GoogleTokens.Grant.Refused refused -> refused.failure();
            case GoogleTokens.Grant.Granted granted -> query(connection, arguments, DateTimes.of(arguments, "from"),
                    DateTimes.of(arguments, "to"), granted.accessToken(), http);
        };
    }

    private ToolResult query(CalendarConnection connection, JsonNode arguments, OffsetDateTime from, OffsetDateTime to, String accessToken,
            ExternalHttpRead http) {
        Set<String> ids = new LinkedHashSet<>();
        ids.add(connection.calendarId());
        arguments.path("attendees").forEach(a -> ids.add(a.asText()));
        ObjectNode body = Json.object().put("timeMin", from.toInstant().toString()).put("timeMax", to.toInstant().toString());
        ArrayNode items = body.putArray("items");
        ids.forEach(id -> items.addObject().put("id", id));
        ToolResult answered = tokens.forgetIfRefused(connection,
                http.fetch(CalendarConnection.account(calendarRoot, accessToken).request("POST", "/freeBusy", body)));
        if (!(answered instanceof ToolResult.Success success)) {
            return answered;
        }
        Duration length = Duration.ofMinutes(arguments.path("duration_minutes").asInt(DEFAULT_MINUTES));
        return new ToolResult.Success(observation(ids, success.output().path("calendars"), from, to, length), false);
    }

    /** Each calendar's busy times or errors, and the free periods over the calendars Google showed. */
    static ObjectNode observation(Set<String> ids, JsonNode calendars, OffsetDateTime from, OffsetDateTime to, Duration length) {
        ZoneOffset offset = from.getOffset();
        ObjectNode out = Json.object().put("from", RFC3339.format(from)).put("to", RFC3339.format(to))
                .put("duration_minutes", (int) length.toMinutes());
        ArrayNode shown = out.putArray("calendars");
        List<FreeSlots.Interval> busy = new ArrayList<>();
        List<String> unseen = new ArrayList<>();
        for (String id : ids) {
            JsonNode calendar = calendars.path(id);
            ObjectNode c = shown.addObject().put("id", id);
            List<String> errors = new ArrayList<>();
            calendar.path("errors").forEach(e -> errors.add(e.path("reason").asText("unknown")));
            if (calendar.isMissingNode()) {
                errors.add("notReturned");
            }
            if (!errors.isEmpty()) {
                c.set("errors", Json.mapper().valueToTree(errors));
                unseen.add(id);
                continue;
            }
            List<FreeSlots.Interval> own = new ArrayList<>();
            for (JsonNode b : calendar.path("busy")) {
                try {
                    own.add(new FreeSlots.Interval(OffsetDateTime.parse(b.path("start").asText()).toInstant(),
                            OffsetDateTime.parse(b.path("end").asText()).toInstant()));
                } catch (java.time.format.DateTimeParseException unreadable) {
                    errors.add("unreadableBusyTime");
                }
            }
            if (!errors.isEmpty()) {
                c.set("errors", Json.mapper().valueToTree(errors));
                unseen.add(id);
                continue;
            }
            List<FreeSlots.Interval> merged = FreeSlots.merged(from.toInstant(), to.toInstant(), own);
            c.set("busy", intervals(merged.subList(0, Math.min(merged.size(), MAX_BUSY_SHOWN)), offset));
            if (merged.size() > MAX_BUSY_SHOWN) {
                c.put("busyNotShown", merged.size() - MAX_BUSY_SHOWN);
            }
            busy.addAll(own);
        }
        out.set("free", intervals(FreeSlots.free(from.toInstant(), to.toInstant(), busy, length, MAX_FREE), offset));
        if (!unseen.isEmpty()) {
            out.put("note", "Google did not show the busy times of " + String.join(", ", unseen)
                    + ", so the free periods leave them out: they may be busy then.");
        }
        return out;
    }

    private static ArrayNode intervals(List<FreeSlots.Interval> list, ZoneOffset offset) {
        ArrayNode out = Json.mapper().createArrayNode();
        for (FreeSlots.Interval i : list) {
            out.addObject().put("start", RFC3339.format(i.start().atOffset(offset))).put("end", RFC3339.format(i.end().atOffset(offset)));
        }
        return out;
    }
}
