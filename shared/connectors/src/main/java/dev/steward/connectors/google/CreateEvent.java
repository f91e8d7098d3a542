package dev.steward.connectors.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.connectors.Reconciliation;
import dev.steward.connectors.SideEffect;
import dev.steward.connectors.ToolContext;
import dev.steward.connectors.ToolResult;
import dev.steward.connectors.connection.Vendor;
import dev.steward.connectors.ToolSpec;
import dev.steward.connectors.http.ExternalHttpRead;
import dev.steward.connectors.http.ExternalHttpWrite;
import dev.steward.connectors.http.ReconcilingWriteTool;
import dev.steward.connectors.http.VendorAccount;
import dev.steward.connectors.http.VendorRequest;
import dev.steward.connectors.http.VendorWriteTool;
import dev.steward.core.json.Json;
import dev.steward.store.connection.ConnectionSettings;
import dev.steward.store.idempotency.PayloadHash;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code calendar_create_event}: creates an event in the connected calendar and invites the attendees, as the Calendar
 * API v3 documents it: {@code POST /calendars/{calendarId}/events?sendUpdates=all} with {@code id}, {@code summary},
 * {@code description}, {@code start}/{@code end} ({@code {"dateTime", "timeZone"}}) and {@code attendees}
 * ({@code [{"email"}]}); Google emails the invitations.
 *
 * <h2>Effectively once, with Google's help</h2>
 * Besides Steward's idempotency record, the event carries an id the client chose ({@link #eventId}: lower-case hex,
 * within the base32hex alphabet and length Google accepts), so Google itself refuses a second copy (409
 * {@code duplicate}). The id is derived from the call's tenant, run and model call id and its arguments, not from the
 * step that authorized it, so an approved re-run of a call in doubt (which runs under a new idempotency key) sends the
 * same id. A 409 reads {@code GET /calendars/{calendarId}/events/{id}}; when that event is this call's (same summary, start
 * and end), it is the call's outcome. The same read is the {@link dev.steward.connectors.Reconcilable} check for an
 * attempt whose answer was lost: the event there is {@link Reconciliation.Found}, a 404 is {@link Reconciliation.Absent}
 * (Google would have the event under this id had the attempt reached it), anything else {@link Reconciliation.Unknown}.
 *
 * <p>Checked before anything is sent: {@code start} and {@code end} are date-times with an offset, {@code end} after
 * {@code start} and at most {@value #MAX_HOURS} hours later, {@code time_zone} an IANA zone name.
 */
final class CreateEvent implements ReconcilingWriteTool.Check {
    static final String NAME = "calendar_create_event";
    static final int MAX_HOURS = 24;
    private static final String ID_DOMAIN = "steward.calendar-event.v1";

    static final ToolSpec SPEC = new ToolSpec(NAME,
            "Create an event in the connected Google Calendar and email invitations to its attendees. Each call creates at "
                    + "most one event, even if retried.",
            Json.tree("""
                    {
                      "type": "object",
                      "additionalProperties": false,
                      "required": ["summary", "start", "end"],
                      "properties": {
                        "summary": {"type": "string", "minLength": 1, "maxLength": 1024, "description": "The event's title."},
                        "description": {"type": "string", "maxLength": 8192, "description": "What the meeting is about, plain text."},
                        "start": {"type": "string", "format": "date-time", "description": "Start, with an offset, e.g. 2026-05-04T10:00:00+02:00."},
                        "end": {"type": "string", "format": "date-time", "description": "End, after start and at most 24 hours later."},
                        "attendees": {
                          "type": "array", "maxItems": 50, "uniqueItems": true,
                          "description": "Email addresses of the people to invite.",
                          "items": {"type": "string", "format": "email", "maxLength": 254}
                        },
                        "time_zone": {"type": "string", "maxLength": 64, "description": "IANA time zone the event is shown in, e.g. Europe/Berlin."}
                      }
                    }
                    """),
            SideEffect.EXTERNAL_WRITE);

    private final GoogleTokens tokens;
    private final URI calendarRoot;
    private final ExternalHttpRead read;
    private final ExternalHttpWrite write;

    CreateEvent(GoogleTokens tokens, URI calendarRoot, ExternalHttpWrite write, ExternalHttpRead read) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.calendarRoot = Objects.requireNonNull(calendarRoot, "calendarRoot");
        this.write = Objects.requireNonNull(write, "write");
        this.read = Objects.requireNonNull(read, "read");
    }

    /** {@link dev.steward.connectors.http.VendorWriteTool.Sending}: checks, an access token, then the effectively-once insert. */
    ToolResult send(ToolContext context, ConnectionSettings stored, JsonNode arguments, ExternalHttpWrite write) {
        List<String> violations = violations(arguments);
        if (!violations.isEmpty()) {
            return ToolResult.invalidArguments(violations);
        }
        CalendarConnection connection = VendorWriteTool.IncompleteConnection.reading(() -> CalendarConnection.of(stored));
        // A call already done replays without a token: a revoked grant does not hide what was booked.
        Optional<ToolResult> earlier = write.earlierAttempt(context, NAME, Vendor.GOOGLE_CALENDAR);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        return switch (tokens.accessToken(connection)) {
            case GoogleTokens.Grant.Refused refused -> refused.failure();
            case GoogleTokens.Grant.Granted granted -> {
                VendorAccount account = CalendarConnection.account(calendarRoot, granted.accessToken());
                String id = eventId(context, arguments);
                yield tokens.forgetIfRefused(connection, write.send(context, NAME, arguments, insert(account, connection, id, arguments),
                        answer -> outcome(arguments, answer), (request, conflict) -> duplicate(account, connection, id, arguments, conflict)));
            }
        };
    }

    @Override
    public Reconciliation look(ToolContext context, ConnectionSettings stored, JsonNode arguments, Instant since) {
        if (!violations(arguments).isEmpty()) {
            return new Reconciliation.Absent("the arguments cannot make an event (" + String.join("; ", violations(arguments))
                    + "), so no attempt of this call reached Google Calendar");
        }
        CalendarConnection connection = CalendarConnection.of(stored);
        if (!(tokens.accessToken(connection) instanceof GoogleTokens.Grant.Granted granted)) {
            return new Reconciliation.Unknown("Google refused this tenant's credentials, so the calendar could not be read; an admin "
                    + "must reconnect Google Calendar");
        }
        String id = eventId(context, arguments);
        ToolResult found = read.fetch(get(CalendarConnection.account(calendarRoot, granted.accessToken()), connection, id));
        if (found instanceof ToolResult.Success event) {
            return thisCall(event.output(), id, arguments)
                    ? new Reconciliation.Found(write.settle(context, NAME, arguments, outcome(arguments, event.output()).put("foundInGoogleCalendar", true)))
                    : new Reconciliation.Unknown("calendar " + connection.calendarId() + " has an event with this call's id " + id
                            + " that is not this call's (another summary or time)");
        }
        if (found instanceof ToolResult.Failed f && f.code().equals("not_found")) {
            return new Reconciliation.Absent("Google Calendar has no event " + id + " in calendar " + connection.calendarId()
                    + ": an attempt that reached Google would have created it under this id, which Google keeps unique, so a re-run "
                    + "cannot make a second one");
        }
        return new Reconciliation.Unknown("Google Calendar did not show event " + id + ReconcilingWriteTool.refusal(found));
    }

    /** What the schema cannot say: the times' order, length and zone. */
    static List<String> violations(JsonNode arguments) {
        List<String> violations = new ArrayList<>(DateTimes.spanViolations(arguments, "start", "end", Duration.ofHours(MAX_HOURS),
                "an event lasts at most " + MAX_HOURS + " hours"));
        JsonNode zone = arguments.path("time_zone");
        if (!zone.isMissingNode() && !ZoneId.getAvailableZoneIds().contains(zone.asText())) {
            violations.add("time_zone: '" + zone.asText() + "' is not an IANA time zone name, e.g. Europe/Berlin");
        }
        return violations;
    }

    /**
     * The event id of a call: lower-case hex SHA-256 of the tenant, run, model call id and the call's arguments (as
     * {@link PayloadHash} canonicalises them), each length-prefixed. Hex is within Google's base32hex alphabet
     * ({@code [a-v0-9]}) and 64 characters within its 5 to 1024.
     */
    static String eventId(ToolContext context, JsonNode arguments) {
        return Sha256.hex(ID_DOMAIN, context.tenant().value(), context.run().value(), context.callId(), PayloadHash.of(NAME, arguments).value());
    }

    private static VendorRequest insert(VendorAccount account, CalendarConnection connection, String id, JsonNode arguments) {
        ObjectNode body = Json.object().put("id", id).put("summary", arguments.get("summary").asText());
        if (arguments.hasNonNull("description")) {
            body.put("description", arguments.get("description").asText());
        }
        for (String field : List.of("start", "end")) {
            ObjectNode time = body.putObject(field).put("dateTime", arguments.get(field).asText());
            if (arguments.hasNonNull("time_zone")) {
                time.put("timeZone", arguments.get("time_zone").asText());
            }
        }
        if (arguments.has("attendees")) {
            ArrayNode attendees = body.putArray("attendees");
            arguments.get("attendees").forEach(a -> attendees.addObject().put("email", a.asText()));
        }
        return account.request("POST", connection.calendarPath() + "/events?sendUpdates=all", body);
    }

    private static VendorRequest get(VendorAccount account, CalendarConnection connection, String id) {
        return account.get(connection.calendarPath() + "/events/" + id);
    }

    /** Google refused the insert as a duplicate of this call's id: the event it holds, when it is this call's. */
    private Optional<ObjectNode> duplicate(VendorAccount account, CalendarConnection connection, String id, JsonNode arguments, JsonNode conflict) {
        boolean duplicate = false;
        for (JsonNode e : conflict.path("error").path("errors")) {
            duplicate |= "duplicate".equals(e.path("reason").asText());
        }
        if (!duplicate) {
            return Optional.empty();
        }
        ToolResult found = read.fetch(get(account, connection, id));
        if (found instanceof ToolResult.Success event && thisCall(event.output(), id, arguments)) {
            return Optional.of(outcome(arguments, event.output()).put("foundInGoogleCalendar", true));
        }
        return Optional.empty();
    }

    /** Whether {@code event} is the one this call creates: its id, summary, and start and end instants. */
    static boolean thisCall(JsonNode event, String id, JsonNode arguments) {
        return id.equals(event.path("id").asText()) && arguments.get("summary").asText().equals(event.path("summary").asText(null))
                && sameInstant(event.path("start").path("dateTime"), arguments.get("start"))
                && sameInstant(event.path("end").path("dateTime"), arguments.get("end"));
    }

    private static boolean sameInstant(JsonNode google, JsonNode ours) {
        try {
            return OffsetDateTime.parse(google.asText()).toInstant().equals(OffsetDateTime.parse(ours.asText()).toInstant());
        } catch (java.time.format.DateTimeParseException unreadable) {
            return false;
        }
    }

    /** The event as the model sees it: its id, link, times, status and who was invited. */
    static ObjectNode outcome(JsonNode arguments, JsonNode event) {
        ObjectNode out = Json.object().put("status", "created");
        for (String field : List.of("id", "htmlLink", "status")) {
            if (event.hasNonNull(field)) {
                out.put(field.equals("id") ? "eventId" : field.equals("status") ? "eventStatus" : field, event.get(field).asText());
            }
        }
        out.put("start", event.path("start").path("dateTime").asText(arguments.get("start").asText()));
        out.put("end", event.path("end").path("dateTime").asText(arguments.get("end").asText()));
        if (arguments.has("attendees")) {
            out.set("attendees", arguments.get("attendees").deepCopy());
        }
        return out;
    }
}
