package dev.steward.connectors.webhook;

import static dev.steward.connectors.webhook.ZendeskWebhookTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * HubSpot's v3 signature (HMAC-SHA256 over method + URI + body + timestamp, Base64) and its event batches. The expected
 * signature was computed outside Java with {@code openssl dgst -sha256 -hmac <secret> -binary | base64} over
 * {@code POSThttps://api.example.com/v1/hooks/acme/hubspot?mode=a:b<body>1777636790000}: the request below was sent
 * to {@code ...?mode=a%3Ab}, which HubSpot signs decoded.
 */
class HubSpotWebhookTest {
    static final String SECRET = "hubspot-client-secret";
    static final String URL = "https://api.example.com/v1/hooks/acme/hubspot?mode=a%3Ab";
    static final String TIMESTAMP = "1777636790000"; // 2026-05-01T11:59:50Z
    static final String BODY = "[{\"eventId\":1001,\"subscriptionId\":25,\"portalId\":62515,\"appId\":54321,"
            + "\"occurredAt\":1777636770000,\"subscriptionType\":\"ticket.propertyChange\",\"attemptNumber\":0,\"objectId\":987,"
            + "\"propertyName\":\"subject\",\"propertyValue\":\"Refund not received\",\"changeSource\":\"CRM\"}]";
    static final String OPENSSL_SIGNATURE = "/xFMQtVM4DQ3elLyW84zuB8C9Kb7oX18J8qBFjCb+ww=";
    static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
    final HubSpotWebhook hubspot = new HubSpotWebhook();

    @Test
    void aRequestSignedWithTheClientSecretIsAccepted() {
        hubspot.verify(request("POST", URL, BODY, TIMESTAMP, OPENSSL_SIGNATURE), SECRET, NOW);
    }

    @Test
    void signingGivesTheHeadersHubSpotSends() {
        assertThat(hubspot.sign("POST", URL, BODY.getBytes(StandardCharsets.UTF_8), SECRET, Instant.ofEpochMilli(Long.parseLong(TIMESTAMP))))
                .containsEntry(HubSpotWebhook.TIMESTAMP, TIMESTAMP).containsEntry(HubSpotWebhook.SIGNATURE, OPENSSL_SIGNATURE);
    }

    @Test
    void theMethodTheUrlTheBodyAndTheTimestampAreAllSigned() {
        assertRefused(() -> hubspot.verify(request("PUT", URL, BODY, TIMESTAMP, OPENSSL_SIGNATURE), SECRET, NOW), "does not match");
        assertRefused(() -> hubspot.verify(request("POST", URL.replace("acme", "other"), BODY, TIMESTAMP, OPENSSL_SIGNATURE), SECRET, NOW),
                "does not match");
        assertRefused(() -> hubspot.verify(request("POST", URL, BODY.replace("987", "988"), TIMESTAMP, OPENSSL_SIGNATURE), SECRET, NOW),
                "does not match");
        assertRefused(() -> hubspot.verify(request("POST", URL, BODY, "1777636791000", OPENSSL_SIGNATURE), SECRET, NOW),
                "does not match");
        assertRefused(() -> hubspot.verify(request("POST", URL, BODY, TIMESTAMP, OPENSSL_SIGNATURE), "wrong", NOW), "does not match");
    }

    @Test
    void anOldOrMalformedTimestampIsRefused() {
        assertRefused(() -> hubspot.verify(request("POST", URL, BODY, TIMESTAMP, OPENSSL_SIGNATURE), SECRET,
                NOW.plusSeconds(5 * 60 + 1)), "possible replay");
        assertRefused(() -> hubspot.verify(request("POST", URL, BODY, "2026-05-01", OPENSSL_SIGNATURE), SECRET, NOW),
                "not epoch milliseconds");
        assertRefused(() -> hubspot.verify(request("POST", URL, BODY, null, OPENSSL_SIGNATURE), SECRET, NOW),
                "no X-HubSpot-Request-Timestamp");
    }

    @Test
    void onlyTheCharactersHubSpotListsAreDecodedInTheSignedUri() {
        assertThat(HubSpotWebhook.signedUri("https://h/p?a=%3a%2F%3F%40%21%24%27%28%29%2A%2C%3B&b=%20%25"))
                .isEqualTo("https://h/p?a=:/?@!$'()*,;&b=%20%25");
    }

    @Test
    void eachEventOfABatchBecomesARunInputKeyedByPortalAndEventId() {
        String batch = BODY.substring(0, BODY.length() - 1) + ",{\"eventId\":1002,\"portalId\":62515,\"occurredAt\":1777636771000,"
                + "\"subscriptionType\":\"contact.creation\",\"objectId\":55}]";
        List<WebhookEvent> events = hubspot.events(request("POST", URL, batch, TIMESTAMP, "x"));

        assertThat(events).extracting(WebhookEvent::key).containsExactly("62515:1001", "62515:1002");
        assertThat(events).extracting(WebhookEvent::type).containsExactly("ticket.propertyChange", "contact.creation");
        assertThat(events.getFirst().input()).isEqualTo("""
                HubSpot event ticket.propertyChange on ticket 987 (portal 62515).
                Occurred at: 2026-05-01T11:59:30Z
                Property subject is now: Refund not received
                Change source: CRM""");
        assertThat(events.get(1).input()).isEqualTo("HubSpot event contact.creation on contact 55 (portal 62515).\n"
                + "Occurred at: 2026-05-01T11:59:31Z");
    }

    @Test
    void aBodyThatIsNotAHubSpotBatchIsRefusedAsMalformed() {
        assertMalformed("\"text\"", "must be a JSON array");
        assertMalformed("[]", "holds no events");
        assertMalformed("[1]", "event 0 is not a JSON object");
        assertMalformed("[{\"eventId\":1}]", "needs 'eventId' and 'subscriptionType'");
        assertMalformed("[" + "{\"eventId\":1,\"subscriptionType\":\"x\"},".repeat(101) + "{\"eventId\":1,\"subscriptionType\":\"x\"}]",
                "holds 102 events");
    }

    private void assertMalformed(String body, String message) {
        assertThatThrownBy(() -> hubspot.events(request("POST", URL, body, TIMESTAMP, "x")))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining(message);
    }

    static SignedRequest request(String method, String url, String body, String timestamp, String signature) {
        Map<String, String> headers = new java.util.HashMap<>();
        if (timestamp != null) {
            headers.put(HubSpotWebhook.TIMESTAMP, timestamp);
        }
        if (signature != null) {
            headers.put(HubSpotWebhook.SIGNATURE, signature);
        }
        return new SignedRequest(method, url, headers, body.getBytes(StandardCharsets.UTF_8));
    }
}
