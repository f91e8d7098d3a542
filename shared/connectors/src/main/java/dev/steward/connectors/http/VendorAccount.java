package dev.steward.connectors.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.connectors.connection.Vendor;
import java.net.URI;
import java.util.Objects;

/**
 * A tenant's account at a vendor as every tool of that vendor calls it: the API root and the {@code Authorization}
 * header value that the tenant's connection gives (Zendesk's basic auth, HubSpot's Bearer token).
 * {@link #toString()} never shows the credentials.
 */
public record VendorAccount(Vendor vendor, URI root, String authorization) {
    public VendorAccount {
        Objects.requireNonNull(vendor, "vendor");
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(authorization, "authorization");
    }

    /** A request to {@code pathAndQuery} below the API root, e.g. {@code /api/v2/tickets/1.json}. */
    public VendorRequest request(String method, String pathAndQuery, JsonNode body) {
        return new VendorRequest(vendor, method, uri(pathAndQuery), authorization, body);
    }

    /** A {@code GET} of {@code pathAndQuery} below the API root. */
    public VendorRequest get(String pathAndQuery) {
        return VendorRequest.get(vendor, uri(pathAndQuery), authorization);
    }

    private URI uri(String pathAndQuery) {
        return URI.create(root + pathAndQuery);
    }

    @Override
    public String toString() {
        return "VendorAccount[" + vendor + " " + root + "]";
    }
}
