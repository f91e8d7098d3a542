package dev.steward.connectors.zendesk;

import dev.steward.connectors.connection.Vendor;
import dev.steward.connectors.connection.VendorEndpoints;
import dev.steward.connectors.http.VendorAccount;
import dev.steward.store.connection.ConnectionSettings;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A tenant's Zendesk as every Zendesk tool calls it: the API root ({@link VendorEndpoints#zendeskFor} of the
 * connection's subdomain) and {@code Authorization: Basic base64(email/token:token)}, the connection's agent with its
 * API token.
 */
final class ZendeskAccount {
    private ZendeskAccount() {}

    /** @throws IllegalArgumentException when the connection has no subdomain or email */
    static VendorAccount of(VendorEndpoints endpoints, ConnectionSettings connection) {
        String subdomain = required(connection, "subdomain");
        String email = required(connection, "email");
        String basic = Base64.getEncoder().encodeToString((email + "/token:" + connection.token()).getBytes(StandardCharsets.UTF_8));
        return new VendorAccount(Vendor.ZENDESK, endpoints.zendeskFor(subdomain), "Basic " + basic);
    }

    private static String required(ConnectionSettings connection, String field) {
        String v = connection.field(field);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("it has no " + field);
        }
        return v;
    }
}
