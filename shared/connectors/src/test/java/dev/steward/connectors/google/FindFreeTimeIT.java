package dev.steward.connectors.google;

import static dev.steward.connectors.google.CalendarFixture.ACME;
import static dev.steward.connectors.google.CalendarFixture.ACME_ACCOUNT;
import static dev.steward.connectors.http.VendorTestSupport.failed;
import static dev.steward.connectors.http.VendorTestSupport.newCall;
import static dev.steward.connectors.http.VendorTestSupport.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.connectors.Tool;
import dev.steward.connectors.ToolResult;
import dev.steward.connectors.http.FakeVendorServer;
import dev.steward.connectors.http.FakeVendorServer.Reply;
import dev.steward.core.error.RateLimitedException;
import dev.steward.core.error.TransientException;
import dev.steward.core.json.Json;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** calendar_find_free_time against a local server answering as Google's freeBusy does, per-tenant connections in DynamoDB Local. */
class FindFreeTimeIT {
    @RegisterExtension
    static final CalendarFixture GOOGLE = new CalendarFixture();
    static final String PARTNER = "ana@partnerco.com";
    static final String STRANGER = "bob@elsewhere.org";

    static Tool tool;

    @BeforeAll
    static void start() {
        tool = GOOGLE.tool("calendar_find_free_time");
        GOOGLE.vendor().withBusy(ACME_ACCOUNT, "2026-05-04T08:00:00Z", "2026-05-04T09:00:00Z")   // 10:00-11:00 in +02:00
                .withBusy(ACME_ACCOUNT, "2026-05-04T12:30:00Z", "2026-05-04T13:00:00Z")
                .withBusy(PARTNER, "2026-05-04T08:30:00Z", "2026-05-04T10:00:00Z")
                .withBusy(PARTNER, "2026-05-05T08:00:00Z", "2026-05-05T09:00:00Z");             // outside the window
    }

    static JsonNode args(String json) {
        return Json.tree(json);
    }

    @Test
    void busyTimesOfEveryCalendarAndTheFreePeriodsOverThoseGoogleShowed() {
        ToolResult.Success ok = success(tool.execute(newCall(ACME), args("""
                {"from":"2026-05-04T09:00:00+02:00","to":"2026-05-04T17:00:00+02:00","attendees":["%s","%s"],"duration_minutes":45}
                """.formatted(PARTNER, STRANGER))));

        FakeVendorServer.Received sent = GOOGLE.server().received().getFirst();
        assertThat(GOOGLE.server().received()).hasSize(1);
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/calendar/v3/freeBusy");
        assertThat(sent.header("Authorization")).startsWith("Bearer ya29.");
        assertThat(sent.json()).isEqualTo(Json.tree("""
                {"timeMin":"2026-05-04T07:00:00Z","timeMax":"2026-05-04T15:00:00Z",
                 "items":[{"id":"primary"},{"id":"%s"},{"id":"%s"}]}
                """.formatted(PARTNER, STRANGER)));

        assertThat(ok.output()).isEqualTo(Json.tree("""
                {"from":"2026-05-04T09:00:00+02:00","to":"2026-05-04T17:00:00+02:00","duration_minutes":45,
                 "calendars":[
                   {"id":"primary","busy":[{"start":"2026-05-04T10:00:00+02:00","end":"2026-05-04T11:00:00+02:00"},
                                           {"start":"2026-05-04T14:30:00+02:00","end":"2026-05-04T15:00:00+02:00"}]},
                   {"id":"%s","busy":[{"start":"2026-05-04T10:30:00+02:00","end":"2026-05-04T12:00:00+02:00"}]},
                   {"id":"%s","errors":["notFound"]}],
                 "free":[{"start":"2026-05-04T09:00:00+02:00","end":"2026-05-04T10:00:00+02:00"},
                         {"start":"2026-05-04T12:00:00+02:00","end":"2026-05-04T14:30:00+02:00"},
                         {"start":"2026-05-04T15:00:00+02:00","end":"2026-05-04T17:00:00+02:00"}],
                 "note":"Google did not show the busy times of %s, so the free periods leave them out: they may be busy then."}
                """.formatted(PARTNER, STRANGER, STRANGER)));
    }

    @Test
    void withoutAttendeesOnlyTheConnectedCalendarIsAskedAndTheDefaultLengthIsHalfAnHour() {
        ToolResult.Success ok = success(tool.execute(newCall(ACME), args(
                "{\"from\":\"2026-05-04T10:00:00Z\",\"to\":\"2026-05-04T13:00:00Z\"}")));
        assertThat(GOOGLE.server().received().getFirst().json().path("items")).isEqualTo(Json.tree("[{\"id\":\"primary\"}]"));
        assertThat(ok.output().path("duration_minutes").asInt()).isEqualTo(30);
        assertThat(ok.output().path("free")).isEqualTo(Json.tree("[{\"start\":\"2026-05-04T10:00:00Z\",\"end\":\"2026-05-04T12:30:00Z\"}]"));
        assertThat(ok.output().has("note")).isFalse();
    }

    @Test
    void badArgumentsAreRefusedBeforeAnythingIsSent() {
        String[] bad = {
                "{\"from\":\"2026-05-04T17:00:00Z\",\"to\":\"2026-05-04T09:00:00Z\"}",
                "{\"from\":\"2026-05-01T00:00:00Z\",\"to\":\"2026-06-02T00:00:01Z\"}",
                "{\"from\":\"2026-05-04T09:00:00\",\"to\":\"2026-05-04T17:00:00Z\"}",
                "{\"from\":\"2026-05-04T09:00:00Z\",\"to\":\"2026-05-04T17:00:00Z\",\"duration_minutes\":4}",
                "{\"from\":\"2026-05-04T09:00:00Z\",\"to\":\"2026-05-04T17:00:00Z\",\"duration_minutes\":481}",
                "{\"from\":\"2026-05-04T09:00:00Z\",\"to\":\"2026-05-04T17:00:00Z\",\"attendees\":[\"not an address\"]}",
                "{\"from\":\"2026-05-04T09:00:00Z\",\"to\":\"2026-05-04T17:00:00Z\",\"attendees\":"
                        + Json.write(IntStream.range(0, 21).mapToObj(i -> "p" + i + "@acme.com").toList()) + "}",
                "{\"from\":\"2026-05-04T09:00:00Z\"}",
        };
        for (String b : bad) {
            ToolResult.Failed f = failed(tool.execute(newCall(ACME), args(b)), "invalid_arguments");
            assertThat(f.details()).as(b).isNotEmpty();
        }
        assertThat(failed(tool.execute(newCall(ACME), args(bad[0])), "invalid_arguments").details()).containsExactly("to: must be after from");
        assertThat(failed(tool.execute(newCall(ACME), args(bad[1])), "invalid_arguments").details())
                .containsExactly("to: the window is at most 31 days long");
        assertThat(GOOGLE.server().received()).isEmpty();
        // Exactly 31 days is allowed.
        success(tool.execute(newCall(ACME), args("{\"from\":\"2026-05-01T00:00:00Z\",\"to\":\"2026-06-01T00:00:00Z\"}")));
    }

    @Test
    void aTenantWithoutAConnectionGetsNotConnectedAndNothingIsSent() {
        ToolResult.Failed none = failed(tool.execute(newCall(CalendarFixture.INITECH),
                args("{\"from\":\"2026-05-04T09:00:00Z\",\"to\":\"2026-05-04T17:00:00Z\"}")), "not_connected");
        assertThat(none.message()).contains("no Google Calendar connection", "PUT /v1/connections/google_calendar");
        assertThat(GOOGLE.server().received()).isEmpty();
    }

    @Test
    void rateLimitsAndOutagesOfTheCalendarAreTransient() {
        JsonNode window = args("{\"from\":\"2026-05-04T09:00:00Z\",\"to\":\"2026-05-04T17:00:00Z\"}");
        GOOGLE.server().thenAnswer(Reply.json(429, "{\"error\":{\"errors\":[{\"domain\":\"usageLimits\",\"reason\":\"rateLimitExceeded\","
                + "\"message\":\"Rate Limit Exceeded\"}],\"code\":429,\"message\":\"Rate Limit Exceeded\"}}").withHeader("Retry-After", "30"));
        assertThatThrownBy(() -> tool.execute(newCall(ACME), window)).isExactlyInstanceOf(RateLimitedException.class)
                .hasMessageContaining("Google Calendar answered HTTP 429");
        GOOGLE.server().thenAnswer(Reply.json(500, "{\"error\":{\"code\":500,\"message\":\"Backend Error\"}}"));
        assertThatThrownBy(() -> tool.execute(newCall(ACME), window)).isExactlyInstanceOf(TransientException.class)
                .hasMessageContaining("HTTP 500");
        success(tool.execute(newCall(ACME), window));
    }
}
