package dev.steward.connectors.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.connectors.http.FakeVendorServer.Received;
import dev.steward.connectors.http.FakeVendorServer.Reply;
import dev.steward.core.json.Json;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Google's OAuth token endpoint and Calendar API v3 as far as the tools go, on one server, speaking Google's wire formats
 * and checking what Google checks.
 * <ul>
 *   <li>{@code POST /token}, form-encoded {@code grant_type=refresh_token&client_id&client_secret&refresh_token}: a known
 *       client with its secret and a refresh token issued to it (not revoked) answers 200 {@code {"access_token",
 *       "expires_in": 3599, "scope", "token_type": "Bearer"}} with a new token each time; a wrong client or secret 401
 *       {@code {"error": "invalid_client"}}; an unknown or revoked refresh token 400 {@code {"error": "invalid_grant",
 *       "error_description": "Token has been expired or revoked."}}.</li>
 *   <li>Every {@code /calendar/v3} call needs {@code Authorization: Bearer} with an issued access token, else 401 with
 *       Google's error object ({@code {"error": {"code", "message", "errors": [{"domain", "reason"}], "status"}}}).</li>
 *   <li>{@code POST /calendar/v3/freeBusy} {@code {"timeMin", "timeMax", "items": [{"id"}]}}: 200 {@code {"kind":
 *       "calendar#freeBusy", "timeMin", "timeMax", "calendars": {"<id>": {"busy": [{"start", "end"}]}}}}; the busy times
 *       of the account's own calendar ({@code primary} or its address) and of the calendars {@link #withBusy} shows are its
 *       events and the busy times given that overlap the window, in UTC; any other id answers {@code {"errors":
 *       [{"domain": "global", "reason": "notFound"}], "busy": []}}. An empty range is 400 {@code timeRangeEmpty}.</li>
 *   <li>{@code POST /calendar/v3/calendars/{calendarId}/events}: an {@code id} outside base32hex ({@code [a-v0-9]},
 *       5-1024 characters) is 400 {@code invalid}; an id the calendar already holds 409 {@code duplicate}; no
 *       {@code start.dateTime} or {@code end.dateTime} 400 {@code required}. Otherwise 200 with the event resource; its
 *       times come back at the calendar's offset ({@link #CALENDAR_OFFSET}), as Google gives them in the calendar's zone.</li>
 *   <li>{@code GET /calendar/v3/calendars/{calendarId}/events/{eventId}}: 200 with the event, or 404 {@code notFound}.</li>
 * </ul>
 */
public final class FakeGoogleCalendar implements FakeVendorServer.Api {
    public static final String CLIENT_ID = "1234567890-steward.apps.googleusercontent.com";
    public static final String CLIENT_SECRET = "GOCSPX-client-secret-0000";
    public static final ZoneOffset CALENDAR_OFFSET = ZoneOffset.ofHours(-7);
    private static final Pattern EVENTS = Pattern.compile("/calendar/v3/calendars/([^/]+)/events(?:/([^/]+))?");
    private static final Pattern EVENT_ID = Pattern.compile("[a-v0-9]{5,1024}");

    /** An event Google holds, as its resource, in the calendar of the account {@code owner}. */
    public record Event(String owner, JsonNode resource) {}

    private final Map<String, String> accounts = new ConcurrentHashMap<>();
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();
    private final Map<String, String> accessTokens = new ConcurrentHashMap<>();
    private final Map<String, List<String[]>> busy = new ConcurrentHashMap<>();
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final AtomicLong issued = new AtomicLong();

    /** {@code accounts}: each refresh token and the address of the account that granted it. */
    public FakeGoogleCalendar(Map<String, String> accounts) {
        this.accounts.putAll(accounts);
    }

    /** The account withdrew its consent: its refresh token is refused from now on. */
    public FakeGoogleCalendar revoke(String refreshToken) {
        revoked.add(refreshToken);
        return this;
    }

    /** Calendar {@code id} (an account's address, or an attendee's that Google shows) is busy {@code [start, end)}. */
    public FakeGoogleCalendar withBusy(String id, String start, String end) {
        busy.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(new String[] {start, end});
        return this;
    }

    /** An event already in {@code owner}'s calendar, e.g. one another client made under an id. */
    public FakeGoogleCalendar withEvent(String owner, JsonNode resource) {
        events.add(new Event(owner, resource.deepCopy()));
        return this;
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    /** The access tokens issued so far. */
    public long tokensIssued() {
        return issued.get();
    }

    @Override
    public Reply answer(Received r) {
        if (r.method().equals("POST") && r.path().equals("/token")) {
            return token(r);
        }
        String owner = accessTokens.get(String.valueOf(r.header("Authorization")).replaceFirst("^Bearer ", ""));
        if (owner == null) {
            return error(401, "authError", "Request had invalid authentication credentials. Expected OAuth 2 access token.", "UNAUTHENTICATED");
        }
        if (r.method().equals("POST") && r.path().equals("/calendar/v3/freeBusy")) {
            return freeBusy(owner, r.json());
        }
        Matcher m = EVENTS.matcher(r.path());
        if (!m.matches()) {
            return error(404, "notFound", "Not Found", null);
        }
        String calendar = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
        if (!calendar.equals("primary") && !calendar.equals(owner)) {
            return error(404, "notFound", "Not Found", null);
        }
        if (r.method().equals("POST") && m.group(2) == null) {
            return insert(owner, r.json());
        }
        if (r.method().equals("GET") && m.group(2) != null) {
            return find(owner, m.group(2)).map(e -> Reply.json(200, Json.write(e.resource()))).orElseGet(() -> error(404, "notFound", "Not Found", null));
        }
        return error(405, "methodNotAllowed", "Method not allowed", null);
    }

    private Reply token(Received r) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : r.body().split("&")) {
            String[] kv = pair.split("=", 2);
            form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length < 2 ? "" : URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        if (!String.valueOf(r.header("Content-Type")).startsWith("application/x-www-form-urlencoded")
                || !"refresh_token".equals(form.get("grant_type"))) {
            return Reply.json(400, "{\"error\":\"unsupported_grant_type\",\"error_description\":\"Invalid grant_type: " + form.get("grant_type") + "\"}");
        }
        if (!CLIENT_ID.equals(form.get("client_id")) || !CLIENT_SECRET.equals(form.get("client_secret"))) {
            return Reply.json(401, "{\"error\":\"invalid_client\",\"error_description\":\"Unauthorized\"}");
        }
        String account = accounts.get(form.getOrDefault("refresh_token", ""));
        if (account == null || revoked.contains(form.get("refresh_token"))) {
            return Reply.json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"Token has been expired or revoked.\"}");
        }
        String token = "ya29.a0-fake-" + issued.incrementAndGet();
        accessTokens.put(token, account);
        return Reply.json(200, Json.write(Json.object().put("access_token", token).put("expires_in", 3599)
                .put("scope", "https://www.googleapis.com/auth/calendar.events https://www.googleapis.com/auth/calendar.freebusy")
                .put("token_type", "Bearer")));
    }

    private Reply freeBusy(String owner, JsonNode body) {
        Instant min;
        Instant max;
        try {
            min = OffsetDateTime.parse(body.path("timeMin").asText()).toInstant();
            max = OffsetDateTime.parse(body.path("timeMax").asText()).toInstant();
        } catch (DateTimeParseException e) {
            return error(400, "badRequest", "Bad Request", null);
        }
        if (!max.isAfter(min)) {
            return error(400, "timeRangeEmpty", "The specified time range is empty.", null);
        }
        ObjectNode out = Json.object().put("kind", "calendar#freeBusy").put("timeMin", min.toString()).put("timeMax", max.toString());
        ObjectNode calendars = out.putObject("calendars");
        for (JsonNode item : body.path("items")) {
            String id = item.path("id").asText();
            String account = id.equals("primary") ? owner : id;
            ObjectNode c = calendars.putObject(id);
            ArrayNode list = c.putArray("busy");
            if (!account.equals(owner) && !busy.containsKey(account)) {
                c.putArray("errors").addObject().put("domain", "global").put("reason", "notFound");
                continue;
            }
            for (String[] b : busy.getOrDefault(account, List.of())) {
                add(list, min, max, OffsetDateTime.parse(b[0]).toInstant(), OffsetDateTime.parse(b[1]).toInstant());
            }
            for (Event e : events) {
                if (e.owner().equals(account)) {
                    add(list, min, max, OffsetDateTime.parse(e.resource().path("start").path("dateTime").asText()).toInstant(),
                            OffsetDateTime.parse(e.resource().path("end").path("dateTime").asText()).toInstant());
                }
            }
        }
        return Reply.json(200, Json.write(out));
    }

    private static void add(ArrayNode list, Instant min, Instant max, Instant start, Instant end) {
        if (start.isBefore(max) && end.isAfter(min)) {
            list.addObject().put("start", start.toString()).put("end", end.toString());
        }
    }

    private Reply insert(String owner, JsonNode body) {
        String id = body.path("id").asText("");
        if (!EVENT_ID.matcher(id).matches()) {
            return error(400, "invalid", "Invalid resource id value.", null);
        }
        if (find(owner, id).isPresent()) {
            return error(409, "duplicate", "The requested identifier already exists.", null);
        }
        for (String field : List.of("start", "end")) {
            if (!body.path(field).path("dateTime").isTextual()) {
                return error(400, "required", "Missing " + field + " time.", null);
            }
        }
        ObjectNode event = Json.object().put("kind", "calendar#event").put("etag", "\"3412345678901234\"").put("id", id)
                .put("status", "confirmed").put("htmlLink", "https://www.google.com/calendar/event?eid=" + id)
                .put("created", "2026-05-01T12:00:00.000Z").put("updated", "2026-05-01T12:00:00.000Z")
                .put("summary", body.path("summary").asText(""));
        if (body.has("description")) {
            event.put("description", body.get("description").asText());
        }
        event.putObject("creator").put("email", owner).put("self", true);
        event.putObject("organizer").put("email", owner).put("self", true);
        for (String field : List.of("start", "end")) {
            ObjectNode t = event.putObject(field).put("dateTime",
                    OffsetDateTime.parse(body.get(field).get("dateTime").asText()).atZoneSameInstant(CALENDAR_OFFSET).toOffsetDateTime().toString());
            t.put("timeZone", body.get(field).path("timeZone").asText("America/Los_Angeles"));
        }
        event.put("iCalUID", id + "@google.com").put("sequence", 0);
        if (body.has("attendees")) {
            ArrayNode attendees = event.putArray("attendees");
            body.get("attendees").forEach(a -> attendees.addObject().put("email", a.path("email").asText()).put("responseStatus", "needsAction"));
        }
        event.putObject("reminders").put("useDefault", true);
        event.put("eventType", "default");
        events.add(new Event(owner, event));
        return Reply.json(200, Json.write(event));
    }

    private java.util.Optional<Event> find(String owner, String id) {
        return events.stream().filter(e -> e.owner().equals(owner) && e.resource().path("id").asText().equals(id)).findFirst();
    }

    /** Google's error object: {@code {"error": {"errors": [{"domain", "reason", "message"}], "code", "message", "status"?}}}. */
    private static Reply error(int status, String reason, String message, String statusName) {
        ObjectNode error = Json.object();
        ObjectNode e = error.putObject("error");
        e.putArray("errors").addObject().put("domain", "global").put("reason", reason).put("message", message);
        e.put("code", status).put("message", message);
        if (statusName != null) {
            e.put("status", statusName);
        }
        return Reply.json(status, Json.write(error));
    }
}
