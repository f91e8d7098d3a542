package dev.steward.connectors.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.json.Json;
import dev.steward.store.connection.ConnectionSettings;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What an admin may store as a connection, and where the operator may point the vendors. */
class VendorTest {
    static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");

    static ConnectionSettings zendesk(String json) {
        return Vendor.ZENDESK.settings(Json.tree(json), NOW, "key:admin");
    }

    @Test
    void aZendeskConnectionHoldsSubdomainEmailAndToken() {
        ConnectionSettings s = zendesk("{\"subdomain\":\"Acme-Support\",\"email\":\"agent@acme.com\",\"token\":\"AbCdEf0123456789\"}");
        assertThat(s.vendor()).isEqualTo("zendesk");
        assertThat(s.fields()).isEqualTo(Map.of("subdomain", "acme-support", "email", "agent@acme.com"));
        assertThat(s.token()).isEqualTo("AbCdEf0123456789");
        assertThat(Vendor.HUBSPOT.settings(Json.tree("{\"token\":\"pat-na1-0000\"}"), NOW, "x").fields()).isEmpty();
    }

    @Test
    void badInputIsRefusedNamingTheProblem() {
        assertThatThrownBy(() -> zendesk("{\"subdomain\":\"evil.example.com/x?\",\"email\":\"a@b.co\",\"token\":\"0123456789\"}"))
                .hasMessageContaining("'subdomain' must be the name before .zendesk.com");
        assertThatThrownBy(() -> zendesk("{\"subdomain\":\"acme\",\"email\":\"nobody\",\"token\":\"0123456789\"}"))
                .hasMessageContaining("'email'");
        assertThatThrownBy(() -> zendesk("{\"subdomain\":\"acme\",\"email\":\"a@b.co\"}")).hasMessageContaining("'token' is required");
        assertThatThrownBy(() -> zendesk("{\"subdomain\":\"acme\",\"email\":\"a@b.co\",\"token\":\"abc\\r\\nX-Injected: 1\"}"))
                .hasMessageContaining("visible characters");
        assertThatThrownBy(() -> zendesk("{\"subdomain\":\"acme\",\"email\":\"a@b.co\",\"token\":\"0123456789\",\"baseUrl\":\"http://10.0.0.1\"}"))
                .hasMessageContaining("unknown field 'baseUrl'").hasMessageContaining("not a tenant setting");
        assertThatThrownBy(() -> Vendor.HUBSPOT.settings(Json.tree("{\"token\":\"pat-na1-0000\",\"subdomain\":\"x\"}"), NOW, "x"))
                .hasMessageContaining("a HubSpot connection takes 'token'");
        assertThatThrownBy(() -> Vendor.HUBSPOT.settings(Json.tree("[]"), NOW, "x")).hasMessageContaining("JSON object");
        assertThat(Vendor.of("salesforce")).isEmpty();
        assertThat(Vendor.names()).containsExactly("zendesk", "hubspot", "slack", "google_calendar");
    }

    @Test
    void aSlackConnectionIsABotTokenAndOtherSlackTokensAreNamed() {
        ConnectionSettings s = Vendor.SLACK.settings(Json.tree("{\"token\":\" xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp \"}"), NOW, "key:admin");
        assertThat(s.vendor()).isEqualTo("slack");
        assertThat(s.fields()).isEmpty();
        assertThat(s.token()).isEqualTo("xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp");
        assertThatThrownBy(() -> slack("xoxp-1234567890-0987654321-AbCdEf")).hasMessageContaining("starting with xoxb-")
                .hasMessageContaining("a user token (xoxp-)");
        assertThatThrownBy(() -> slack("xapp-1-A0123-456-abcdef")).hasMessageContaining("an app-level token (xapp-)");
        assertThatThrownBy(() -> slack("xoxb-123")).hasMessageContaining("bot token with characters Slack does not use (or too short)");
        assertThatThrownBy(() -> slack("xoxb-1234567890-abc\r\nX-Injected: 1")).hasMessageContaining("starting with xoxb-");
        assertThatThrownBy(() -> slack("pat-na1-0000-1111")).hasMessageContaining("not a Slack bot token");
        assertThatThrownBy(() -> Vendor.SLACK.settings(Json.tree("{\"token\":\"xoxb-1234567890-abcdefgh\",\"url\":\"https://x\"}"), NOW, "x"))
                .hasMessageContaining("a Slack connection takes 'token'").hasMessageContaining("not a tenant setting");
    }

    static ConnectionSettings slack(String token) {
        return Vendor.SLACK.settings(Json.object().put("token", token), NOW, "key:admin");
    }

    static ConnectionSettings google(String json) {
        return Vendor.GOOGLE_CALENDAR.settings(Json.tree(json), NOW, "key:admin");
    }

    static final String CLIENT = "\"client_id\":\"1234567890-abc.apps.googleusercontent.com\"";
    static final String SECRETS = "\"client_secret\":\"GOCSPX-0123456789\",\"refresh_token\":\"1//0g-refresh-0123\"";

    @Test
    void aGoogleCalendarConnectionSealsTheClientSecretAndRefreshTokenTogetherAndDefaultsToThePrimaryCalendar() {
        ConnectionSettings s = google("{" + CLIENT + "," + SECRETS + "}");
        assertThat(s.vendor()).isEqualTo("google_calendar");
        assertThat(s.fields()).isEqualTo(Map.of("client_id", "1234567890-abc.apps.googleusercontent.com", "calendar_id", "primary"));
        assertThat(GoogleSecret.of(s.token())).isEqualTo(new GoogleSecret("GOCSPX-0123456789", "1//0g-refresh-0123"));
        assertThat(s.toString() + GoogleSecret.of(s.token())).doesNotContain("GOCSPX-0123456789", "1//0g-refresh-0123");
        assertThat(google("{" + CLIENT + ",\"calendar_id\":\"team@group.calendar.google.com\"," + SECRETS + "}").field("calendar_id"))
                .isEqualTo("team@group.calendar.google.com");
        assertThat(Vendor.GOOGLE_CALENDAR.fields()).containsExactly("client_id", "calendar_id");
        assertThat(Vendor.GOOGLE_CALENDAR.secrets()).containsExactly("client_secret", "refresh_token");
    }

    @Test
    void aBadGoogleCalendarConnectionIsRefusedNamingTheField() {
        assertThatThrownBy(() -> google("{\"client_id\":\"my-app\"," + SECRETS + "}"))
                .hasMessageContaining("'client_id' must be the OAuth client's id");
        assertThatThrownBy(() -> google("{" + CLIENT + ",\"calendar_id\":\"../../users/me\"," + SECRETS + "}"))
                .hasMessageContaining("'calendar_id' must be");
        assertThatThrownBy(() -> google("{" + CLIENT + ",\"refresh_token\":\"1//0g-refresh-0123\"}"))
                .hasMessageContaining("'client_secret' is required");
        assertThatThrownBy(() -> google("{" + CLIENT + ",\"client_secret\":\"GOCSPX-0123456789\"}"))
                .hasMessageContaining("'refresh_token' is required");
        assertThatThrownBy(() -> google("{" + CLIENT + ",\"client_secret\":\"GOCSPX 01234\",\"refresh_token\":\"1//0g-refresh-0123\"}"))
                .hasMessageContaining("'client_secret' must be 8 to 1024 visible characters");
        assertThatThrownBy(() -> google("{" + CLIENT + ",\"client_secret\":\"GOCSPX-0123456789\",\"refresh_token\":\"short\"}"))
                .hasMessageContaining("'refresh_token' must be 8 to 1024 visible characters");
        assertThatThrownBy(() -> google("{" + CLIENT + "," + SECRETS + ",\"token\":\"0123456789\"}"))
                .hasMessageContaining("unknown field 'token'")
                .hasMessageContaining("takes 'client_id', 'calendar_id', 'client_secret' and 'refresh_token'");
        assertThatThrownBy(() -> google("{" + CLIENT + "," + SECRETS + ",\"base_url\":\"http://169.254.169.254\"}"))
                .hasMessageContaining("not a tenant setting");
        assertThatThrownBy(() -> GoogleSecret.of("pat-na1-not-json")).hasMessageContaining("not a client secret and refresh token pair")
                .hasMessageNotContaining("pat-na1-not-json");
    }

    @Test
    void onlyTheOperatorMovesAVendorsAddress() {
        VendorEndpoints defaults = VendorEndpoints.fromEnvironment(Map.of());
        assertThat(defaults).isEqualTo(VendorEndpoints.defaults());
        assertThat(defaults.zendeskFor("acme")).isEqualTo(URI.create("https://acme.zendesk.com"));
        assertThat(defaults.hubspot()).isEqualTo(URI.create("https://api.hubapi.com"));
        assertThat(defaults.slack()).isEqualTo(URI.create("https://slack.com/api"));
        assertThat(defaults.googleOAuth()).isEqualTo(URI.create("https://oauth2.googleapis.com"));
        assertThat(defaults.googleCalendar()).isEqualTo(URI.create("https://www.googleapis.com/calendar/v3"));

        VendorEndpoints local = VendorEndpoints.fromEnvironment(Map.of("STEWARD_ZENDESK_BASE_URL", "http://127.0.0.1:9911/",
                "STEWARD_HUBSPOT_BASE_URL", "http://127.0.0.1:9912", "STEWARD_SLACK_BASE_URL", "http://127.0.0.1:9913/api/",
                "STEWARD_CONNECTOR_TIMEOUT_MS", "2500"));
        assertThat(local).isEqualTo(new VendorEndpoints(Optional.of(URI.create("http://127.0.0.1:9911")),
                URI.create("http://127.0.0.1:9912"), URI.create("http://127.0.0.1:9913/api"), VendorEndpoints.GOOGLE_OAUTH,
                VendorEndpoints.GOOGLE_CALENDAR_API, Duration.ofMillis(2500)));
        assertThat(local.zendeskFor("acme")).isEqualTo(URI.create("http://127.0.0.1:9911"));

        VendorEndpoints google = VendorEndpoints.fromEnvironment(Map.of("STEWARD_GOOGLE_OAUTH_BASE_URL", "http://127.0.0.1:9913/",
                "STEWARD_GOOGLE_CALENDAR_BASE_URL", "http://127.0.0.1:9913/calendar/v3"));
        assertThat(google.googleOAuth()).isEqualTo(URI.create("http://127.0.0.1:9913"));
        assertThat(google.googleCalendar()).isEqualTo(URI.create("http://127.0.0.1:9913/calendar/v3"));
        assertThatThrownBy(() -> VendorEndpoints.fromEnvironment(Map.of("STEWARD_GOOGLE_CALENDAR_BASE_URL", "https://x/?q=1")))
                .hasMessageContaining("STEWARD_GOOGLE_CALENDAR_BASE_URL");
        assertThatThrownBy(() -> VendorEndpoints.fromEnvironment(Map.of("STEWARD_GOOGLE_OAUTH_BASE_URL", "file:///etc")))
                .hasMessageContaining("STEWARD_GOOGLE_OAUTH_BASE_URL");
        assertThatThrownBy(() -> VendorEndpoints.fromEnvironment(Map.of("STEWARD_ZENDESK_BASE_URL", "ftp://x")))
                .hasMessageContaining("STEWARD_ZENDESK_BASE_URL");
        assertThatThrownBy(() -> VendorEndpoints.fromEnvironment(Map.of("STEWARD_SLACK_BASE_URL", "https://slack.com/api?team=T1")))
                .hasMessageContaining("STEWARD_SLACK_BASE_URL");
        assertThatThrownBy(() -> VendorEndpoints.fromEnvironment(Map.of("STEWARD_CONNECTOR_TIMEOUT_MS", "soon")))
                .hasMessageContaining("STEWARD_CONNECTOR_TIMEOUT_MS");
    }
}
