package dev.steward.connectors.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.steward.connectors.connection.Vendor;
import java.net.URI;
import java.util.Objects;

/**
 * One JSON request to a vendor's API: the vendor (for messages), the method, the full URI, the
 * {@code Authorization} header value and the JSON body, a missing node for none ({@link #get}).
 * {@link #toString()} never shows the credentials.
 */
public record VendorRequest(Vendor vendor, String method, URI uri, String authorization, JsonNode body) {
    public VendorRequest {
        Objects.requireNonNull(vendor, "vendor");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(authorization, "authorization");
        Objects.requireNonNull(body, "body");
    }

    /** A {@code GET} of {@code uri}, without a body. */
    public static VendorRequest get(Vendor vendor, URI uri, String authorization) {
        return new VendorRequest(vendor, "GET", uri, authorization, MissingNode.getInstance());
    }

    @Override
    public String toString() {
        return "VendorRequest[" + vendor + " " + method + " " + uri + "]";
    }
}
