package dev.steward.function.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.core.error.ApiException;
import dev.steward.core.json.Json;
import dev.steward.core.tenant.Principal;
import dev.steward.guardrails.policy.InvalidPolicyException;
import dev.steward.guardrails.policy.PolicyCache;
import dev.steward.guardrails.policy.PolicyDecision;
import dev.steward.guardrails.policy.PolicyEngine;
import dev.steward.guardrails.policy.TenantPolicy;
import dev.steward.guardrails.policy.ToolRequest;
import dev.steward.store.audit.AuditAction;
import dev.steward.store.audit.AuditEvent;
import dev.steward.store.policy.PolicyStore;
import dev.steward.store.policy.PolicyVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The caller's tenant policy: read the current version (the baseline, version 0, when none is stored), its
 * history, save a new version (admins; validated first, conditional on the version the admin edited), and dry-run
 * a tool call against the current, a stored or a draft policy (admins). Everything is scoped to the caller's
 * tenant: another tenant's versions are never read.
 */
final class PoliciesApi {
    private static final int MAX_VERSIONS_LISTED = 100;
    private final ApiConfig config;
    private final PolicyEngine engine = new PolicyEngine();
    private final PolicyCache compiled = new PolicyCache(64);

    PoliciesApi(ApiConfig config) {
        this.config = config;
    }

    ObjectNode current(Principal who) {
        return config.stores().policies().current(who.tenant()).map(PoliciesApi::view).orElseGet(PoliciesApi::baselineView);
    }

    ObjectNode save(Principal who, JsonNode body, String requestId) {
        Access.requireAdmin(who, "change the policy");
        if (!body.isObject()) {
            throw ApiException.badRequest("invalid_request", "send a JSON object with 'policy', 'expectedVersion' and optional 'emailDomains', 'comment'");
        }
        String source = text(body, "policy", true);
        JsonNode expected = body.get("expectedVersion");
        if (expected == null || !expected.canConvertToLong() || !expected.isIntegralNumber() || expected.asLong() < 0) {
            throw ApiException.badRequest("invalid_request",
                    "'expectedVersion' is required: the version you edited, a whole number (0 when no policy is stored yet)");
        }
        List<String> domains = domains(body);
        String comment = text(body, "comment", false);
        TenantPolicy valid = compile(who, expected.asLong() + 1, source, domains);
        Instant now = config.clock().instant();
        AuditEvent event = AuditApi.event(who, requestId, now, AuditAction.POLICY_PUBLISHED, Long.toString(expected.asLong() + 1),
                comment.isBlank() ? Map.of() : Map.of("comment", comment));
        try {
            return view(config.stores().policies().put(who.tenant(), expected.asLong(), source, List.copyOf(valid.emailDomains()),
                    who.id(), comment, now, event));
        } catch (PolicyStore.VersionConflictException e) {
            throw new ApiException(409, "version_conflict", e.getMessage());
        }
    }

    ObjectNode versions(Principal who) {
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("versions");
        config.stores().policies().versions(who.tenant(), MAX_VERSIONS_LISTED).forEach(v -> list.add(summary(v)));
        return out;
    }

    ObjectNode version(Principal who, String number) {
        long n;
        try {
            n = Long.parseLong(number);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid_request", "policy version '" + number + "' is not a whole number");
        }
        if (n == 0) {
            return baselineView();
        }
        return config.stores().policies().version(who.tenant(), n).map(PoliciesApi::view)
                .orElseThrow(() -> ApiException.notFound("policy version " + number));
    }

    /** A dry run: what the policy decides for one tool call; changes nothing. */
    ObjectNode evaluate(Principal who, JsonNode body) {
        Access.requireAdmin(who, "evaluate tool calls against the policy");
        if (!body.isObject()) {
            throw ApiException.badRequest("invalid_request", "send a JSON object with 'agent', 'tool', 'sideEffect' and 'arguments'");
        }
        String sideEffect = text(body, "sideEffect", true);
        ToolRequest.SideEffect effect;
        try {
            effect = ToolRequest.SideEffect.valueOf(sideEffect);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_request", "'sideEffect' must be one of " + Arrays.toString(ToolRequest.SideEffect.values()));
        }
        JsonNode arguments = body.get("arguments");
        if (arguments != null && !arguments.isObject()) {
            throw ApiException.badRequest("invalid_request", "'arguments' must be a JSON object (the tool call's arguments)");
        }
        ToolRequest request = new ToolRequest(who.tenant(), name(body, "agent"), name(body, "tool"), effect, arguments);
        TenantPolicy policy = policyFor(who, body);
        PolicyDecision d = engine.decide(policy, request);
        return Json.object()
                .put("effect", d.effect().name())
                .put("rule", d.rule())
                .put("reason", d.reason())
                .put("version", policy.version());
    }

    /** The draft in {@code policy} if sent, else stored version {@code version} if sent, else the current one. */
    private TenantPolicy policyFor(Principal who, JsonNode body) {
        if (body.has("policy")) {
            return compile(who, 0, text(body, "policy", true), domains(body));
        }
        if (body.has("version")) {
            JsonNode v = body.get("version");
            if (!v.isIntegralNumber() || v.asLong() < 0) {
                throw ApiException.badRequest("invalid_request", "'version' must be a stored version number (0 for the baseline)");
            }
            if (v.asLong() == 0) {
                return compiled.baseline(who.tenant());
            }
            return cached(config.stores().policies().version(who.tenant(), v.asLong())
                    .orElseThrow(() -> ApiException.notFound("policy version " + v.asLong())));
        }
        return config.stores().policies().current(who.tenant()).map(this::cached).orElseGet(() -> compiled.baseline(who.tenant()));
    }

    private TenantPolicy cached(PolicyVersion stored) {
        try {
            return compiled.get(stored.tenant(), stored.version(), stored.source(), stored.emailDomains());
        } catch (InvalidPolicyException e) {
            throw ApiException.badRequest("invalid_policy", "stored version " + stored.version() + " no longer validates: " + e.getMessage());
        }
    }

    private static TenantPolicy compile(Principal who, long version, String source, List<String> domains) {
        try {
            return TenantPolicy.compile(who.tenant(), version, source, domains);
        } catch (InvalidPolicyException e) {
            throw ApiException.badRequest("invalid_policy", e.getMessage());
        }
    }

    private static String text(JsonNode body, String field, boolean required) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw ApiException.badRequest("invalid_request", "'" + field + "' is required and must be a string");
            }
            return "";
        }
        if (!v.isTextual()) {
            throw ApiException.badRequest("invalid_request", "'" + field + "' must be a string");
        }
        return v.asText();
    }

    private static String name(JsonNode body, String field) {
        String v = text(body, field, true);
        if (v.isBlank()) {
            throw ApiException.badRequest("invalid_request", "'" + field + "' must not be blank");
        }
        return v;
    }

    private static List<String> domains(JsonNode body) {
        JsonNode v = body.get("emailDomains");
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw ApiException.badRequest("invalid_request", "'emailDomains' must be an array of domain names");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode d : v) {
            if (!d.isTextual()) {
                throw ApiException.badRequest("invalid_request", "'emailDomains' must hold only strings, found " + d);
            }
            out.add(d.asText());
        }
        return out;
    }

    private static ObjectNode summary(PolicyVersion v) {
        return Json.object()
                .put("version", v.version())
                .put("author", v.author())
                .put("comment", v.comment())
                .put("createdAt", v.createdAt().toString());
    }

    private static ObjectNode view(PolicyVersion v) {
        ObjectNode n = summary(v).put("baseline", false).put("policy", v.source());
        ArrayNode domains = n.putArray("emailDomains");
        v.emailDomains().forEach(domains::add);
        return n;
    }

    private static ObjectNode baselineView() {
        ObjectNode n = Json.object().put("version", 0).put("baseline", true).put("policy", TenantPolicy.baselineSource());
        n.putArray("emailDomains");
        return n;
    }
}
