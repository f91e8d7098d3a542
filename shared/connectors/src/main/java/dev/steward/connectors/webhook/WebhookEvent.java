package dev.steward.connectors.webhook;

import java.util.Objects;

/**
 * One event of a webhook delivery: the agent run it starts gets {@code input} as its request.
 *
 * @param key the sender's own id of the event (stable across its retries), used to start one run per event however
 *     often it is delivered
 * @param type the vendor's event type ({@code zen:event-type:ticket.created}, {@code ticket.creation}), which a
 *     tenant can use to choose the events that start runs
 * @param input the event as plain text for the agent
 */
public record WebhookEvent(String key, String type, String input) {
    public WebhookEvent {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(input, "input");
        if (key.isBlank()) {
            throw new IllegalArgumentException("an event key must not be blank");
        }
    }
}
