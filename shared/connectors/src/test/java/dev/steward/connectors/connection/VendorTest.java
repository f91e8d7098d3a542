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
        assertThat(Vendor.names()).contains("zendesk", "hubspot", "slack");
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

    @Test
    void onlyTheOperatorMovesAVendorsAddress() {
        VendorEndpoints defaults = VendorEndpoints.fromEnvironment(Map.of());
        assertThat(defaults).isEqualTo(VendorEndpoints.defaults());
        assertThat(defaults.zendeskFor("acme")).isEqualTo(URI.create("https://acme.zendesk.com"));
        assertThat(defaults.hubspot()).isEqualTo(URI.create("https://api.hubapi.com"));
        assertThat(defaults.slack()).isEqualTo(URI.create("https://slack.com/api"));

        VendorEndpoints local = VendorEndpoints.fromEnvironment(Map.of("STEWARD_ZENDESK_BASE_URL", "http://127.0.0.1:9911/",
                "STEWARD_HUBSPOT_BASE_URL", "http://127.0.0.1:9912", "STEWARD_SLACK_BASE_URL", "http://127.0.0.1:9913/api/",
                "STEWARD_CONNECTOR_TIMEOUT_MS", "2500"));
        assertThat(local).isEqualTo(new VendorEndpoints(Optional.of(URI.create("http://127.0.0.1:9911")),
                URI.create("http://127.0.0.1:9912"), URI.create("http://127.0.0.1:9913/api"), Duration.ofMillis(2500)));
        assertThat(local.zendeskFor("acme")).isEqualTo(URI.create("http://127.0.0.1:9911"));

        assertThatThrownBy(() -> VendorEndpoints.fromEnvironment(Map.of("STEWARD_ZENDESK_BASE_URL", "ftp://x")))
                .hasMessageContaining("STEWARD_ZENDESK_BASE_URL");
        assertThatThrownBy(() -> VendorEndpoints.fromEnvironment(Map.of("STEWARD_SLACK_BASE_URL", "https://slack.com/api?team=T1")))
                .hasMessageContaining("STEWARD_SLACK_BASE_URL");
        assertThatThrownBy(() -> VendorEndpoints.fromEnvironment(Map.of("STEWARD_CONNECTOR_TIMEOUT_MS", "soon")))
                .hasMessageContaining("STEWARD_CONNECTOR_TIMEOUT_MS");
    }
}
