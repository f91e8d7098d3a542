package dev.steward.store.connection;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How a tenant's agents reach one vendor's API on its behalf (a helpdesk, a CRM): the vendor's name, the settings
 * that are not secret ({@code fields}, e.g. a Zendesk subdomain and agent email) and the API token. The token is needed
 * in the clear to call the vendor, so, like a webhook secret, it is kept only in this item (encrypted at rest with the
 * table) and never returned by the API. {@link #toString()} never shows it. What the fields mean is the connectors'
 * business; the store only keeps them.
 */
public record ConnectionSettings(String vendor, Map<String, String> fields, String token, Instant updatedAt, String updatedBy) {
    public ConnectionSettings {
        if (vendor == null || vendor.isBlank()) {
            throw new IllegalArgumentException("a connection needs its vendor's name");
        }
        fields = fields == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(fields));
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("a connection needs its API token");
        }
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(updatedBy, "updatedBy");
    }

    /** The non-secret field {@code name}, or null. */
    public String field(String name) {
        return fields.get(name);
    }

    @Override
    public String toString() {
        return "ConnectionSettings[vendor=" + vendor + ", fields=" + fields + ", token=****, updatedAt=" + updatedAt
                + ", updatedBy=" + updatedBy + "]";
    }
}
