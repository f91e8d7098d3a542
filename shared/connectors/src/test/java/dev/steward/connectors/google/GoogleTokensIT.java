package dev.steward.connectors.google;

import static dev.steward.connectors.google.CalendarFixture.ACME;
import static dev.steward.connectors.google.CalendarFixture.ACME_REFRESH;
import static dev.steward.connectors.http.VendorTestSupport.failed;
import static dev.steward.connectors.http.VendorTestSupport.newCall;
import static dev.steward.connectors.http.VendorTestSupport.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.connectors.Tool;
import dev.steward.connectors.ToolResult;
import dev.steward.connectors.http.FakeGoogleCalendar;
import dev.steward.connectors.http.FakeVendorServer;
import dev.steward.connectors.http.FakeVendorServer.Reply;
import dev.steward.connectors.http.VendorTestSupport;
import dev.steward.core.error.RateLimitedException;
import dev.steward.core.error.TransientException;
import dev.steward.core.json.Json;
import dev.steward.core.tenant.TenantId;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Access tokens from the connection's refresh token, against a local server answering as Google's token endpoint does. */
class GoogleTokensIT {
    @RegisterExtension
    static final CalendarFixture GOOGLE = new CalendarFixture();

    static JsonNode window() {
        return Json.tree("{\"from\":\"2026-05-04T09:00:00+02:00\",\"to\":\"2026-05-04T17:00:00+02:00\"}");
    }

    static JsonNode event(String summary) {
        return Json.tree("{\"summary\":\"" + summary + "\",\"start\":\"2026-05-05T10:00:00+02:00\",\"end\":\"2026-05-05T10:30:00+02:00\"}");
    }

    static List<FakeVendorServer.Received> tokenRequests() {
        return GOOGLE.server().received().stream().filter(r -> r.path().equals("/token")).toList();
    }

    @Test
    void oneTokenServesSeveralCallsUntilShortlyBeforeItExpiresThenANewOneIsFetched() {
        CalendarFixture.MovableClock clock = new CalendarFixture.MovableClock();
        GoogleCalendarConnector connector = GOOGLE.connector(clock);
        Tool find = VendorTestSupport.named(connector.tools(), "calendar_find_free_time");
        Tool create = VendorTestSupport.named(connector.tools(), "calendar_create_event");

        success(find.execute(newCall(ACME), window()));
        success(find.execute(newCall(ACME), window()));
        success(create.execute(newCall(ACME), event("Intro call")));
        assertThat(tokenRequests()).hasSize(1);
        FakeVendorServer.Received exchange = tokenRequests().getFirst();
        assertThat(exchange.method()).isEqualTo("POST");
        assertThat(exchange.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(exchange.header("Authorization")).isNull();
        assertThat(exchange.body()).isEqualTo("grant_type=refresh_token&client_id=1234567890-steward.apps.googleusercontent.com"
                + "&client_secret=GOCSPX-client-secret-0000&refresh_token=1%2F%2F0acme-refresh-token-aaaa");
        String first = calendarCalls().getFirst().header("Authorization");
        assertThat(calendarCalls()).allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo(first));

        clock.advance(Duration.ofSeconds(3599).minus(GoogleTokens.EARLY).minusSeconds(1));
        success(find.execute(newCall(ACME), window()));
        assertThat(tokenRequests()).as("still valid").hasSize(1);
        clock.advance(Duration.ofSeconds(1));
        success(find.execute(newCall(ACME), window()));
        assertThat(tokenRequests()).as("replaced shortly before expiry").hasSize(2);
        assertThat(calendarCalls().getLast().header("Authorization")).isNotEqualTo(first).startsWith("Bearer ya29.");

        // Each tenant's connection has its own token.
        success(find.execute(newCall(CalendarFixture.GLOBEX), window()));
        assertThat(tokenRequests()).hasSize(3);
    }

    static List<FakeVendorServer.Received> calendarCalls() {
        return GOOGLE.server().received().stream().filter(r -> r.path().startsWith("/calendar/v3")).toList();
    }

    @Test
    void aRevokedRefreshTokenIsAPermanentReconnectObservationAndNothingIsSentToTheCalendar() {
        TenantId revoked = TenantId.of("revoked");
        String refresh = "1//0revoked-refresh-token-cccc";
        GOOGLE.connect(revoked, refresh);
        GOOGLE.vendor().revoke(refresh);
        GoogleCalendarConnector connector = GOOGLE.connector(new CalendarFixture.MovableClock());

        for (Tool tool : connector.tools()) {
            JsonNode args = tool.spec().name().equals("calendar_find_free_time") ? window() : event("Blocked");
            ToolResult.Failed f = failed(tool.execute(newCall(revoked), args), "unauthorized");
            assertThat(f.message()).contains("refresh token", "reconnect Google Calendar", "PUT /v1/connections/google_calendar");
            assertThat(f.details().getFirst()).contains("invalid_grant", "Token has been expired or revoked.");
            assertThat(f.toString() + f.observation()).doesNotContain(refresh, FakeGoogleCalendar.CLIENT_SECRET);
        }
        assertThat(calendarCalls()).isEmpty();
        assertThat(GOOGLE.support().stores().idempotency().find(revoked, newCall(revoked).idempotencyKey())).isEmpty();
    }

    @Test
    void aTokenTheCalendarRefusesIsDroppedSoTheNextCallAsksGoogleAgain() {
        GoogleCalendarConnector connector = GOOGLE.connector(new CalendarFixture.MovableClock());
        Tool find = VendorTestSupport.named(connector.tools(), "calendar_find_free_time");
        success(find.execute(newCall(ACME), window()));
        GOOGLE.server().thenAnswer(Reply.json(401, "{\"error\":{\"code\":401,\"message\":\"Request had invalid authentication credentials.\","
                + "\"status\":\"UNAUTHENTICATED\"}}"));
        failed(find.execute(newCall(ACME), window()), "unauthorized");
        assertThat(tokenRequests()).hasSize(1);
        success(find.execute(newCall(ACME), window()));
        assertThat(tokenRequests()).hasSize(2);
    }

    @Test
    void aWrongClientSecretIsAReconnectObservationToo() {
        TenantId wrong = TenantId.of("wrong-secret");
        GOOGLE.support().connect(wrong, "google_calendar", CalendarFixture.fields("primary"),
                new dev.steward.connectors.connection.GoogleSecret("GOCSPX-not-the-secret", ACME_REFRESH).sealable());
        ToolResult.Failed f = failed(VendorTestSupport.named(GOOGLE.connector(new CalendarFixture.MovableClock()).tools(),
                "calendar_find_free_time").execute(newCall(wrong), window()), "unauthorized");
        assertThat(f.message()).contains("OAuth client id or secret", "reconnect Google Calendar");
        assertThat(f.observation().toString()).doesNotContain("GOCSPX-not-the-secret", ACME_REFRESH);
    }

    @Test
    void aRateLimitedOrFailingTokenEndpointIsTransientAndTheNextCallFetchesAgain() {
        Tool find = VendorTestSupport.named(GOOGLE.connector(new CalendarFixture.MovableClock()).tools(), "calendar_find_free_time");
        GOOGLE.server().thenAnswer(Reply.json(429, "{\"error\":\"rate_limit_exceeded\",\"error_description\":\"Rate limit exceeded\"}"));
        assertThatThrownBy(() -> find.execute(newCall(ACME), window())).isExactlyInstanceOf(RateLimitedException.class)
                .hasMessageContaining("HTTP 429").hasMessageNotContaining(ACME_REFRESH);
        GOOGLE.server().thenAnswer(Reply.json(503, "{\"error\":\"backend_error\"}"));
        assertThatThrownBy(() -> find.execute(newCall(ACME), window())).isExactlyInstanceOf(TransientException.class)
                .hasMessageContaining("HTTP 503").hasMessageNotContaining(FakeGoogleCalendar.CLIENT_SECRET);
        assertThat(calendarCalls()).isEmpty();
        success(find.execute(newCall(ACME), window()));
        assertThat(tokenRequests()).hasSize(3);
    }
}
