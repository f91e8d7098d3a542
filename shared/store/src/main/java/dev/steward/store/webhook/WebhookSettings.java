package dev.steward.store.webhook;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * How a tenant receives one vendor's webhooks: the agent each event starts a run of, the secret the vendor signs with
 * (Zendesk's webhook signing secret, HubSpot's app client secret), and which event types start runs (all when empty).
 * The secret is needed in the clear to check an HMAC, so it is kept only in this item (encrypted at rest with the
 * table) and never returned by the API.
 */
public record WebhookSettings(String source, String agent, String secret, List<String> events, Instant updatedAt, String updatedBy) {
    public WebhookSettings {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(secret, "secret");
        events = events == null ? List.of() : List.copyOf(events);
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(updatedBy, "updatedBy");
    }

    /** True when events of this type start a run. */
    public boolean accepts(String eventType) {
        return events.isEmpty() || events.contains(eventType);
    }
}
