package dev.steward.connectors.google;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.connectors.ToolResult;
import dev.steward.core.error.RateLimitedException;
import dev.steward.core.error.TransientException;
import dev.steward.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Access tokens for the Calendar API, from each connection's refresh token, as Google's OAuth 2.0 documents it:
 * {@code POST {oauth root}/token} with the form {@code grant_type=refresh_token&client_id&client_secret&refresh_token},
 * answered {@code {"access_token", "expires_in", "token_type": "Bearer"}}.
 *
 * <p>A token is kept in memory until {@link #EARLY} before Google says it expires, so one token serves many tool calls.
 * It is kept under a fingerprint (SHA-256) of the connection's client id and secrets, never the secrets themselves: a
 * replaced connection gets a new token at once, and only whoever holds the same secrets, who could mint the token
 * anyway, shares one. The cache is bounded ({@link #MAX_KEPT}, least recently used dropped first) and thread-safe; two
 * calls that miss at once may both ask Google, which is harmless.
 *
 * <p>What Google answers:
 * <ul>
 *   <li>{@code invalid_grant} (the refresh token was revoked, expired, or the consent withdrawn) and
 *       {@code invalid_client}/{@code unauthorized_client}: a {@link Grant.Refused} telling an admin to reconnect Google
 *       Calendar. Retrying will not help.</li>
 *   <li>Another 4xx: {@link Grant.Refused} ({@code rejected}).</li>
 *   <li>429, 5xx, Google unreachable or slow: {@link TransientException} (a {@link RateLimitedException} for 429).</li>
 * </ul>
 * Messages carry Google's {@code error} and {@code error_description}, never a secret or a token.
 */
final class GoogleTokens {
    /** How long before Google's expiry a token is replaced, so a call never starts with one about to lapse. */
    static final Duration EARLY = Duration.ofSeconds(60);
    static final int MAX_KEPT = 1_000;

    /** What the token endpoint gave. */
    sealed interface Grant {
        record Granted(String accessToken) implements Grant {
            @Override
            public String toString() {
                return "Granted[****]";
            }
        }

        /** Google refused the connection's credentials; nothing can be sent until an admin fixes them. */
        record Refused(ToolResult.Failed failure) implements Grant {}
    }

    private record Kept(String accessToken, Instant until) {}

    private final URI endpoint;
    private final Duration timeout;
    private final Clock clock;
    private final HttpClient client;
    private final Map<String, Kept> kept = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Kept> eldest) {
            return size() > MAX_KEPT;
        }
    };

    GoogleTokens(URI oauthRoot, Duration timeout, Clock clock) {
        this.endpoint = URI.create(Objects.requireNonNull(oauthRoot, "oauthRoot") + "/token");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    /** A valid access token for {@code connection}: the kept one, or a new one from Google. */
    Grant accessToken(CalendarConnection connection) {
        String fingerprint = fingerprint(connection);
        synchronized (kept) {
            Kept k = kept.get(fingerprint);
            if (k != null && clock.instant().isBefore(k.until())) {
                return new Grant.Granted(k.accessToken());
            }
        }
        HttpResponse<String> response = exchange(connection);
        JsonNode answer = parse(response.body());
        int status = response.statusCode();
        if (status == 200 && answer.path("access_token").isTextual() && !answer.path("access_token").asText().isBlank()) {
            String token = answer.get("access_token").asText();
            long seconds = answer.path("expires_in").canConvertToLong() ? answer.get("expires_in").asLong() : 0;
            Instant until = clock.instant().plusSeconds(seconds).minus(EARLY);
            if (until.isAfter(clock.instant())) {
                synchronized (kept) {
                    kept.put(fingerprint, new Kept(token, until));
                }
            }
            return new Grant.Granted(token);
        }
        String error = answer.path("error").asText("");
        String said = "Google's token endpoint answered HTTP " + status + (error.isEmpty() ? "" : " " + error)
                + (answer.path("error_description").isTextual() ? ": " + answer.get("error_description").asText() : "");
        if (status == 429) {
            throw new RateLimitedException(said + "; nothing was sent, a retry may succeed");
        }
        if (status >= 500 || status == 200) {
            throw new TransientException(said + (status == 200 ? " without an access token" : "") + "; nothing was sent, a retry may succeed");
        }
        forget(fingerprint);
        String reconnect = "; an admin must reconnect Google Calendar (PUT /v1/connections/google_calendar)";
        return new Grant.Refused(switch (error) {
            case "invalid_grant" -> new ToolResult.Failed("unauthorized", "Google refused this tenant's refresh token (revoked, expired "
                    + "or the consent withdrawn), so nothing was sent" + reconnect + " with a new refresh token", List.of(said));
            case "invalid_client", "unauthorized_client" -> new ToolResult.Failed("unauthorized", "Google refused this tenant's OAuth "
                    + "client id or secret, so nothing was sent" + reconnect, List.of(said));
            default -> new ToolResult.Failed("rejected", "Google refused to issue an access token, so nothing was sent", List.of(said));
        });
    }

    /**
     * Drops the token kept for {@code connection} when the Calendar API refused it (401: revoked with the consent before
     * it expired), so the next call asks Google again, and learns whether the grant itself is gone, rather than
     * repeating the refused token until it would have expired. Passes {@code result} on.
     */
    ToolResult forgetIfRefused(CalendarConnection connection, ToolResult result) {
        if (result instanceof ToolResult.Failed f && f.code().equals("unauthorized")) {
            forget(fingerprint(connection));
        }
        return result;
    }

    private void forget(String fingerprint) {
        synchronized (kept) {
            kept.remove(fingerprint);
        }
    }

    private HttpResponse<String> exchange(CalendarConnection connection) {
        String form = "grant_type=refresh_token&client_id=" + form(connection.clientId()) + "&client_secret="
                + form(connection.secret().clientSecret()) + "&refresh_token=" + form(connection.secret().refreshToken());
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8)).build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new TransientException("could not reach Google's token endpoint at " + endpoint.getHost() + " (nothing was sent, a retry may "
                    + "succeed): " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientException("interrupted while waiting for Google's token endpoint", e);
        }
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? Json.object() : Json.tree(body);
        } catch (RuntimeException notJson) {
            return Json.object();
        }
    }

    private static String fingerprint(CalendarConnection connection) {
        return Sha256.hex("steward.google-token-cache.v1", connection.clientId(), connection.secret().clientSecret(),
                connection.secret().refreshToken());
    }
}
