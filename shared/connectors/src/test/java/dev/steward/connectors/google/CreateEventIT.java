package dev.steward.connectors.google;

import static dev.steward.connectors.google.CalendarFixture.ACME;
import static dev.steward.connectors.google.CalendarFixture.ACME_ACCOUNT;
import static dev.steward.connectors.google.CalendarFixture.ACME_REFRESH;
import static dev.steward.connectors.http.VendorTestSupport.failed;
import static dev.steward.connectors.http.VendorTestSupport.newCall;
import static dev.steward.connectors.http.VendorTestSupport.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.connectors.Tool;
import dev.steward.connectors.ToolContext;
import dev.steward.connectors.ToolResult;
import dev.steward.connectors.http.FakeGoogleCalendar;
import dev.steward.connectors.http.FakeVendorServer;
import dev.steward.connectors.http.FakeVendorServer.Reply;
import dev.steward.core.error.RateLimitedException;
import dev.steward.core.error.TransientException;
import dev.steward.core.json.Json;
import dev.steward.store.idempotency.IdempotencyRecord;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** calendar_create_event against a local server answering as Google Calendar's events.insert and events.get do. */
class CreateEventIT {
    @RegisterExtension
    static final CalendarFixture GOOGLE = new CalendarFixture();

    static Tool tool;

    @BeforeAll
    static void start() {
        tool = GOOGLE.tool("calendar_create_event");
    }

    static ObjectNode event(String summary) {
        return (ObjectNode) Json.tree("""
                {"summary":"%s","start":"2026-05-05T10:00:00+02:00","end":"2026-05-05T10:30:00+02:00"}
                """.formatted(summary));
    }

    static List<FakeVendorServer.Received> inserts() {
        return GOOGLE.server().received().stream().filter(r -> r.method().equals("POST") && r.path().endsWith("/events")).toList();
    }

    static long eventsNamed(String summary) {
        return GOOGLE.vendor().events().stream().filter(e -> e.resource().path("summary").asText().equals(summary)).count();
    }

    @Test
    void createsTheEventWithAnIdOfItsOwnAndInvitesTheAttendees() {
        ToolContext call = newCall(ACME);
        ObjectNode args = event("Intro call: Acme x Partner Co");
        args.put("description", "Agenda: pricing.").put("time_zone", "Europe/Berlin");
        args.putArray("attendees").add("ana@partnerco.com").add("sam@acme.com");

        ToolResult.Success ok = success(tool.execute(call, args));

        FakeVendorServer.Received sent = GOOGLE.server().received().getFirst();
        assertThat(GOOGLE.server().received()).hasSize(1);
        assertThat(sent.path()).isEqualTo("/calendar/v3/calendars/primary/events");
        assertThat(sent.params()).isEqualTo(java.util.Map.of("sendUpdates", "all"));
        assertThat(sent.header("Authorization")).startsWith("Bearer ya29.");
        String id = sent.json().path("id").asText();
        assertThat(id).matches("[0-9a-f]{64}").isEqualTo(CreateEvent.eventId(call, args));
        assertThat(sent.json()).isEqualTo(Json.tree("""
                {"id":"%s","summary":"Intro call: Acme x Partner Co","description":"Agenda: pricing.",
                 "start":{"dateTime":"2026-05-05T10:00:00+02:00","timeZone":"Europe/Berlin"},
                 "end":{"dateTime":"2026-05-05T10:30:00+02:00","timeZone":"Europe/Berlin"},
                 "attendees":[{"email":"ana@partnerco.com"},{"email":"sam@acme.com"}]}
                """.formatted(id)));

        assertThat(ok.replayed()).isFalse();
        assertThat(ok.output().path("status").asText()).isEqualTo("created");
        assertThat(ok.output().path("eventId").asText()).isEqualTo(id);
        assertThat(ok.output().path("htmlLink").asText()).isEqualTo("https://www.google.com/calendar/event?eid=" + id);
        assertThat(ok.output().path("eventStatus").asText()).isEqualTo("confirmed");
        assertThat(ok.output().path("start").asText()).isEqualTo("2026-05-05T01:00-07:00");
        assertThat(ok.output().path("attendees")).isEqualTo(args.get("attendees"));
        IdempotencyRecord record = GOOGLE.support().stores().idempotency().find(ACME, call.idempotencyKey()).orElseThrow();
        assertThat(record.status()).isEqualTo(IdempotencyRecord.Status.COMPLETED);
        assertThat(record.outcome()).isEqualTo(ok.output());
        assertThat(GOOGLE.vendor().events()).filteredOn(e -> e.resource().path("id").asText().equals(id))
                .singleElement().satisfies(e -> assertThat(e.owner()).isEqualTo(ACME_ACCOUNT));
    }

    @Test
    void aRetriedCallReplaysAndTheSameCallUnderANewKeyIsDedupedByGoogle() {
        ToolContext call = newCall(ACME);
        JsonNode args = event("Once only");
        ToolResult.Success first = success(tool.execute(call, args));
        assertThat(success(tool.execute(call, args)).replayed()).isTrue();
        assertThat(inserts()).hasSize(1);

        // An approved re-run of the same call runs under a new idempotency key: Steward's record does not know it, Google does.
        ToolContext reRun = new ToolContext(ACME, call.run(), call.step() + 2, call.callId());
        ToolResult.Success again = success(tool.execute(reRun, args));

        assertThat(inserts()).hasSize(2);
        assertThat(eventsNamed("Once only")).isEqualTo(1);
        assertThat(again.replayed()).isTrue();
        assertThat(again.output().path("eventId")).isEqualTo(first.output().path("eventId"));
        assertThat(again.output().path("foundInGoogleCalendar").asBoolean()).isTrue();
        FakeVendorServer.Received looked = GOOGLE.server().received().getLast();
        assertThat(looked.method()).isEqualTo("GET");
        assertThat(looked.path()).isEqualTo("/calendar/v3/calendars/primary/events/" + first.output().path("eventId").asText());
        assertThat(GOOGLE.support().stores().idempotency().find(ACME, reRun.idempotencyKey()).orElseThrow().status())
                .isEqualTo(IdempotencyRecord.Status.COMPLETED);
        assertThat(success(tool.execute(reRun, args)).output()).isEqualTo(again.output());
    }

    @Test
    void anotherEventUnderTheSameIdIsNotTakenAsThisCallsOutcome() {
        ToolContext call = newCall(ACME);
        JsonNode args = event("Pricing review");
        String id = CreateEvent.eventId(call, args);
        GOOGLE.vendor().withEvent(ACME_ACCOUNT, Json.tree("""
                {"id":"%s","status":"confirmed","summary":"Something else",
                 "start":{"dateTime":"2026-05-05T10:00:00+02:00"},"end":{"dateTime":"2026-05-05T10:30:00+02:00"}}
                """.formatted(id)));

        ToolResult.Failed f = failed(tool.execute(call, args), "rejected");
        assertThat(f.details().getFirst()).contains("HTTP 409", "duplicate");
        assertThat(GOOGLE.support().stores().idempotency().find(ACME, call.idempotencyKey())).isEmpty();
    }

    @Test
    void badArgumentsAreRefusedBeforeAnythingIsSent() {
        String[][] bad = {
                {"{\"summary\":\"x\",\"start\":\"2026-05-05T10:00:00+02:00\",\"end\":\"2026-05-05T09:00:00+02:00\"}", "end: must be after start"},
                {"{\"summary\":\"x\",\"start\":\"2026-05-05T10:00:00+02:00\",\"end\":\"2026-05-05T10:00:00+02:00\"}", "end: must be after start"},
                {"{\"summary\":\"x\",\"start\":\"2026-05-05T10:00:00Z\",\"end\":\"2026-05-06T10:00:01Z\"}", "end: an event lasts at most 24 hours"},
                {"{\"summary\":\"x\",\"start\":\"2026-05-05T10:00:00Z\",\"end\":\"2026-05-05T11:00:00Z\",\"time_zone\":\"Mars/Olympus\"}",
                        "time_zone: 'Mars/Olympus' is not an IANA time zone name, e.g. Europe/Berlin"},
                {"{\"summary\":\"x\",\"start\":\"2026-05-05T10:00:00Z\",\"end\":\"2026-05-05T11:00:00Z\",\"time_zone\":\"+02:00\"}",
                        "time_zone: '+02:00' is not an IANA time zone name, e.g. Europe/Berlin"},
        };
        for (String[] b : bad) {
            assertThat(failed(tool.execute(newCall(ACME), Json.tree(b[0])), "invalid_arguments").details()).as(b[0]).containsExactly(b[1]);
        }
        for (String schema : List.of("{\"summary\":\"x\",\"start\":\"2026-05-05T10:00:00\",\"end\":\"2026-05-05T11:00:00Z\"}",
                "{\"summary\":\"\",\"start\":\"2026-05-05T10:00:00Z\",\"end\":\"2026-05-05T11:00:00Z\"}",
                "{\"summary\":\"x\",\"start\":\"2026-05-05T10:00:00Z\",\"end\":\"2026-05-05T11:00:00Z\",\"attendees\":[\"nobody\"]}",
                "{\"summary\":\"x\",\"start\":\"2026-05-05T10:00:00Z\"}")) {
            assertThat(failed(tool.execute(newCall(ACME), Json.tree(schema)), "invalid_arguments").details()).as(schema).isNotEmpty();
        }
        assertThat(GOOGLE.server().received()).isEmpty();
        // A whole day is allowed.
        success(tool.execute(newCall(ACME), Json.tree("{\"summary\":\"Offsite\",\"start\":\"2026-05-05T00:00:00Z\",\"end\":\"2026-05-06T00:00:00Z\"}")));
    }

    @Test
    void rateLimitsAndOutagesAreTransientAndAnOutageAfterSendingGoesToReview() {
        ToolContext limited = newCall(ACME);
        GOOGLE.server().thenAnswer(Reply.json(429, "{\"error\":{\"errors\":[{\"domain\":\"usageLimits\",\"reason\":\"rateLimitExceeded\","
                + "\"message\":\"Rate Limit Exceeded\"}],\"code\":429,\"message\":\"Rate Limit Exceeded\"}}").withHeader("Retry-After", "10"));
        assertThatThrownBy(() -> tool.execute(limited, event("Later"))).isExactlyInstanceOf(RateLimitedException.class)
                .hasMessageContaining("Google Calendar answered HTTP 429");
        success(tool.execute(limited, event("Later")));

        ToolContext broken = newCall(ACME);
        GOOGLE.server().thenAnswer(Reply.json(503, "{\"error\":{\"code\":503,\"message\":\"Service unavailable\"}}"));
        assertThatThrownBy(() -> tool.execute(broken, event("Unavailable"))).isExactlyInstanceOf(TransientException.class)
                .hasMessageContaining("nothing was done");
        assertThat(GOOGLE.support().stores().idempotency().find(ACME, broken.idempotencyKey())).isEmpty();

        ToolContext unknown = newCall(ACME);
        GOOGLE.server().thenAnswer(Reply.json(500, "{\"error\":{\"code\":500,\"message\":\"Backend Error\"}}"));
        assertThatThrownBy(() -> tool.execute(unknown, event("Maybe"))).isExactlyInstanceOf(TransientException.class)
                .hasMessageContaining("unknown");
        assertThat(tool.execute(unknown, event("Maybe"))).isInstanceOf(ToolResult.NeedsReview.class);
        assertThat(inserts()).hasSize(4);
    }

    @Test
    void eachTenantBooksInItsOwnCalendarAndAnUnconnectedTenantSendsNothing() {
        success(tool.execute(newCall(CalendarFixture.GLOBEX), event("Globex sync")));
        assertThat(GOOGLE.vendor().events()).filteredOn(e -> e.resource().path("summary").asText().equals("Globex sync"))
                .singleElement().satisfies(e -> assertThat(e.owner()).isEqualTo(CalendarFixture.GLOBEX_ACCOUNT));

        ToolResult.Failed none = failed(tool.execute(newCall(CalendarFixture.INITECH), event("Nobody")), "not_connected");
        assertThat(none.message()).contains("no Google Calendar connection", "PUT /v1/connections/google_calendar");
        assertThat(GOOGLE.server().received()).hasSize(1);
    }

    @Test
    void noSecretOrAccessTokenReachesAResultOrAnError() {
        ToolContext call = newCall(ACME);
        ToolResult.Success ok = success(tool.execute(call, event("Secret check")));
        String bearer = GOOGLE.server().received().getFirst().header("Authorization").substring("Bearer ".length());
        GOOGLE.server().thenAnswer(Reply.json(500, "{\"error\":{\"code\":500,\"message\":\"Backend Error\"}}"));
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> tool.execute(newCall(ACME), event("Secret check 2")));
        String everything = ok.observation() + " " + ok + " " + failure + " "
                + GOOGLE.support().stores().connections().find(ACME, "google_calendar").orElseThrow() + " "
                + CalendarConnection.of(GOOGLE.support().stores().connections().find(ACME, "google_calendar").orElseThrow());
        assertThat(everything).doesNotContain(bearer, ACME_REFRESH, FakeGoogleCalendar.CLIENT_SECRET).contains("****");
    }
}
