package dev.steward.connectors.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.connectors.connection.Vendor;
import dev.steward.connectors.connection.VendorEndpoints;
import dev.steward.connectors.http.VendorRequest;
import dev.steward.store.connection.ConnectionSettings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A tenant's Zendesk as every Zendesk tool calls it: the API root ({@link VendorEndpoints#zendeskFor} of the
 * connection's subdomain) and {@code Authorization: Basic base64(email/token:token)}, the connection's agent with its
 * API token. {@link #toString()} never shows the credentials.
 */
record ZendeskAccount(URI root, String authorization) {

    /** @throws IllegalArgumentException when the connection has no subdomain or email */
    static ZendeskAccount of(VendorEndpoints endpoints, ConnectionSettings connection) {
        String subdomain = required(connection, "subdomain");
        String email = required(connection, "email");
        String basic = Base64.getEncoder().encodeToString((email + "/token:" + connection.token()).getBytes(StandardCharsets.UTF_8));
        return new ZendeskAccount(endpoints.zendeskFor(subdomain), "Basic " + basic);
    }

    /** A request to {@code pathAndQuery} below the API root, e.g. {@code /api/v2/tickets/1.json}. */
    VendorRequest request(String method, String pathAndQuery, JsonNode body) {
        return new VendorRequest(Vendor.ZENDESK, method, uri(pathAndQuery), authorization, body);
    }

    VendorRequest get(String pathAndQuery) {
        return VendorRequest.get(Vendor.ZENDESK, uri(pathAndQuery), authorization);
    }

    private URI uri(String pathAndQuery) {
        return URI.create(root + pathAndQuery);
    }

    private static String required(ConnectionSettings connection, String field) {
        String v = connection.field(field);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("it has no " + field);
        }
        return v;
    }

    @Override
    public String toString() {
        return "ZendeskAccount[" + root + "]";
    }
}
