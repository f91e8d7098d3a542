package dev.steward.connectors.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Zendesk webhooks. Zendesk signs {@code timestamp + body} with the webhook's signing secret (HMAC-SHA256, Base64) in
 * {@code X-Zendesk-Webhook-Signature}, the timestamp (ISO-8601) in {@code X-Zendesk-Webhook-Signature-Timestamp}.
 *
 * <p>Two payload shapes start a run:
 * <ul>
 *   <li>an event subscription's event ({@code {"type": "zen:event-type:ticket.created", "id": ..., "subject":
 *       "zen:ticket:35436", "detail": {...}, "event": {...}}}); its {@code id} identifies it across retries;</li>
 *   <li>a trigger or automation webhook, whose body the tenant writes in Zendesk; it must hold a {@code ticket}
 *       object, e.g. {@code {"ticket": {"id": "{{ticket.id}}", "subject": "{{ticket.title}}", "description":
 *       "{{ticket.description}}", "requester": "{{ticket.requester.email}}"}}}. It carries no event id, so the body's
 *       SHA-256 identifies it: Zendesk's retries resend the same bytes.</li>
 * </ul>
 */
public final class ZendeskWebhook implements Webhook {
    static final String SIGNATURE = "X-Zendesk-Webhook-Signature";
    static final String TIMESTAMP = "X-Zendesk-Webhook-Signature-Timestamp";
    /** The event type given to trigger and automation payloads, which name none. */
    public static final String TRIGGER_TYPE = "trigger";
    private static final String EVENT_PREFIX = "zen:event-type:";
    private static final Map<String, String> TICKET_FIELDS = Payloads.labels(
            "subject", "Subject", "title", "Subject", "status", "Status", "priority", "Priority", "type", "Type",
            "tags", "Tags", "requester", "Requester", "requester_id", "Requester id", "organization_id", "Organization id",
            "assignee_id", "Assignee id");
    /** Long texts go last, as blocks; ids and timestamps the agent does not need are left out. */
    private static final Set<String> TICKET_SKIPPED = Set.of("id", "description", "latest_comment", "comment", "created_at",
            "updated_at", "actor_id", "brand_id", "form_id", "group_id", "submitter_id", "external_id", "is_public", "custom_status", "via");

    @Override
    public String source() {
        return "zendesk";
    }

    @Override
    public void verify(SignedRequest request, String secret, Instant now) {
        String timestamp = request.header(TIMESTAMP);
        if (timestamp == null || timestamp.isBlank()) {
            throw WebhookRejectedException.unauthenticated("the request has no " + TIMESTAMP + " header");
        }
        Instant signedAt;
        try {
            signedAt = Instant.parse(timestamp.strip());
        } catch (DateTimeParseException e) {
            throw WebhookRejectedException.unauthenticated(TIMESTAMP + " '" + timestamp + "' is not an ISO-8601 instant");
        }
        Signatures.requireMatch(signature(request.body(), secret, timestamp), request.header(SIGNATURE), "Zendesk");
        Signatures.requireFresh(signedAt, now, "Zendesk");
    }

    @Override
    public Map<String, String> sign(String method, String url, byte[] body, String secret, Instant at) {
        String timestamp = at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        return Map.of(TIMESTAMP, timestamp, SIGNATURE, signature(body, secret, timestamp));
    }

    private static String signature(byte[] body, String secret, String timestamp) {
        return Signatures.hmacSha256Base64(secret, timestamp.getBytes(StandardCharsets.UTF_8), body);
    }

    @Override
    public List<WebhookEvent> events(SignedRequest request) {
        JsonNode body = Payloads.parse(request, "Zendesk");
        if (!body.isObject()) {
            throw WebhookRejectedException.malformed("a Zendesk webhook body must be a JSON object");
        }
        String type = Payloads.text(body.get("type"));
        if (type != null && type.startsWith(EVENT_PREFIX)) {
            return List.of(event(body, type));
        }
        if (body.path("ticket").isObject()) {
            return List.of(trigger(body.get("ticket"), request.body()));
        }
        throw WebhookRejectedException.malformed("expected a Zendesk event (with 'type' zen:event-type:..., 'id' and 'detail') "
                + "or a trigger payload with a 'ticket' object");
    }

    private static WebhookEvent event(JsonNode body, String type) {
        String id = Payloads.text(body.get("id"));
        if (id == null) {
            throw WebhookRejectedException.malformed("the Zendesk event has no 'id'");
        }
        JsonNode detail = body.path("detail");
        if (!detail.isObject()) {
            throw WebhookRejectedException.malformed("the Zendesk event " + id + " has no 'detail' object");
        }
        String what = type.substring(EVENT_PREFIX.length()); // ticket.created, user.active_changed, ...
        String subject = Payloads.text(body.get("subject"));
        StringBuilder text = new StringBuilder();
        if (what.startsWith("ticket.")) {
            text.append("Zendesk ticket ").append(orUnknown(Payloads.text(detail.get("id")))).append(": ")
                    .append(what.substring("ticket.".length()).replace('_', ' ')).append('.');
            ticket(text, detail);
        } else {
            text.append("Zendesk event ").append(what).append(subject == null ? "" : " on " + subject).append('.');
            Payloads.fieldLines(text, detail, Map.of(), Set.of());
        }
        JsonNode change = body.path("event");
        if (change.isObject() && !change.isEmpty()) {
            text.append("\nChange: ").append(change);
        }
        return new WebhookEvent(id, type, text.toString());
    }

    private static WebhookEvent trigger(JsonNode ticket, byte[] body) {
        StringBuilder text = new StringBuilder("Zendesk ticket ").append(orUnknown(Payloads.text(ticket.get("id"))))
                .append(" (from a Zendesk trigger).");
        ticket(text, ticket);
        return new WebhookEvent("sha256:" + sha256(body), TRIGGER_TYPE, text.toString());
    }

    private static void ticket(StringBuilder text, JsonNode ticket) {
        Payloads.fieldLines(text, ticket, TICKET_FIELDS, TICKET_SKIPPED);
        String channel = Payloads.text(ticket.path("via").get("channel"));
        if (channel != null) {
            text.append("\nChannel: ").append(channel);
        }
        for (String block : List.of("description", "latest_comment", "comment")) {
            JsonNode value = ticket.get(block);
            String s = value != null && value.isObject() ? Payloads.text(value.get("body")) : Payloads.text(value);
            if (s != null) {
                text.append("\n\n").append(block.equals("description") ? "Description" : "Latest comment").append(":\n").append(s);
            }
        }
    }

    private static String orUnknown(String id) {
        return id == null ? "(no id)" : id;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
