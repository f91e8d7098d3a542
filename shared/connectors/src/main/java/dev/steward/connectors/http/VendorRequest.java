package dev.steward.connectors.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.connectors.connection.Vendor;
import java.net.URI;
import java.util.Objects;

/**
 * One JSON request to a vendor's API: the vendor (for messages), the method, the full URI, the
 * {@code Authorization} header value and the JSON body. {@link #toString()} never shows the credentials.
 */
public record VendorRequest(Vendor vendor, String method, URI uri, String authorization, JsonNode body) {
    public VendorRequest {
        Objects.requireNonNull(vendor, "vendor");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(authorization, "authorization");
        Objects.requireNonNull(body, "body");
    }

    @Override
    public String toString() {
        return "VendorRequest[" + vendor + " " + method + " " + uri + "]";
    }
}
