package dev.steward.connectors.google;

import dev.steward.connectors.Tool;
import dev.steward.connectors.connection.GoogleSecret;
import dev.steward.connectors.connection.VendorEndpoints;
import dev.steward.connectors.http.ExternalHttpRead;
import dev.steward.connectors.http.ExternalHttpWrite;
import dev.steward.connectors.http.FakeGoogleCalendar;
import dev.steward.connectors.http.VendorFixture;
import dev.steward.connectors.http.VendorTestSupport;
import dev.steward.core.tenant.TenantId;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

/**
 * The Google Calendar tools' test bed: Acme and Globex connected with their own refresh tokens (Initech not), and a
 * {@link FakeGoogleCalendar} serving the token endpoint at its root and the Calendar API below {@code /calendar/v3}.
 * Tools made by {@link #tool} share one access token cache, warmed for Acme and Globex, so a test's first request is
 * the one it is about; {@link #connector} makes a connector with its own cache and {@link #clock}.
 */
final class CalendarFixture extends VendorFixture<FakeGoogleCalendar> {
    static final String ACME_REFRESH = "1//0acme-refresh-token-aaaa";
    static final String GLOBEX_REFRESH = "1//0globex-refresh-token-bbbb";
    static final String ACME_ACCOUNT = "scheduler@acme.com";
    static final String GLOBEX_ACCOUNT = "office@globex.com";

    /** A clock a test can move forward; it starts at {@link VendorTestSupport#T0}. */
    static final class MovableClock extends Clock {
        private volatile Instant now = VendorTestSupport.T0;

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private GoogleTokens shared;

    CalendarFixture() {
        super(new FakeGoogleCalendar(Map.of(ACME_REFRESH, ACME_ACCOUNT, GLOBEX_REFRESH, GLOBEX_ACCOUNT)));
    }

    static Map<String, String> fields(String calendar) {
        return Map.of("client_id", FakeGoogleCalendar.CLIENT_ID, "calendar_id", calendar);
    }

    /** Stores {@code tenant}'s connection with {@code refreshToken}. */
    void connect(TenantId tenant, String refreshToken) {
        support().connect(tenant, "google_calendar", fields("primary"), new GoogleSecret(FakeGoogleCalendar.CLIENT_SECRET, refreshToken).sealable());
    }

    @Override
    protected void connect(VendorTestSupport support) {
        connect(ACME, ACME_REFRESH);
        connect(GLOBEX, GLOBEX_REFRESH);
        shared = new GoogleTokens(server().baseUrl(), Duration.ofSeconds(5), Clock.systemUTC());
        for (TenantId t : new TenantId[] {ACME, GLOBEX}) {
            shared.accessToken(CalendarConnection.of(support.stores().connections().find(t, "google_calendar").orElseThrow()));
        }
    }

    static VendorEndpoints endpoints(URI base, Duration timeout) {
        return new VendorEndpoints(Optional.empty(), VendorEndpoints.HUBSPOT_API, VendorEndpoints.SLACK_API, base,
                URI.create(base + "/calendar/v3"), timeout);
    }

    @Override
    public Tool tool(String name, URI base, Duration timeout) {
        return VendorTestSupport.named(new GoogleCalendarConnector(endpoints(base, timeout), support().stores().connections(),
                new ExternalHttpWrite(support().stores().idempotency(), Clock.systemUTC(), timeout),
                new ExternalHttpRead(Clock.systemUTC(), timeout), shared).tools(), name);
    }

    /** A connector of its own, with a cold token cache, on {@code clock}. */
    GoogleCalendarConnector connector(Clock clock) {
        Duration timeout = Duration.ofSeconds(5);
        return new GoogleCalendarConnector(endpoints(server().baseUrl(), timeout), support().stores().connections(),
                new ExternalHttpWrite(support().stores().idempotency(), clock, timeout), new ExternalHttpRead(clock, timeout), clock);
    }
}
