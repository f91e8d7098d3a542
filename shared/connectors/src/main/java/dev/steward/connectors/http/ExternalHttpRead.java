package dev.steward.connectors.http;

import dev.steward.connectors.ToolResult;
import dev.steward.core.error.TransientException;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;

/**
 * One read from a vendor's JSON API over the JDK's HTTP client. A read changes nothing, so it keeps no idempotency
 * record and every failure that a later attempt might not meet is simply retried:
 * <ul>
 *   <li>2xx: {@link ToolResult.Success} with the parsed JSON body (a missing node when empty), never {@code replayed}.</li>
 *   <li>4xx (and 3xx, never followed): {@link ToolResult.Failed} with the vendor's message, as for a write:
 *       {@code unauthorized} (401, 403), {@code not_found} (404) or {@code rejected}.</li>
 *   <li>429 or 503: a {@code Retry-After} of at most {@link VendorHttp#MAX_INLINE_WAIT} is waited out and the request
 *       sent again (twice at most); otherwise a {@link TransientException} giving the vendor's {@code Retry-After}.</li>
 *   <li>Any other 5xx, the vendor unreachable, no answer within the timeout: {@link TransientException}.</li>
 * </ul>
 * Thread-safe.
 */
public final class ExternalHttpRead {
    private final VendorHttp http;

    /** @param timeout bounds connecting and each whole request */
    public ExternalHttpRead(Clock clock, Duration timeout) {
        this.http = new VendorHttp(clock, timeout);
    }

    /** Sends {@code request} (a {@link VendorRequest#get}, or a POST that only reads, such as a search) and says what the vendor answered. */
    public ToolResult fetch(VendorRequest request) {
        HttpResponse<String> response;
        try {
            response = http.waitingOutShortRetryAfter(() -> attempt(request));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientException("interrupted while waiting out " + request.vendor().label() + "'s rate limit", e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return new ToolResult.Success(VendorHttp.parse(response.body()), false);
        }
        if (VendorHttp.turnedAway(status)) {
            throw VendorHttp.turnedAwayFailure(request, response);
        }
        if (status >= 500) {
            throw new TransientException(request.vendor().label() + " answered HTTP " + status + " to a read; a retry may succeed: "
                    + VendorHttp.detail(response.body()));
        }
        return VendorHttp.refused(request, response);
    }

    private HttpResponse<String> attempt(VendorRequest request) {
        try {
            return http.send(request);
        } catch (IOException e) {
            throw new TransientException("could not read from " + request.vendor().label() + " at " + request.uri().getHost()
                    + " (a retry may succeed): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientException("interrupted while waiting for " + request.vendor().label() + "'s answer", e);
        }
    }
}
