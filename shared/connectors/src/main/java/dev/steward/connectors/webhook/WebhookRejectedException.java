package dev.steward.connectors.webhook;

/**
 * A webhook request that is not accepted, with the HTTP status to answer: 401 when it cannot be shown to come from
 * the vendor (no signature, a wrong one, a timestamp outside the replay window), 400 when it is signed but its
 * payload is not what the vendor sends. The message names the problem and never echoes the secret.
 */
public final class WebhookRejectedException extends RuntimeException {
    private final int status;
    private final String code;

    private WebhookRejectedException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    static WebhookRejectedException unauthenticated(String message) {
        return new WebhookRejectedException(401, "invalid_signature", message);
    }

    static WebhookRejectedException malformed(String message) {
        return new WebhookRejectedException(400, "invalid_payload", message);
    }

    public int status() {
        return status;
    }

    /** A stable error code for the API's error body. */
    public String code() {
        return code;
    }
}
