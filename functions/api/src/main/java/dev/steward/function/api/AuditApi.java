package dev.steward.function.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.core.error.ApiException;
import dev.steward.core.json.Json;
import dev.steward.core.tenant.Principal;
import dev.steward.store.Listing;
import dev.steward.store.audit.AuditAction;
import dev.steward.store.audit.AuditEvent;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The tenant's audit trail ({@code GET /v1/audit}): who changed what, newest first, a page at a time, for admins only.
 * Also makes the event of each change the API's routes make ({@link #event}), so every route records its actor the
 * same way.
 */
final class AuditApi {
    private final ApiConfig config;

    AuditApi(ApiConfig config) {
        this.config = config;
    }

    /** The event of a change {@code who} makes in request {@code requestId}: actor the key id, role the key's role. */
    static AuditEvent event(Principal who, String requestId, Instant at, AuditAction action, String target, Map<String, String> detail) {
        return AuditEvent.of(who.tenant(), at, who.id(), who.role().wire(), action, target, detail, requestId);
    }

    /** One page of the caller's tenant's events; 403 for a non-admin, 400 naming a bad parameter. */
    ObjectNode list(Principal who, String limitParam, String cursor, String actionParam, String sinceParam, String untilParam) {
        Access.requireAdmin(who, "read the audit trail");
        int limit = RunsApi.limit(limitParam);
        AuditAction action = actionParam == null ? null : AuditAction.parse(actionParam).orElseThrow(() -> ApiException.badRequest(
                "invalid_request", "unknown 'action' '" + actionParam + "': use one of " + AuditAction.names()));
        Instant since = instant("since", sinceParam);
        Instant until = instant("until", untilParam);
        if (since != null && until != null && !since.isBefore(until)) {
            throw ApiException.badRequest("invalid_request", "'since' must be before 'until'");
        }
        Listing.Page<AuditEvent> page = RunsApi.pageAfter(cursor, "event",
                c -> config.stores().audit().list(who.tenant(), limit, c, action, since, until));
        ObjectNode out = Json.object();
        ArrayNode events = out.putArray("events");
        for (AuditEvent e : page.items()) {
            ObjectNode item = events.addObject()
                    .put("eventId", e.id())
                    .put("at", e.at().toString())
                    .put("actor", e.actor())
                    .put("role", e.role())
                    .put("action", e.action().wire())
                    .put("target", e.target());
            item.set("detail", Json.mapper().valueToTree(e.detail()));
            if (e.requestId() != null) {
                item.put("requestId", e.requestId());
            }
        }
        out.put("nextCursor", page.nextCursor());
        return out;
    }

    private static Instant instant(String name, String param) {
        if (param == null) {
            return null;
        }
        try {
            return Instant.parse(param);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("invalid_request", "'" + name + "' must be a UTC time such as 2026-05-01T12:00:00Z, was '" + param + "'");
        }
    }
}
