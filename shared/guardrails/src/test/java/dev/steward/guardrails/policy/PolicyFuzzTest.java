package dev.steward.guardrails.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.core.json.Json;
import dev.steward.core.tenant.TenantId;
import dev.steward.guardrails.policy.PolicyDecision.Effect;
import dev.steward.guardrails.policy.ToolRequest.SideEffect;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Seeded random tool calls outside a tenant's allowed set (agent, tool) are never allowed. The arguments are built
 * to tempt the argument rules (allowlisted recipients, small amounts, matching tags), so only the allow-list itself
 * keeps them out.
 */
class PolicyFuzzTest {
    static final TenantId ACME = TenantId.of("acme");
    static final long SEED = 20260501L;
    static final int CALLS = 1_000;
    static final Map<String, Set<String>> ALLOWED = Map.of(
            "support-agent", Set.of("search_knowledge", "send_email", "issue_refund"),
            "sales-agent", Set.of("search_knowledge", "crm_update_contact"));
    static final TenantPolicy POLICY = TenantPolicy.compile(ACME, 4, """
            @id("support-tools")
            permit (principal == Agent::"acme/support-agent", action, resource)
            when { [Tool::"search_knowledge", Tool::"send_email", Tool::"issue_refund"].contains(resource) };

            @id("sales-tools")
            permit (principal == Agent::"acme/sales-agent", action, resource)
            when { [Tool::"search_knowledge", Tool::"crm_update_contact"].contains(resource) };

            @id("email-outside-allowlist")
            forbid (principal, action == Action::"execute_without_review", resource == Tool::"send_email")
            when { !context.recipients_outside_allowlist.isEmpty() };

            @id("refund-over-500")
            forbid (principal, action == Action::"execute_without_review", resource == Tool::"issue_refund")
            when { !(context has amount) };

            @id("refund-over-500-amount")
            forbid (principal, action == Action::"execute_without_review", resource == Tool::"issue_refund")
            when { context has amount && context.amount.greaterThan(decimal("500.0")) };

            @id("crm-deletes")
            forbid (principal, action, resource) when { resource.name like "crm_delete*" };
            """, List.of("acme.io"));

    static final List<String> AGENTS = List.of("support-agent", "sales-agent", "knowledge-assistant", "Support-Agent",
            "support-agent ", "acme/support-agent", "support-agent\" || true || \"", "sales", "admin", "*", "");
    static final List<String> KNOWN_TOOLS = List.of("search_knowledge", "send_email", "issue_refund", "crm_update_contact",
            "crm_delete_contact");

    @Test
    void callsOutsideTheAllowedSetAreNeverAllowed() {
        Random random = new Random(SEED);
        PolicyEngine engine = new PolicyEngine();
        Map<Effect, Integer> byEffect = new EnumMap<>(Effect.class);
        Map<String, Integer> byRule = new TreeMap<>();
        int generated = 0;
        long nanos = 0;
        while (generated < CALLS) {
            String agent = random.nextInt(4) == 0 ? randomName(random) : AGENTS.get(random.nextInt(AGENTS.size()));
            String tool = tool(random);
            if (agent.isBlank() || ALLOWED.getOrDefault(agent, Set.of()).contains(tool)) {
                continue; // inside the allowed set (or not a valid request): not what this test is about
            }
            generated++;
            SideEffect effect = SideEffect.values()[random.nextInt(SideEffect.values().length)];
            ToolRequest request = new ToolRequest(ACME, agent, tool, effect, arguments(random));
            long start = System.nanoTime();
            PolicyDecision d = engine.decide(POLICY, request);
            nanos += System.nanoTime() - start;
            byEffect.merge(d.effect(), 1, Integer::sum);
            byRule.merge(d.rule(), 1, Integer::sum);
            assertThat(d.effect()).as("%s calling %s", agent, tool).isNotEqualTo(Effect.ALLOW);
        }
        System.out.printf("policy fuzz (seed %d): %d calls outside the allowed set -> ALLOW %d, ASK %d, DENY %d; rules %s;"
                        + " mean %.3f ms per decision%n",
                SEED, generated, byEffect.getOrDefault(Effect.ALLOW, 0), byEffect.getOrDefault(Effect.ASK, 0),
                byEffect.getOrDefault(Effect.DENY, 0), byRule, nanos / 1e6 / generated);
        assertThat(generated).isEqualTo(CALLS);
        assertThat(byEffect.getOrDefault(Effect.ALLOW, 0)).isZero();
        assertThat(byEffect.getOrDefault(Effect.DENY, 0)).isEqualTo(CALLS);
    }

    /** The control: the same generator inside the allowed set does produce ALLOW, so the test above can fail. */
    @Test
    void callsInsideTheAllowedSetWithHarmlessArgumentsAreAllowed() {
        Random random = new Random(SEED);
        PolicyEngine engine = new PolicyEngine();
        int allowed = 0;
        for (int i = 0; i < 100; i++) {
            String agent = random.nextBoolean() ? "support-agent" : "sales-agent";
            List<String> tools = ALLOWED.get(agent).stream().sorted().toList();
            String tool = tools.get(random.nextInt(tools.size()));
            ObjectNode args = Json.object();
            args.putArray("to").add("someone@support.acme.io");
            args.put("amount", random.nextInt(500));
            PolicyDecision d = engine.decide(POLICY, new ToolRequest(ACME, agent, tool, SideEffect.EXTERNAL_WRITE, args));
            assertThat(d.effect()).as("%s calling %s", agent, tool).isEqualTo(Effect.ALLOW);
            assertThat(d.rule()).isEqualTo(agent.equals("support-agent") ? "support-tools" : "sales-tools");
            allowed++;
        }
        assertThat(allowed).isEqualTo(100);
    }

    private static String tool(Random random) {
        String known = KNOWN_TOOLS.get(random.nextInt(KNOWN_TOOLS.size()));
        return switch (random.nextInt(7)) {
            case 0 -> randomName(random);
            case 1 -> known + "_" + randomName(random);
            case 2 -> known.substring(0, 1 + random.nextInt(known.length() - 1));
            case 3 -> known.toUpperCase(java.util.Locale.ROOT);
            case 4 -> " " + known;
            case 5 -> known.replace('e', '\u0435'); // Cyrillic look-alike
            default -> known; // a real tool, but the agent may not use it (filtered by the caller when it may)
        };
    }

    private static String randomName(Random random) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789_-/*\"\\ ";
        int n = 1 + random.nextInt(24);
        StringBuilder b = new StringBuilder().append((char) ('a' + random.nextInt(26)));
        for (int i = 1; i < n; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private static JsonNode arguments(Random random) {
        ObjectNode args = Json.object();
        if (random.nextBoolean()) {
            ArrayNode to = args.putArray("to");
            for (int i = random.nextInt(3); i >= 0; i--) {
                to.add(random.nextBoolean() ? "ann@acme.io" : randomName(random) + "@" + randomName(random) + ".com");
            }
        }
        switch (random.nextInt(4)) {
            case 0 -> args.put("amount", random.nextInt(1_000) - 100);
            case 1 -> args.put("amount", Double.toString(random.nextDouble() * 1_000));
            case 2 -> args.put("amount", randomName(random));
            default -> { }
        }
        for (int i = random.nextInt(4); i > 0; i--) {
            args.put(randomName(random), random.nextBoolean() ? randomName(random) : Integer.toString(random.nextInt()));
        }
        if (random.nextInt(5) == 0) {
            args.putObject("nested").putArray("list").add(1).add("x").addObject().put("to", "eve@evil.example");
        }
        return args;
    }
}
