package dev.steward.connectors.connection;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the vendor connectors send their calls, set by the operator (never by a tenant): Zendesk at
 * {@code https://<tenant's subdomain>.zendesk.com} unless {@code zendesk} overrides it for every tenant (a test
 * server, local mode), HubSpot at {@code hubspot}, Slack's Web API at {@code slack}, Google's OAuth token endpoint
 * below {@code googleOAuth} and the
 * Calendar API v3 at {@code googleCalendar}. {@code timeout} bounds connecting and each whole request, so a slow vendor
 * becomes a retry well inside a Lambda's time limit.
 */
public record VendorEndpoints(Optional<URI> zendesk, URI hubspot, URI slack, URI googleOAuth, URI googleCalendar, Duration timeout) {
    public static final URI HUBSPOT_API = URI.create("https://api.hubapi.com");
    public static final URI SLACK_API = URI.create("https://slack.com/api");
    public static final URI GOOGLE_OAUTH = URI.create("https://oauth2.googleapis.com");
    public static final URI GOOGLE_CALENDAR_API = URI.create("https://www.googleapis.com/calendar/v3");
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public VendorEndpoints {
        Objects.requireNonNull(zendesk, "zendesk");
        Objects.requireNonNull(hubspot, "hubspot");
        Objects.requireNonNull(slack, "slack");
        Objects.requireNonNull(googleOAuth, "googleOAuth");
        Objects.requireNonNull(googleCalendar, "googleCalendar");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
    }


    /** The vendors' own addresses. */
    public static VendorEndpoints defaults() {
        return new VendorEndpoints(Optional.empty(), HUBSPOT_API, SLACK_API, GOOGLE_OAUTH, GOOGLE_CALENDAR_API, DEFAULT_TIMEOUT);
    }

    /**
     * Reads {@code STEWARD_ZENDESK_BASE_URL} (unset: each tenant's own Zendesk), {@code STEWARD_HUBSPOT_BASE_URL}
     * (default {@code https://api.hubapi.com}), {@code STEWARD_SLACK_BASE_URL} (default {@code https://slack.com/api}),
     * {@code STEWARD_GOOGLE_OAUTH_BASE_URL} (default
     * {@code https://oauth2.googleapis.com}), {@code STEWARD_GOOGLE_CALENDAR_BASE_URL} (default
     * {@code https://www.googleapis.com/calendar/v3}) and {@code STEWARD_CONNECTOR_TIMEOUT_MS} (default 10000).
     *
     * @throws IllegalStateException naming the variable that is malformed
     */
    public static VendorEndpoints fromEnvironment(Map<String, String> env) {
        Optional<URI> zendesk = Optional.ofNullable(env.get("STEWARD_ZENDESK_BASE_URL")).filter(s -> !s.isBlank())
                .map(s -> baseUrl("STEWARD_ZENDESK_BASE_URL", s));
        URI hubspotUrl = baseUrl(env, "STEWARD_HUBSPOT_BASE_URL", HUBSPOT_API);
        URI slack = baseUrl(env, "STEWARD_SLACK_BASE_URL", SLACK_API);
        URI googleOAuth = baseUrl(env, "STEWARD_GOOGLE_OAUTH_BASE_URL", GOOGLE_OAUTH);
        URI googleCalendar = baseUrl(env, "STEWARD_GOOGLE_CALENDAR_BASE_URL", GOOGLE_CALENDAR_API);
        String ms = env.get("STEWARD_CONNECTOR_TIMEOUT_MS");
        Duration timeout = DEFAULT_TIMEOUT;
        if (ms != null && !ms.isBlank()) {
            try {
                timeout = Duration.ofMillis(Long.parseLong(ms.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalStateException("STEWARD_CONNECTOR_TIMEOUT_MS must be a whole number of milliseconds, got '" + ms + "'");
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalStateException("STEWARD_CONNECTOR_TIMEOUT_MS must be positive, got '" + ms + "'");
            }
        }
        return new VendorEndpoints(zendesk, hubspotUrl, slack, googleOAuth, googleCalendar, timeout);
    }

    /** The Zendesk API root of a tenant whose subdomain was checked by {@link Vendor#settings}. */
    public URI zendeskFor(String subdomain) {
        return zendesk.orElseGet(() -> URI.create("https://" + subdomain + ".zendesk.com"));
    }

    /** The URL in {@code variable}, or {@code otherwise} when it is unset or blank. */
    private static URI baseUrl(Map<String, String> env, String variable, URI otherwise) {
        String value = env.get(variable);
        return value == null || value.isBlank() ? otherwise : baseUrl(variable, value);
    }

    private static URI baseUrl(String variable, String value) {
        URI uri;
        try {
            uri = URI.create(value.strip().replaceAll("/+$", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(variable + " is not a URL: '" + value + "'");
        }
        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalStateException(variable + " must be an http(s) URL without query, like https://api.example.com, got '" + value + "'");
        }
        return uri;
    }
}
