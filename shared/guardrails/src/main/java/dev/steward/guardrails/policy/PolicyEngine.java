package dev.steward.guardrails.policy;

import com.cedarpolicy.model.AuthorizationRequest;
import com.cedarpolicy.model.AuthorizationResponse;
import com.cedarpolicy.model.AuthorizationSuccessResponse;
import com.cedarpolicy.model.Context;
import com.cedarpolicy.model.entity.Entity;
import com.cedarpolicy.model.exception.AuthException;
import com.cedarpolicy.value.CedarList;
import com.cedarpolicy.value.Decimal;
import com.cedarpolicy.value.EntityTypeName;
import com.cedarpolicy.value.PrimString;
import com.cedarpolicy.value.Value;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.steward.core.tenant.TenantId;
import dev.steward.guardrails.policy.PolicyDecision.Effect;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Decides one tool call against one tenant's policy, outside the model. Stateless and thread-safe.
 *
 * <p>Two Cedar authorization requests, principal {@code Agent::"<tenant>/<agent>"}, resource
 * {@code Tool::"<tool>"}: action {@code execute} (may the call run at all?) and {@code execute_without_review}
 * (may it run without a person approving it?). Denied {@code execute} is DENY; allowed {@code execute} but denied
 * {@code execute_without_review} is ASK; both allowed is ALLOW. So DENY wins over ASK over ALLOW, a {@code forbid}
 * on any action denies, and a call no {@code permit} matches is denied by default.
 *
 * <p>The decision names the deciding rule: the first (in text order) of the {@code forbid}s that matched, or of the
 * {@code permit}s that allowed it; {@value PolicyDecision#DEFAULT_DENY} when nothing permitted it. A rule that fails
 * to evaluate denies the call ({@value PolicyDecision#EVALUATION_ERROR}), since it might have been a forbid.
 */
public final class PolicyEngine {
    private static final Logger LOG = Logger.getLogger(PolicyEngine.class.getName());
    private static final EntityTypeName AGENT = EntityTypeName.parse("Agent").orElseThrow();
    private static final EntityTypeName TOOL = EntityTypeName.parse("Tool").orElseThrow();
    private static final EntityTypeName ACTION = EntityTypeName.parse("Action").orElseThrow();
    private static final Entity EXECUTE = new Entity(ACTION.of("execute"));
    private static final Entity EXECUTE_WITHOUT_REVIEW = new Entity(ACTION.of("execute_without_review"));

    /**
     * Compiles the built-in baseline policy and decides one call with it (an e-mail to an outside address), so that
     * Cedar's native library is linked and its code paths run: for priming before a SnapStart snapshot (the first
     * decision otherwise pays about 0.4 s). No store or network call.
     *
     * @return the baseline's decision on that call
     */
    public PolicyDecision prime() {
        TenantId tenant = new TenantId("priming");
        return decide(TenantPolicy.baseline(tenant), new ToolRequest(tenant, "priming", "send_email", ToolRequest.SideEffect.EXTERNAL_WRITE,
                JsonNodeFactory.instance.objectNode().put("subject", "Priming").put("body", "Priming")
                        .set("to", JsonNodeFactory.instance.arrayNode().add("someone@example.com"))));
    }

    /**
     * @throws IllegalArgumentException when the policy belongs to another tenant than the request: a tenant's
     *     policy is never applied to another tenant's call
     */
    public PolicyDecision decide(TenantPolicy policy, ToolRequest request) {
        if (!policy.tenant().equals(request.tenant())) {
            throw new IllegalArgumentException("the policy of tenant " + policy.tenant() + " cannot decide a call of tenant " + request.tenant());
        }
        CallFacts facts = CallFacts.of(request.arguments(), policy::allowsDomain);
        Entity agent = new Entity(AGENT.of(request.tenant().value() + "/" + request.agent()),
                Map.of("name", new PrimString(request.agent()), "tenant", new PrimString(request.tenant().value())), Set.of());
        Entity tool = new Entity(TOOL.of(request.tool()),
                Map.of("name", new PrimString(request.tool()), "side_effect", new PrimString(request.sideEffect().name())),
                Set.of(), tags(request.arguments()));
        Context context = context(facts);
        Set<Entity> entities = Set.of(agent, tool);

        Outcome execute = authorize(policy, new AuthorizationRequest(agent, EXECUTE, tool, context), entities);
        if (execute instanceof Outcome.Failed failed) {
            return failed.decision();
        }
        Outcome.Decided run = (Outcome.Decided) execute;
        if (!run.allowed()) {
            return run.rules().isEmpty()
                    ? new PolicyDecision(Effect.DENY, PolicyDecision.DEFAULT_DENY,
                            "no rule allows agent " + request.agent() + " to call tool " + request.tool())
                    : deciding(Effect.DENY, run.rules(), request, "rule %s forbids this call");
        }
        Outcome unreviewed = authorize(policy, new AuthorizationRequest(agent, EXECUTE_WITHOUT_REVIEW, tool, context), entities);
        if (unreviewed instanceof Outcome.Failed failed) {
            return failed.decision();
        }
        Outcome.Decided now = (Outcome.Decided) unreviewed;
        if (now.allowed()) {
            return deciding(Effect.ALLOW, now.rules(), request, "rule %s allows this call");
        }
        return now.rules().isEmpty()
                ? deciding(Effect.ASK, run.rules(), request, "rule %s allows this call only with a person's approval")
                : deciding(Effect.ASK, now.rules(), request, "rule %s requires a person's approval");
    }

    private sealed interface Outcome {
        record Decided(boolean allowed, List<Rule> rules) implements Outcome {}

        record Failed(PolicyDecision decision) implements Outcome {}
    }

    private static Outcome authorize(TenantPolicy policy, AuthorizationRequest request, Set<Entity> entities) {
        AuthorizationResponse response;
        try {
            response = CedarRuntime.engine().isAuthorized(request, policy.policySet(), entities);
        } catch (AuthException e) {
            LOG.severe("Cedar rejected a request for tenant " + policy.tenant() + ": " + e.getMessage());
            return new Outcome.Failed(new PolicyDecision(Effect.DENY, PolicyDecision.EVALUATION_ERROR,
                    "the policy engine could not evaluate this call: " + e.getMessage()));
        }
        if (response.success.isEmpty()) {
            String errors = response.errors.map(Object::toString).orElse("no detail");
            LOG.severe("Cedar failed a request for tenant " + policy.tenant() + ": " + errors);
            return new Outcome.Failed(new PolicyDecision(Effect.DENY, PolicyDecision.EVALUATION_ERROR,
                    "the policy engine could not evaluate this call: " + errors));
        }
        AuthorizationSuccessResponse success = response.success.get();
        if (!success.getErrors().isEmpty()) {
            AuthorizationSuccessResponse.AuthorizationError first = success.getErrors().get(0);
            String rule = policy.rule(first.getPolicyId()).id();
            return new Outcome.Failed(new PolicyDecision(Effect.DENY, rule,
                    "rule " + rule + " could not be evaluated (" + first.getError().message + "), so the call is denied"));
        }
        return new Outcome.Decided(success.isAllowed(), policy.rulesInTextOrder(success.getReason()));
    }

    private static PolicyDecision deciding(Effect effect, List<Rule> rules, ToolRequest request, String fallback) {
        Rule first = rules.get(0);
        return new PolicyDecision(effect, first.id(), first.reasonFor(request, fallback.formatted(first.id())));
    }

    private static Context context(CallFacts facts) {
        Map<String, Value> values = new LinkedHashMap<>();
        values.put("recipient_domains", strings(facts.recipientDomains()));
        values.put("recipients_outside_allowlist", strings(facts.outsideAllowlist()));
        facts.amount().ifPresent(a -> values.put("amount", new Decimal(a.toPlainString())));
        return new Context(values);
    }

    private static CedarList strings(Set<String> values) {
        return new CedarList(values.stream().sorted().<Value>map(PrimString::new).toList());
    }

    private static Map<String, Value> tags(JsonNode arguments) {
        Map<String, Value> tags = new HashMap<>();
        arguments.properties().forEach(e -> tags.put(e.getKey(),
                new PrimString(e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString())));
        return tags;
    }
}
