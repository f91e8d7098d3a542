package dev.steward.connectors.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One vendor's webhooks: how it signs a request, and what events its payload holds. Implementations are stateless.
 */
public sealed interface Webhook permits ZendeskWebhook, HubSpotWebhook {
    /** How far a signed timestamp may be from our clock, either way: older deliveries are refused as replays. */
    Duration REPLAY_WINDOW = Duration.ofMinutes(5);
    /** A delivery holds at most this many events (HubSpot batches up to 100). */
    int MAX_EVENTS = 100;

    /** The name in webhook URLs and settings: {@code zendesk}, {@code hubspot}. */
    String source();

    /**
     * Checks that the request was signed with {@code secret} within {@link #REPLAY_WINDOW} of {@code now}.
     *
     * @throws WebhookRejectedException (401) when it was not
     */
    void verify(SignedRequest request, String secret, Instant now);

    /**
     * The signature headers this vendor would send with the body, signed with {@code secret} at {@code at}: for
     * trying a webhook without the vendor (the {@code steward webhook send} command) and for tests.
     */
    Map<String, String> sign(String method, String url, byte[] body, String secret, Instant at);

    /**
     * The events of a verified request, in delivery order.
     *
     * @throws WebhookRejectedException (400) when the body is not this vendor's payload
     */
    List<WebhookEvent> events(SignedRequest request);

    /** Every supported vendor. */
    static List<Webhook> all() {
        return List.of(new ZendeskWebhook(), new HubSpotWebhook());
    }

    /** The vendor named {@code source} (as in {@link #source()}), if supported. */
    static Optional<Webhook> forSource(String source) {
        return all().stream().filter(w -> w.source().equals(source)).findFirst();
    }
}
