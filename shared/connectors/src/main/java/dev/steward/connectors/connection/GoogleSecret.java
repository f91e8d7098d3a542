package dev.steward.connectors.connection;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.json.Json;
import java.util.Objects;

/**
 * The two secrets of a Google Calendar connection, kept as the connection's one sealed token: the OAuth client's secret
 * and the refresh token Google's consent flow issued to it. Both are needed for every token exchange, and both must stay
 * sealed, so they travel together as a small JSON object ({@code {"client_secret", "refresh_token"}}) in the place the
 * other vendors keep their API token: the store seals it for the tenant and purpose like any token, and no API answer
 * shows it. {@link #toString()} never shows either.
 */
public record GoogleSecret(String clientSecret, String refreshToken) {
    public GoogleSecret {
        Objects.requireNonNull(clientSecret, "clientSecret");
        Objects.requireNonNull(refreshToken, "refreshToken");
    }

    /**
     * The secrets of a stored connection.
     *
     * @throws IllegalArgumentException when {@code token} is not what {@link #sealable()} wrote (a connection saved by
     *     hand, or for another vendor); the message never repeats it
     */
    public static GoogleSecret of(String token) {
        JsonNode json;
        try {
            json = Json.tree(token);
        } catch (RuntimeException notJson) {
            throw new IllegalArgumentException("its secret is not a client secret and refresh token pair");
        }
        JsonNode secret = json.path("client_secret");
        JsonNode refresh = json.path("refresh_token");
        if (!secret.isTextual() || secret.asText().isBlank() || !refresh.isTextual() || refresh.asText().isBlank()) {
            throw new IllegalArgumentException("its secret lacks the client secret or the refresh token");
        }
        return new GoogleSecret(secret.asText(), refresh.asText());
    }

    /** The form kept as the connection's token. */
    public String sealable() {
        return Json.write(Json.object().put("client_secret", clientSecret).put("refresh_token", refreshToken));
    }

    @Override
    public String toString() {
        return "GoogleSecret[****]";
    }
}
