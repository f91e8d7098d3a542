/**
 * Inbound webhooks from the systems a tenant runs its support and sales on (Zendesk, HubSpot): each vendor's
 * {@link dev.steward.connectors.webhook.Webhook} verifies the request's signature the way that vendor signs it and
 * turns its payload into {@link dev.steward.connectors.webhook.WebhookEvent}s, one per agent run to start.
 *
 * <p>Nothing here trusts the payload: a request whose signature, timestamp or shape is wrong is refused with
 * {@link dev.steward.connectors.webhook.WebhookRejectedException} before anything is stored, and the text an event
 * yields is a run's input like any user's, checked by the same guardrails (redacted at the door, then injection
 * and toxicity in the first plan).
 */
package dev.steward.connectors.webhook;
