package dev.steward.function.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.connectors.connection.Vendor;
import dev.steward.core.error.ApiException;
import dev.steward.core.json.Json;
import dev.steward.core.tenant.Principal;
import dev.steward.store.audit.AuditAction;
import dev.steward.store.connection.ConnectionSettings;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A tenant's connections to the vendors its agents act on (Zendesk, HubSpot, Slack, Google Calendar): an admin stores the credentials
 * ({@code PUT /v1/connections/{vendor}}), anyone in the tenant can see which vendors are connected and as whom, and no
 * response ever carries a token. The tools read the connection at each call, so a change applies to the next call.
 */
final class ConnectionsApi {
    private final ApiConfig config;

    ConnectionsApi(ApiConfig config) {
        this.config = config;
    }

    ObjectNode list(Principal who) {
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("connections");
        config.stores().connections().listSealed(who.tenant()).forEach(c -> list.add(view(c)));
        return out;
    }

    ObjectNode save(Principal who, String vendorName, JsonNode body, String requestId) {
        Access.requireAdmin(who, "connect vendors");
        Vendor vendor = vendor(vendorName);
        ConnectionSettings settings;
        try {
            settings = vendor.settings(body, config.clock().instant(), who.id());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_request", e.getMessage());
        }
        config.stores().connections().put(who.tenant(), settings, AuditApi.event(who, requestId, settings.updatedAt(),
                AuditAction.CONNECTION_SAVED, settings.vendor(), settings.fields().isEmpty() ? Map.of() : Map.of("fields", fieldsOf(settings))));
        return view(settings);
    }

    ObjectNode delete(Principal who, String vendorName, String requestId) {
        Access.requireAdmin(who, "remove connections");
        String vendor = vendor(vendorName).wire();
        if (!config.stores().connections().delete(who.tenant(), vendor, AuditApi.event(who, requestId, config.clock().instant(),
                AuditAction.CONNECTION_REMOVED, vendor, Map.of()))) {
            throw ApiException.notFound("connection " + vendorName);
        }
        return Json.object().put("vendor", vendorName).put("deleted", true);
    }

    private static Vendor vendor(String name) {
        return Vendor.of(name).orElseThrow(() -> ApiException.notFound("connection vendor '" + name + "' (supported: "
                + String.join(", ", Vendor.names()) + ")"));
    }

    /** The connection's non-secret fields as the listing shows them, {@code name=value, ...}: what its audit event keeps. */
    private static String fieldsOf(ConnectionSettings c) {
        return c.fields().entrySet().stream().map(f -> f.getKey() + "=" + f.getValue()).collect(Collectors.joining(", "));
    }

    /** Everything but the token (for Google Calendar, the client secret and refresh token sealed in it). */
    private static ObjectNode view(ConnectionSettings c) {
        ObjectNode v = Json.object().put("vendor", c.vendor());
        c.fields().forEach(v::put);
        return v.put("tokenSet", true).put("updatedAt", c.updatedAt().toString()).put("updatedBy", c.updatedBy());
    }
}
