package dev.steward.connectors.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HubSpot app webhooks, signature v3: {@code X-HubSpot-Signature-v3} is Base64 of HMAC-SHA256, keyed with the app's
 * client secret, over {@code method + uri + body + timestamp}, where the timestamp is {@code X-HubSpot-Request-Timestamp}
 * (epoch milliseconds) and the URI is the full URL with the characters HubSpot lists ({@code %3A %2F %3F %40 %21 %24
 * %27 %28 %29 %2A %2C %3B}) decoded.
 *
 * <p>The body is an array of up to 100 events ({@code eventId, subscriptionType, objectId, portalId, occurredAt},
 * and {@code propertyName}/{@code propertyValue} for property changes); each starts a run, identified across
 * retries by its portal and {@code eventId}.
 */
public final class HubSpotWebhook implements Webhook {
    static final String SIGNATURE = "X-HubSpot-Signature-v3";
    static final String TIMESTAMP = "X-HubSpot-Request-Timestamp";
    private static final Pattern DECODED_IN_URI = Pattern.compile("%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)", Pattern.CASE_INSENSITIVE);
    private static final Map<String, String> EVENT_FIELDS = Payloads.labels(
            "changeSource", "Change source", "messageId", "Message id", "messageType", "Message type",
            "associationType", "Association", "fromObjectId", "From object", "toObjectId", "To object");
    private static final Set<String> EVENT_SKIPPED = Set.of("eventId", "subscriptionId", "portalId", "appId", "occurredAt",
            "subscriptionType", "attemptNumber", "objectId", "propertyName", "propertyValue", "changeFlag", "sourceId");

    @Override
    public String source() {
        return "hubspot";
    }

    @Override
    public void verify(SignedRequest request, String secret, Instant now) {
        String timestamp = request.header(TIMESTAMP);
        if (timestamp == null || timestamp.isBlank()) {
            throw WebhookRejectedException.unauthenticated("the request has no " + TIMESTAMP + " header");
        }
        long millis;
        try {
            millis = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            throw WebhookRejectedException.unauthenticated(TIMESTAMP + " '" + timestamp + "' is not epoch milliseconds");
        }
        Signatures.requireMatch(signature(request.method(), request.url(), request.body(), secret, timestamp), request.header(SIGNATURE), "HubSpot");
        Signatures.requireFresh(Instant.ofEpochMilli(millis), now, "HubSpot");
    }

    @Override
    public Map<String, String> sign(String method, String url, byte[] body, String secret, Instant at) {
        String timestamp = Long.toString(at.toEpochMilli());
        return Map.of(TIMESTAMP, timestamp, SIGNATURE, signature(method, url, body, secret, timestamp));
    }

    private static String signature(String method, String url, byte[] body, String secret, String timestamp) {
        return Signatures.hmacSha256Base64(secret, (method + signedUri(url)).getBytes(StandardCharsets.UTF_8), body,
                timestamp.getBytes(StandardCharsets.UTF_8));
    }

    /** The URL as HubSpot signs it: the listed percent-encoded characters decoded, everything else as sent. */
    static String signedUri(String url) {
        Matcher m = DECODED_IN_URI.matcher(url);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 16))));
        }
        return m.appendTail(out).toString();
    }

    @Override
    public List<WebhookEvent> events(SignedRequest request) {
        JsonNode body = Payloads.parse(request, "HubSpot");
        List<JsonNode> items = new ArrayList<>();
        if (body.isArray()) {
            body.forEach(items::add);
        } else if (body.isObject()) {
            items.add(body);
        } else {
            throw WebhookRejectedException.malformed("a HubSpot webhook body must be a JSON array of events");
        }
        if (items.isEmpty()) {
            throw WebhookRejectedException.malformed("the HubSpot webhook body holds no events");
        }
        if (items.size() > MAX_EVENTS) {
            throw WebhookRejectedException.malformed("the HubSpot webhook body holds " + items.size() + " events; at most "
                    + MAX_EVENTS + " are accepted per delivery");
        }
        List<WebhookEvent> events = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            events.add(event(items.get(i), i));
        }
        return events;
    }

    private static WebhookEvent event(JsonNode e, int index) {
        if (!e.isObject()) {
            throw WebhookRejectedException.malformed("HubSpot event " + index + " is not a JSON object");
        }
        String eventId = Payloads.text(e.get("eventId"));
        String type = Payloads.text(e.get("subscriptionType"));
        if (eventId == null || type == null) {
            throw WebhookRejectedException.malformed("HubSpot event " + index + " needs 'eventId' and 'subscriptionType'");
        }
        String portal = Payloads.text(e.get("portalId"));
        String object = Payloads.text(e.get("objectId"));
        String kind = type.contains(".") ? type.substring(0, type.indexOf('.')) : "object";
        StringBuilder text = new StringBuilder("HubSpot event ").append(type);
        if (object != null) {
            text.append(" on ").append(kind).append(' ').append(object);
        }
        if (portal != null) {
            text.append(" (portal ").append(portal).append(')');
        }
        text.append('.');
        String occurred = occurredAt(e.get("occurredAt"));
        if (occurred != null) {
            text.append("\nOccurred at: ").append(occurred);
        }
        String property = Payloads.text(e.get("propertyName"));
        if (property != null) {
            String value = Payloads.text(e.get("propertyValue"));
            text.append("\nProperty ").append(property).append(value == null ? " was cleared" : " is now: " + value);
        }
        Payloads.fieldLines(text, e, EVENT_FIELDS, EVENT_SKIPPED);
        return new WebhookEvent((portal == null ? "" : portal + ":") + eventId, type, text.toString());
    }

    private static String occurredAt(JsonNode value) {
        return value != null && value.canConvertToLong() ? Instant.ofEpochMilli(value.asLong()).toString() : Payloads.text(value);
    }
}
