package dev.steward.core.error;

/**
 * A dependency turned a request away for now and did nothing: HTTP 429, or 503 with a {@code Retry-After}. Transient,
 * but the wait it asks for (Zendesk and HubSpot say seconds to a minute) is longer than the other transient failures'
 * quick retries, so the state machine retries the Act step on a slower schedule for this class (15 s doubling to
 * 120 s, five times, about six minutes in all; agent-loop.asl.json), matching its fully qualified name.
 */
public final class RateLimitedException extends TransientException {
    public RateLimitedException(String message) {
        super(message);
    }
}
