package dev.steward.function.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.core.agent.AgentTemplate;
import dev.steward.core.error.ApiException;
import dev.steward.core.json.Json;
import dev.steward.core.tenant.Role;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.Stores;
import dev.steward.store.audit.AuditAction;
import dev.steward.store.audit.AuditEvent;
import dev.steward.store.tenant.ApiKeyRecord;
import dev.steward.store.tenant.ApiKeys;
import dev.steward.store.tenant.TenantLimit;
import dev.steward.store.tenant.TenantRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The operator's routes ({@link Route.Auth#IAM}): {@code POST /v1/admin/tenants {"name"}} creates a tenant with the
 * template agents and answers its first admin key (201; 409 when it exists), {@code GET} and {@code PATCH
 * /v1/admin/tenants/{tenant}} show and change its settings (its own limits: daily model tokens, run starts per minute), {@code POST
 * /v1/admin/tenants/{tenant}/keys {"role"}} issues a tenant a further key (201; 404 when there is no such tenant).
 * Keys are generated, hashed and stored exactly as the authorizer reads them; the plain key is in the answer only.
 *
 * <p>On AWS API Gateway's IAM authorizer lets only SigV4-signed requests of a permitted principal through; this
 * class refuses (403) a request that still carries no IAM identity, so a route wired without that authorizer does not
 * become a way to mint keys. Local mode's gateway presents its operator token's requests with a local IAM identity.
 */
public final class TenantAdmin {
    /** The role an audit event names for the operator's changes (an IAM principal, not a tenant's key). */
    static final String OPERATOR_ROLE = "operator";
    private final Stores stores;
    private final ApiKeys keys;
    private final Supplier<List<AgentTemplate>> templates;
    private final Clock clock;

    public TenantAdmin(Stores stores, ApiKeys keys, Supplier<List<AgentTemplate>> templates, Clock clock) {
        this.stores = Objects.requireNonNull(stores, "stores");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.templates = Objects.requireNonNull(templates, "templates");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** {@code {"name"}}: the new tenant's admin key; 400 for a bad name, 409 when the tenant exists. */
    ObjectNode createTenant(String operator, JsonNode body, String requestId) {
        String name = body.path("name").asText(null);
        if (name == null || !TenantId.isValid(name)) {
            throw ApiException.badRequest("invalid_request",
                    "'name' must be 2-40 lower-case letters, digits or dashes, starting with a letter");
        }
        TenantId tenant = TenantId.of(name);
        Instant now = clock.instant();
        ApiKeys.NewKey key = keys.generate(tenant);
        ApiKeyRecord record = record(key, Role.ADMIN, "tenant created by " + operator, now);
        AuditEvent created = operatorEvent(operator, requestId, tenant, now, AuditAction.TENANT_CREATED, name,
                Map.of("keyId", key.keyId(), "role", Role.ADMIN.wire()));
        if (!stores.tenants().create(new TenantRecord(tenant, name, now), record, created)) {
            throw new ApiException(409, "tenant_exists", "tenant '" + name + "' already exists");
        }
        for (AgentTemplate agent : templates.get()) {
            stores.agents().put(tenant, agent);
        }
        return answer(key, Role.ADMIN);
    }

    /** {@code {"role"}}: a new key of {@code tenant}; 400 for an unknown role, 404 when there is no such tenant. */
    ObjectNode createKey(String operator, String tenant, JsonNode body, String requestId) {
        Role role;
        try {
            role = Role.parse(body.path("role").asText(""));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_request", e.getMessage());
        }
        TenantId id = existing(tenant).id();
        Instant now = clock.instant();
        ApiKeys.NewKey key = keys.generate(id);
        stores.tenants().putKey(record(key, role, "issued by " + operator, now), operatorEvent(operator, requestId, id, now,
                AuditAction.API_KEY_CREATED, key.keyId(), Map.of("role", role.wire())));
        return answer(key, role);
    }

    /** The tenant's settings (its limits, each its own or the deployment's); 404 when there is no such tenant. */
    ObjectNode settings(String tenant, Map<TenantLimit, Long> deploymentLimits) {
        return view(existing(tenant), deploymentLimits);
    }

    /**
     * {@code {"dailyTokens": n, "runsPerMinute": m}} (either or both) gives the tenant its own limits; a null puts one
     * back on the deployment's. Answers the settings as they now are; 400 names a bad or unknown field (nothing
     * changes), 404 when there is no such tenant. The change and its audit event are written together.
     */
    ObjectNode updateSettings(String operator, String tenant, JsonNode body, Map<TenantLimit, Long> deploymentLimits, String requestId) {
        TenantId id = existing(tenant).id();
        String fields = String.join(", ", java.util.Arrays.stream(TenantLimit.values()).map(l -> "'" + l.wire() + "'").toList());
        if (body == null || !body.isObject() || body.isEmpty()) {
            throw ApiException.badRequest("invalid_request", "send one or more of " + fields + ", each a whole number or null for the deployment's default");
        }
        Map<TenantLimit, Long> changes = new EnumMap<>(TenantLimit.class);
        List<String> said = new ArrayList<>();
        for (String field : (Iterable<String>) body::fieldNames) {
            TenantLimit limit = TenantLimit.of(field).orElseThrow(() ->
                    ApiException.badRequest("invalid_request", "unknown field '" + field + "': a tenant's settings are " + fields));
            JsonNode value = body.get(field);
            if (value.isNull()) {
                changes.put(limit, null);
                said.add(field + " deployment default");
            } else if (value.isIntegralNumber() && value.canConvertToLong() && limit.allows(value.asLong())) {
                changes.put(limit, value.asLong());
                said.add(field + " " + value.asLong());
            } else {
                throw ApiException.badRequest("invalid_request", "'" + field + "' must be a whole number from 0 to " + limit.max()
                        + " (" + limit.meaning() + "), or null for the deployment's default; got " + value);
            }
        }
        AuditEvent changed = operatorEvent(operator, requestId, id, clock.instant(), AuditAction.TENANT_BUDGET_SET, id.value(),
                Map.of("budget", String.join(", ", said)));
        return view(stores.tenants().setLimits(id, changes, changed)
                .orElseThrow(() -> new ApiException(404, "not_found", "tenant '" + tenant + "' does not exist")), deploymentLimits);
    }

    /** The tenant named in the path; 404 when there is none. */
    private TenantRecord existing(String tenant) {
        return (tenant == null || !TenantId.isValid(tenant) ? java.util.Optional.<TenantRecord>empty() : stores.tenants().find(TenantId.of(tenant)))
                .orElseThrow(() -> new ApiException(404, "not_found", "tenant '" + tenant + "' does not exist"));
    }

    private static ObjectNode view(TenantRecord tenant, Map<TenantLimit, Long> deploymentLimits) {
        ObjectNode out = Json.object().put("tenantId", tenant.id().value()).put("displayName", tenant.displayName())
                .put("createdAt", tenant.createdAt().toString());
        for (TenantLimit limit : TenantLimit.values()) {
            out.putObject(limit.wire())
                    .put("limit", tenant.limit(limit, deploymentLimits.get(limit)))
                    .put("source", tenant.own().containsKey(limit) ? "tenant" : "deployment");
        }
        return out;
    }

    /** What is stored of a new key: its hash, never the key. */
    private ApiKeyRecord record(ApiKeys.NewKey key, Role role, String label, Instant now) {
        return new ApiKeyRecord(key.tenant(), key.keyId(), keys.hash(key.key()), role, label, now);
    }

    /** The plain key, in the answer only. */
    private static ObjectNode answer(ApiKeys.NewKey key, Role role) {
        return Json.object().put("tenantId", key.tenant().value()).put("apiKey", key.key()).put("role", role.wire());
    }

    /** An operator's change: the actor is the IAM principal that signed the request, the role {@value #OPERATOR_ROLE}. */
    private static AuditEvent operatorEvent(String operator, String requestId, TenantId tenant, Instant at, AuditAction action,
            String target, Map<String, String> detail) {
        return AuditEvent.of(tenant, at, operator, OPERATOR_ROLE, action, target, detail, requestId);
    }

    /**
     * The IAM principal that signed the request, as API Gateway's IAM authorizer put it in the request context;
     * 403 when there is none (an API key's context does not count).
     */
    static String operatorOf(APIGatewayV2HTTPEvent event) {
        var ctx = event.getRequestContext();
        var iam = ctx == null || ctx.getAuthorizer() == null ? null : ctx.getAuthorizer().getIam();
        if (iam == null || iam.getUserArn() == null || iam.getUserArn().isBlank()) {
            throw ApiException.forbidden("the admin routes take only SigV4-signed requests of an IAM principal allowed "
                    + "execute-api:Invoke on them; API keys are not accepted here");
        }
        return iam.getUserArn();
    }
}
