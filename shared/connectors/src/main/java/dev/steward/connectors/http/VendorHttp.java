package dev.steward.connectors.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.steward.connectors.ToolResult;
import dev.steward.core.error.RateLimitedException;
import dev.steward.core.error.TransientException;
import dev.steward.core.json.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the vendor reads and writes share: the JDK HTTP client (HTTP/1.1, redirects never followed, {@code timeout} for
 * connecting and for each whole request), waiting out a short {@code Retry-After}, and what a vendor's refusal means
 * for the model. The write and the read differ only in what an unanswered request means (see
 * {@link ExternalHttpWrite}, {@link ExternalHttpRead}). Thread-safe.
 */
final class VendorHttp {
    /** Longest Retry-After waited out inside the call; a longer one fails the attempt as transient. */
    static final Duration MAX_INLINE_WAIT = Duration.ofSeconds(5);
    private static final int MAX_INLINE_WAITS = 2;
    private static final int MAX_DETAIL = 500;

    /** One sending of a request; its own failures are the caller's to map. */
    @FunctionalInterface
    interface Attempt {
        HttpResponse<String> send();
    }

    private final HttpClient client;
    private final Clock clock;
    private final Duration timeout;

    VendorHttp(Clock clock, Duration timeout) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /**
     * Sends {@code request} once; a JSON body goes as UTF-8 with {@code Content-Type: application/json; charset=utf-8}
     * (Slack warns about a JSON body without a charset), a missing one is none.
     */
    HttpResponse<String> send(VendorRequest request) throws IOException, InterruptedException {
        HttpRequest.Builder http = HttpRequest.newBuilder(request.uri())
                .timeout(timeout)
                .header("Authorization", request.authorization())
                .header("Accept", "application/json");
        if (request.body().isMissingNode()) {
            http.method(request.method(), HttpRequest.BodyPublishers.noBody());
        } else {
            http.header("Content-Type", "application/json; charset=utf-8")
                    .method(request.method(), HttpRequest.BodyPublishers.ofString(Json.write(request.body()), StandardCharsets.UTF_8));
        }
        return client.send(http.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /**
     * Makes {@code attempt}, and while the vendor turns it away (429, 503) with a {@code Retry-After} of at most
     * {@link #MAX_INLINE_WAIT}, waits that long and makes it again (twice at most): the vendor did nothing and says when
     * to come back, and waiting here costs less than a failed step and the state machine's retry. Returns the last
     * answer, which may still be a refusal.
     */
    HttpResponse<String> waitingOutShortRetryAfter(Attempt attempt) throws InterruptedException {
        HttpResponse<String> response = attempt.send();
        for (int waits = 0; waits < MAX_INLINE_WAITS && turnedAway(response.statusCode()); waits++) {
            Optional<Duration> wait = retryAfter(response, clock);
            if (wait.isEmpty() || wait.get().compareTo(MAX_INLINE_WAIT) > 0) {
                break;
            }
            Thread.sleep(wait.get());
            response = attempt.send();
        }
        return response;
    }

    /** 429 or 503: the vendor turned the request away without acting on it. */
    static boolean turnedAway(int status) {
        return status == 429 || status == 503;
    }

    /**
     * The retry a 429 or 503 asks for; its message gives the vendor's {@code Retry-After} and message. A rate limit (429,
     * or a 503 that says when to come back) is a {@link RateLimitedException}, which the state machine retries on a
     * slower schedule than a plain outage.
     */
    static TransientException turnedAwayFailure(VendorRequest request, HttpResponse<String> response) {
        int status = response.statusCode();
        Optional<String> header = response.headers().firstValue("Retry-After").map(String::strip);
        String message = request.vendor().label() + " answered HTTP " + status + " (" + (status == 429 ? "rate limited" : "unavailable")
                + header.map(v -> ", Retry-After " + v).orElse("") + "); nothing was done, a retry may send: " + detail(response.body());
        return status == 429 || header.isPresent() ? new RateLimitedException(message) : new TransientException(message);
    }

    /**
     * A 4xx (or 3xx, never followed: a redirect could lead anywhere) for the model, with the vendor's message:
     * {@code unauthorized} (401, 403), {@code not_found} (404) or {@code rejected}.
     */
    static ToolResult.Failed refused(VendorRequest request, HttpResponse<String> response) {
        int status = response.statusCode();
        String vendor = request.vendor().label();
        List<String> details = List.of(vendor + " answered HTTP " + status + ": " + detail(response.body()));
        return switch (status) {
            case 401, 403 -> new ToolResult.Failed("unauthorized", vendor + " refused this tenant's credentials, so nothing was "
                    + "done; an admin must update the connection (PUT /v1/connections/" + request.vendor().wire() + ")", details);
            case 404 -> new ToolResult.Failed("not_found", vendor + " has no such record, so nothing was done", details);
            default -> new ToolResult.Failed("rejected", vendor + " refused the request, so nothing was done", details);
        };
    }

    /** The wait a {@code Retry-After} header asks for, in seconds or as an HTTP date; empty when absent or unreadable. */
    static Optional<Duration> retryAfter(HttpResponse<?> response, Clock clock) {
        return response.headers().firstValue("Retry-After").map(String::strip).flatMap(v -> {
            try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
            } catch (NumberFormatException notSeconds) {
                try {
                    var at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                    Duration d = Duration.between(clock.instant(), at);
                    return Optional.of(d.isNegative() ? Duration.ZERO : d);
                } catch (DateTimeParseException notDate) {
                    return Optional.empty();
                }
            }
        });
    }

    /** Failures that prove no byte of the request reached the vendor. */
    static boolean neverSent(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException || t instanceof UnknownHostException
                    || t instanceof UnresolvedAddressException) {
                return true;
            }
        }
        return false;
    }

    /** The body as JSON; a missing node when it is empty or not JSON. */
    static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? MissingNode.getInstance() : Json.tree(body);
        } catch (RuntimeException notJson) {
            return MissingNode.getInstance();
        }
    }

    /**
     * What the vendor said about a failure, for the model and the logs: HubSpot's {@code message}, Zendesk's
     * {@code error}, {@code description} and {@code details}; else the start of the body.
     */
    static String detail(String body) {
        JsonNode json = parse(body);
        List<String> parts = new ArrayList<>();
        if (json.isObject()) {
            for (String field : List.of("message", "error", "description", "details")) {
                JsonNode v = json.get(field);
                if (v != null && !v.isNull()) {
                    parts.add(v.isTextual() ? v.asText() : Json.write(v));
                }
            }
        }
        String text = parts.isEmpty() ? (body == null ? "" : body) : String.join(" - ", parts);
        text = text.replaceAll("\\s+", " ").strip();
        if (text.isEmpty()) {
            return "(no message)";
        }
        return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL) + "...";
    }
}
