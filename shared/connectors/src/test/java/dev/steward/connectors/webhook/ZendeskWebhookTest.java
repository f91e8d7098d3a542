package dev.steward.connectors.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Zendesk's signature (HMAC-SHA256 over timestamp + body, Base64) and its two payload shapes. The expected signature
 * below was computed outside Java, with {@code openssl dgst -sha256 -hmac <secret> -binary | base64} over the same bytes.
 */
class ZendeskWebhookTest {
    static final String SECRET = "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==";
    static final String TIMESTAMP = "2026-05-01T11:59:30Z";
    static final String EVENT = "{\"type\":\"zen:event-type:ticket.created\",\"account_id\":88888888,\"id\":\"01HNXCTEXAMPLE\","
            + "\"time\":\"2026-05-01T11:59:30Z\",\"zendesk_event_version\":\"2022-11-06\",\"subject\":\"zen:ticket:35436\","
            + "\"detail\":{\"id\":\"35436\",\"subject\":\"Printer on fire\",\"description\":\"The printer in room 4 is on fire.\","
            + "\"status\":\"OPEN\",\"priority\":\"HIGH\",\"tags\":[\"hardware\",\"urgent\"],\"requester_id\":\"20978392\","
            + "\"via\":{\"channel\":\"web\"},\"created_at\":\"2026-05-01T11:59:30Z\"},\"event\":{}}";
    static final String OPENSSL_SIGNATURE = "883bQAn6uXGwqkDmnrBLFEmU8Gk88T2dwm1lmGDxrEo=";
    static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
    final ZendeskWebhook zendesk = new ZendeskWebhook();

    @Test
    void aRequestSignedWithTheSecretIsAccepted() {
        zendesk.verify(request(EVENT, TIMESTAMP, OPENSSL_SIGNATURE), SECRET, NOW);
    }

    @Test
    void signingGivesTheHeadersZendeskSends() {
        Map<String, String> headers = zendesk.sign("POST", "https://x/", EVENT.getBytes(StandardCharsets.UTF_8), SECRET,
                Instant.parse(TIMESTAMP).plusMillis(400));
        assertThat(headers).containsEntry(ZendeskWebhook.TIMESTAMP, TIMESTAMP).containsEntry(ZendeskWebhook.SIGNATURE, OPENSSL_SIGNATURE);
    }

    @Test
    void whatEveryVendorSignsItVerifies() {
        byte[] body = EVENT.getBytes(StandardCharsets.UTF_8);
        for (Webhook vendor : Webhook.all()) {
            String url = "https://api.example.com/v1/hooks/acme/" + vendor.source() + "?x=%3A";
            Map<String, String> headers = vendor.sign("POST", url, body, SECRET, NOW.minusSeconds(10));
            vendor.verify(new SignedRequest("POST", url, headers, body), SECRET, NOW);
            assertRefused(() -> vendor.verify(new SignedRequest("POST", url, headers, body), SECRET + "x", NOW), "does not match");
        }
    }

    @Test
    void headerNamesAreMatchedWhateverTheirCase() {
        zendesk.verify(new SignedRequest("POST", "https://x/", Map.of("x-zendesk-webhook-signature", OPENSSL_SIGNATURE,
                "X-ZENDESK-WEBHOOK-SIGNATURE-TIMESTAMP", TIMESTAMP), EVENT.getBytes(StandardCharsets.UTF_8)), SECRET, NOW);
    }

    @Test
    void aChangedBodyAWrongSecretOrAMissingSignatureIsRefused() {
        assertRefused(() -> zendesk.verify(request(EVENT.replace("on fire", "fine"), TIMESTAMP, OPENSSL_SIGNATURE), SECRET, NOW),
                "does not match");
        assertRefused(() -> zendesk.verify(request(EVENT, TIMESTAMP, OPENSSL_SIGNATURE), "another-secret", NOW), "does not match");
        assertRefused(() -> zendesk.verify(request(EVENT, TIMESTAMP, null), SECRET, NOW), "no Zendesk signature");
        assertRefused(() -> zendesk.verify(request(EVENT, null, OPENSSL_SIGNATURE), SECRET, NOW), "no X-Zendesk-Webhook-Signature-Timestamp");
        assertRefused(() -> zendesk.verify(request(EVENT, "yesterday", OPENSSL_SIGNATURE), SECRET, NOW), "not an ISO-8601 instant");
    }

    @Test
    void aGenuineRequestReplayedAfterTheWindowIsRefused() {
        assertRefused(() -> zendesk.verify(request(EVENT, TIMESTAMP, OPENSSL_SIGNATURE), SECRET, NOW.plusSeconds(6 * 60)),
                "possible replay");
        // a signature with another timestamp does not match, so the window cannot be stretched by editing the header
        assertRefused(() -> zendesk.verify(request(EVENT, "2026-05-01T12:05:00Z", OPENSSL_SIGNATURE), SECRET, NOW.plusSeconds(6 * 60)),
                "does not match");
    }

    @Test
    void aTicketEventBecomesOneRunInputKeyedByTheEventId() {
        List<WebhookEvent> events = zendesk.events(request(EVENT, TIMESTAMP, OPENSSL_SIGNATURE));

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.key()).isEqualTo("01HNXCTEXAMPLE");
            assertThat(e.type()).isEqualTo("zen:event-type:ticket.created");
            assertThat(e.input()).isEqualTo("""
                    Zendesk ticket 35436: created.
                    Subject: Printer on fire
                    Status: OPEN
                    Priority: HIGH
                    Tags: hardware, urgent
                    Requester id: 20978392
                    Channel: web

                    Description:
                    The printer in room 4 is on fire.""");
        });
    }

    @Test
    void aTriggerPayloadIsKeyedByItsBytesSoARetryIsTheSameEvent() {
        String body = "{\"ticket\":{\"id\":\"77\",\"subject\":\"Where is my refund?\",\"requester\":\"ana@example.com\","
                + "\"description\":\"I returned the order two weeks ago.\"}}";
        WebhookEvent first = zendesk.events(request(body, TIMESTAMP, "x")).getFirst();
        WebhookEvent retry = zendesk.events(request(body, "2026-05-01T12:01:00Z", "y")).getFirst();
        WebhookEvent other = zendesk.events(request(body.replace("77", "78"), TIMESTAMP, "x")).getFirst();

        assertThat(first.type()).isEqualTo(ZendeskWebhook.TRIGGER_TYPE);
        assertThat(first.key()).startsWith("sha256:").isEqualTo(retry.key()).isNotEqualTo(other.key());
        assertThat(first.input()).startsWith("Zendesk ticket 77 (from a Zendesk trigger).\nSubject: Where is my refund?\n"
                + "Requester: ana@example.com").endsWith("Description:\nI returned the order two weeks ago.");
    }

    @Test
    void otherEventsKeepTheirFields() {
        String body = "{\"type\":\"zen:event-type:user.active_changed\",\"id\":\"2b24\",\"subject\":\"zen:user:65\","
                + "\"detail\":{\"id\":\"65\",\"role\":\"end-user\",\"organization_id\":\"0\"},\"event\":{\"current\":false,\"previous\":true}}";

        assertThat(zendesk.events(request(body, TIMESTAMP, "x")).getFirst().input()).isEqualTo("""
                Zendesk event user.active_changed on zen:user:65.
                id: 65
                role: end-user
                organization_id: 0
                Change: {"current":false,"previous":true}""");
    }

    @Test
    void aBodyThatIsNotAZendeskPayloadIsRefusedAsMalformed() {
        assertMalformed("", "body is empty");
        assertMalformed("{not json", "not valid JSON");
        assertMalformed("[1,2]", "must be a JSON object");
        assertMalformed("{\"hello\":\"world\"}", "expected a Zendesk event");
        assertMalformed("{\"type\":\"zen:event-type:ticket.created\",\"detail\":{}}", "has no 'id'");
        assertMalformed("{\"type\":\"zen:event-type:ticket.created\",\"id\":\"e1\"}", "has no 'detail' object");
    }

    private void assertMalformed(String body, String message) {
        assertThatThrownBy(() -> zendesk.events(request(body, TIMESTAMP, "x")))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("invalid_payload");
                })
                .hasMessageContaining(message);
    }

    static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(WebhookRejectedException.class, e -> {
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.code()).isEqualTo("invalid_signature");
        }).hasMessageContaining(message);
    }

    static SignedRequest request(String body, String timestamp, String signature) {
        Map<String, String> headers = new java.util.HashMap<>();
        if (timestamp != null) {
            headers.put(ZendeskWebhook.TIMESTAMP, timestamp);
        }
        if (signature != null) {
            headers.put(ZendeskWebhook.SIGNATURE, signature);
        }
        return new SignedRequest("POST", "https://api.example.com/v1/hooks/acme/zendesk", headers, body.getBytes(StandardCharsets.UTF_8));
    }
}
