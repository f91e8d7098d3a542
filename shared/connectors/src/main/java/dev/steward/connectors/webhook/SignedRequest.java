package dev.steward.connectors.webhook;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An inbound HTTP request as its sender signed it: method, the full URL it was sent to ({@code https://host/path?query},
 * which HubSpot signs), headers (looked up case-insensitively) and the raw body bytes (never re-serialised: a
 * signature covers the exact bytes).
 */
public record SignedRequest(String method, String url, Map<String, String> headers, byte[] body) {
    public SignedRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        TreeMap<String, String> folded = new TreeMap<>();
        (headers == null ? Map.<String, String>of() : headers).forEach((k, v) -> folded.put(k.toLowerCase(Locale.ROOT), v));
        headers = java.util.Collections.unmodifiableMap(folded);
        body = body == null ? new byte[0] : body.clone();
    }

    /** The header's value, or null when the request has none; the name is matched case-insensitively. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public byte[] body() {
        return body.clone();
    }
}
