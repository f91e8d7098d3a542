package dev.steward.guardrails.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.json.Json;
import dev.steward.core.tenant.TenantId;
import dev.steward.guardrails.policy.PolicyDecision.Effect;
import dev.steward.guardrails.policy.ToolRequest.SideEffect;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine's semantics, rule by rule, over the demo tenant's default policy and small inline policies. */
class PolicyEngineTest {
    static final TenantId DEMO = TenantId.of("demo");
    static final PolicyEngine ENGINE = new PolicyEngine();

    static TenantPolicy demoPolicy() throws IOException {
        return TenantPolicy.compile(DEMO, 1, Files.readString(Path.of("../../templates/policies/default.cedar")),
                List.of("example.com", "acme.io"));
    }

    static ToolRequest call(TenantId tenant, String agent, String tool, SideEffect effect, String args) {
        return new ToolRequest(tenant, agent, tool, effect, Json.tree(args));
    }

    static PolicyDecision decide(TenantPolicy policy, String agent, String tool, SideEffect effect, String args) {
        return ENGINE.decide(policy, call(policy.tenant(), agent, tool, effect, args));
    }

    @Test
    void emailInsideTheAllowlistRunsAndOutsideItAsks() throws IOException {
        TenantPolicy p = demoPolicy();
        PolicyDecision inside = decide(p, "support-agent", "send_email", SideEffect.EXTERNAL_WRITE,
                "{\"to\":[\"Ann <ann@example.com>\"],\"cc\":\"bob@sales.acme.io\",\"subject\":\"s\",\"body\":\"b\"}");
        assertThat(inside).isEqualTo(new PolicyDecision(Effect.ALLOW, "email-inside-allowlist",
                "every recipient is in the tenant's email domain allowlist"));

        PolicyDecision outside = decide(p, "support-agent", "send_email", SideEffect.EXTERNAL_WRITE,
                "{\"to\":[\"ann@example.com\",\"eve@evil.example\"],\"subject\":\"s\",\"body\":\"b\"}");
        assertThat(outside.effect()).isEqualTo(Effect.ASK);
        assertThat(outside.rule()).isEqualTo("email-outside-allowlist");

        // A look-alike domain is not a subdomain of an allowlisted one.
        assertThat(decide(p, "support-agent", "send_email", SideEffect.EXTERNAL_WRITE,
                "{\"to\":[\"x@notexample.com\"]}").effect()).isEqualTo(Effect.ASK);
        // An address without a domain never counts as inside the allowlist; bcc is read too.
        assertThat(decide(p, "support-agent", "send_email", SideEffect.EXTERNAL_WRITE,
                "{\"to\":[\"ann@example.com\"],\"bcc\":\"somebody\"}").effect()).isEqualTo(Effect.ASK);
        // No recipients at all: allowed only with approval (rule email-with-approval).
        PolicyDecision none = decide(p, "support-agent", "send_email", SideEffect.EXTERNAL_WRITE, "{}");
        assertThat(none.effect()).isEqualTo(Effect.ASK);
        assertThat(none.rule()).isEqualTo("email-with-approval");
        assertThat(none.reason()).isEqualTo("tool send_email sends email: a person approves it");
    }

    @Test
    void calendarEventsWithAttendeesInsideTheAllowlistOrNoneRunAndAnyoneOutsideItAsks() throws IOException {
        TenantPolicy p = demoPolicy();
        String times = "\"summary\":\"Intro\",\"start\":\"2026-05-05T10:00:00+02:00\",\"end\":\"2026-05-05T10:30:00+02:00\"";
        PolicyDecision inside = decide(p, "sales-agent", "calendar_create_event", SideEffect.EXTERNAL_WRITE,
                "{" + times + ",\"attendees\":[\"ann@example.com\",\"bob@sales.acme.io\"]}");
        assertThat(inside).isEqualTo(new PolicyDecision(Effect.ALLOW, "calendar-events",
                "every attendee is in the tenant's email domain allowlist, or there are none"));
        assertThat(decide(p, "sales-agent", "calendar_create_event", SideEffect.EXTERNAL_WRITE, "{" + times + "}"))
                .isEqualTo(inside);
        assertThat(decide(p, "sales-agent", "calendar_create_event", SideEffect.EXTERNAL_WRITE, "{" + times + ",\"attendees\":[]}"))
                .isEqualTo(inside);

        PolicyDecision outside = decide(p, "sales-agent", "calendar_create_event", SideEffect.EXTERNAL_WRITE,
                "{" + times + ",\"attendees\":[\"ann@example.com\",\"ceo@partner-co.com\"]}");
        assertThat(outside).isEqualTo(new PolicyDecision(Effect.ASK, "calendar-attendees-outside-allowlist",
                "the invitation goes to a domain outside the allowlist: a person approves it"));
        // Fails closed as email does: a look-alike domain, an address without a domain.
        assertThat(decide(p, "sales-agent", "calendar_create_event", SideEffect.EXTERNAL_WRITE,
                "{" + times + ",\"attendees\":[\"x@notexample.com\"]}").effect()).isEqualTo(Effect.ASK);
        assertThat(decide(p, "sales-agent", "calendar_create_event", SideEffect.EXTERNAL_WRITE,
                "{" + times + ",\"attendees\":[\"somebody\"]}").effect()).isEqualTo(Effect.ASK);
        // Finding free time only reads; the knowledge assistant may not book.
        assertThat(decide(p, "sales-agent", "calendar_find_free_time", SideEffect.READ, "{\"attendees\":[\"ceo@partner-co.com\"]}"))
                .isEqualTo(new PolicyDecision(Effect.ALLOW, "reads", "tool calendar_find_free_time only reads"));
        assertThat(decide(p, "knowledge-assistant", "calendar_create_event", SideEffect.EXTERNAL_WRITE, "{" + times + "}").effect())
                .isEqualTo(Effect.DENY);
        // The baseline (no stored policy) asks for every event.
        assertThat(decide(TenantPolicy.baseline(DEMO), "sales-agent", "calendar_create_event", SideEffect.EXTERNAL_WRITE, "{" + times + "}")
                .effect()).isEqualTo(Effect.ASK);
    }

    @Test
    void crmDeletesAreDeniedEvenThoughCrmWritesArePermitted() throws IOException {
        TenantPolicy p = demoPolicy();
        PolicyDecision delete = decide(p, "sales-agent", "crm_delete_contact", SideEffect.EXTERNAL_WRITE, "{\"id\":\"c1\"}");
        assertThat(delete).isEqualTo(new PolicyDecision(Effect.DENY, "crm-deletes", "agents never delete CRM records"));
        PolicyDecision update = decide(p, "sales-agent", "crm_update_contact", SideEffect.EXTERNAL_WRITE, "{\"id\":\"c1\"}");
        assertThat(update.effect()).isEqualTo(Effect.ASK);
        assertThat(update.rule()).isEqualTo("crm-writes-with-approval");
        assertThat(update.reason()).isEqualTo("tool crm_update_contact changes CRM records: a person approves it");
    }

    @Test
    void zendeskCommentsAndCrmNotesAlwaysWaitForAPerson() throws IOException {
        TenantPolicy p = demoPolicy();
        PolicyDecision reply = decide(p, "support-agent", "zendesk_comment", SideEffect.EXTERNAL_WRITE,
                "{\"ticketId\":35436,\"body\":\"Hello\",\"public\":true}");
        assertThat(reply).isEqualTo(new PolicyDecision(Effect.ASK, "zendesk-public-replies",
                "a public reply is emailed to the requester: a person approves it"));
        // Without the flag Zendesk posts publicly, so the rule does too; a non-boolean is not "false" either.
        assertThat(decide(p, "support-agent", "zendesk_comment", SideEffect.EXTERNAL_WRITE, "{\"ticketId\":1,\"body\":\"b\"}").rule())
                .isEqualTo("zendesk-public-replies");
        assertThat(decide(p, "support-agent", "zendesk_comment", SideEffect.EXTERNAL_WRITE, "{\"public\":\"no\"}").rule())
                .isEqualTo("zendesk-public-replies");
        PolicyDecision note = decide(p, "support-agent", "zendesk_comment", SideEffect.EXTERNAL_WRITE,
                "{\"ticketId\":35436,\"body\":\"Checked the card.\",\"public\":false}");
        assertThat(note).isEqualTo(new PolicyDecision(Effect.ASK, "zendesk-comments-with-approval",
                "tool zendesk_comment writes on a Zendesk ticket: a person approves it"));
        PolicyDecision crm = decide(p, "support-agent", "crm_add_note", SideEffect.EXTERNAL_WRITE,
                "{\"body\":\"n\",\"associations\":[{\"objectType\":\"contact\",\"id\":\"512\"}]}");
        assertThat(crm).isEqualTo(new PolicyDecision(Effect.ASK, "crm-writes-with-approval",
                "tool crm_add_note changes CRM records: a person approves it"));
        assertThat(decide(p, "knowledge-assistant", "zendesk_comment", SideEffect.EXTERNAL_WRITE, "{\"public\":false}").rule())
                .isEqualTo("knowledge-assistant-reads-only");
    }

    @Test
    void slackPostsWaitForAPersonUnderTheDefaultPolicyAndTheBaselineAndSlackReadsRun() throws IOException {
        TenantPolicy p = demoPolicy();
        TenantPolicy baseline = TenantPolicy.baseline(DEMO);
        String post = "{\"channel\":\"#deals\",\"text\":\"Globex renewal signed.\"}";
        for (String agent : List.of("support-agent", "sales-agent")) {
            assertThat(decide(p, agent, "slack_post_message", SideEffect.EXTERNAL_WRITE, post)).isEqualTo(new PolicyDecision(Effect.ASK,
                    "slack-posts-with-approval", "tool slack_post_message posts to Slack: a person approves it"));
            assertThat(decide(baseline, agent, "slack_post_message", SideEffect.EXTERNAL_WRITE, post)).isEqualTo(new PolicyDecision(Effect.ASK,
                    "baseline-external-writes", "tool slack_post_message has external side effects: a person approves each call"));
            assertThat(decide(p, agent, "slack_read_channel", SideEffect.READ, "{\"channel\":\"#deals\"}"))
                    .isEqualTo(new PolicyDecision(Effect.ALLOW, "reads", "tool slack_read_channel only reads"));
            assertThat(decide(baseline, agent, "slack_read_channel", SideEffect.READ, "{\"channel\":\"#deals\"}").rule()).isEqualTo("baseline-reads");
        }
        assertThat(decide(p, "knowledge-assistant", "slack_post_message", SideEffect.EXTERNAL_WRITE, post).effect()).isEqualTo(Effect.DENY);
    }

    @Test
    void theDefaultPolicysCommentedSlackRuleLetsPostsToThatChannelAloneRunWithoutReview() throws IOException {
        String text = Files.readString(Path.of("../../templates/policies/default.cedar"));
        List<String> lines = new java.util.ArrayList<>(text.lines().toList());
        int from = lines.indexOf("// @id(\"slack-deals-without-review\")");
        assertThat(from).as("the commented example is in the default policy").isPositive();
        for (int i = from; ; i++) {
            lines.set(i, lines.get(i).substring("// ".length()));
            if (lines.get(i).endsWith("};")) {
                break;
            }
        }
        TenantPolicy p = TenantPolicy.compile(DEMO, 2, String.join("\n", lines), List.of());
        assertThat(decide(p, "sales-agent", "slack_post_message", SideEffect.EXTERNAL_WRITE, "{\"channel\":\"#deals\",\"text\":\"t\"}"))
                .isEqualTo(new PolicyDecision(Effect.ALLOW, "slack-deals-without-review", "posts to #deals run without review"));
        assertThat(decide(p, "sales-agent", "slack_post_message", SideEffect.EXTERNAL_WRITE,
                "{\"channel\":\"#deals\",\"text\":\"t\",\"thread_ts\":\"1714564800.000100\"}").effect()).isEqualTo(Effect.ALLOW);
        for (String other : List.of("{\"channel\":\"#deals-internal\",\"text\":\"t\"}", "{\"channel\":\"C0DEALS001\",\"text\":\"t\"}",
                "{\"channel\":\"#Deals\",\"text\":\"t\"}", "{\"text\":\"t\"}", "{\"channel\":\"#deals\"}",
                "{\"channel\":\"#deals\",\"text\":\"Signed! <!channel>\"}", "{\"channel\":\"#deals\",\"text\":\"cc <!subteam^S0123|sales>\"}")) {
            assertThat(decide(p, "sales-agent", "slack_post_message", SideEffect.EXTERNAL_WRITE, other))
                    .as(other).isEqualTo(new PolicyDecision(Effect.ASK, "slack-posts-with-approval",
                            "tool slack_post_message posts to Slack: a person approves it"));
        }
        assertThat(decide(p, "knowledge-assistant", "slack_post_message", SideEffect.EXTERNAL_WRITE, "{\"channel\":\"#deals\"}").rule())
                .isEqualTo("knowledge-assistant-reads-only");
    }

    @Test
    void vendorReadsRunWithoutAPersonUnderTheDefaultPolicyAndTheBaseline() throws IOException {
        TenantPolicy p = demoPolicy();
        TenantPolicy baseline = TenantPolicy.baseline(DEMO);
        String record = "{\"objectType\":\"contact\",\"id\":\"512\"}";
        String ticket = "{\"ticketId\":35436}";
        for (String agent : List.of("support-agent", "sales-agent", "knowledge-assistant")) {
            // A crm_* name alone does not make a call a CRM write: only the side effect does.
            assertThat(decide(p, agent, "crm_read_record", SideEffect.READ, record))
                    .isEqualTo(new PolicyDecision(Effect.ALLOW, "reads", "tool crm_read_record only reads"));
            assertThat(decide(p, agent, "zendesk_read_ticket", SideEffect.READ, ticket))
                    .isEqualTo(new PolicyDecision(Effect.ALLOW, "reads", "tool zendesk_read_ticket only reads"));
            assertThat(decide(baseline, agent, "crm_read_record", SideEffect.READ, record))
                    .isEqualTo(new PolicyDecision(Effect.ALLOW, "baseline-reads", "tool crm_read_record only reads"));
            assertThat(decide(baseline, agent, "zendesk_read_ticket", SideEffect.READ, ticket).rule()).isEqualTo("baseline-reads");
        }
    }

    @Test
    void refundsOverTheLimitAsk() throws IOException {
        TenantPolicy p = demoPolicy();
        assertThat(decide(p, "support-agent", "issue_refund", SideEffect.EXTERNAL_WRITE, "{\"amount\":500}"))
                .isEqualTo(new PolicyDecision(Effect.ALLOW, "refunds", "refunds up to 500 run without review"));
        assertThat(decide(p, "support-agent", "issue_refund", SideEffect.EXTERNAL_WRITE, "{\"amount\":\"499.99\"}").effect())
                .isEqualTo(Effect.ALLOW);
        PolicyDecision over = decide(p, "support-agent", "issue_refund", SideEffect.EXTERNAL_WRITE, "{\"amount\":500.00001}");
        assertThat(over.effect()).isEqualTo(Effect.ASK);
        assertThat(over.rule()).isEqualTo("refund-over-500");
        assertThat(decide(p, "support-agent", "issue_refund", SideEffect.EXTERNAL_WRITE, "{\"amount\":1e30}").effect())
                .isEqualTo(Effect.ASK);
        // An amount that is not a number counts as the largest amount: asks, never runs unreviewed.
        assertThat(decide(p, "support-agent", "issue_refund", SideEffect.EXTERNAL_WRITE, "{\"amount\":\"five hundred\"}").rule())
                .isEqualTo("refund-over-500");
        assertThat(decide(p, "support-agent", "issue_refund", SideEffect.EXTERNAL_WRITE, "{\"amount\":{\"value\":1}}").effect())
                .isEqualTo(Effect.ASK);
        // Without an amount, or a negative one, no rule permits the refund.
        assertThat(decide(p, "support-agent", "issue_refund", SideEffect.EXTERNAL_WRITE, "{}").rule()).isEqualTo("default-deny");
        assertThat(decide(p, "support-agent", "issue_refund", SideEffect.EXTERNAL_WRITE, "{\"amount\":-5}").effect())
                .isEqualTo(Effect.DENY);
    }

    @Test
    void perAgentForbidOverridesGeneralPermits() throws IOException {
        TenantPolicy p = demoPolicy();
        PolicyDecision d = decide(p, "knowledge-assistant", "send_email", SideEffect.EXTERNAL_WRITE, "{\"to\":[\"a@example.com\"]}");
        assertThat(d).isEqualTo(new PolicyDecision(Effect.DENY, "knowledge-assistant-reads-only", "the knowledge assistant only reads"));
        assertThat(decide(p, "knowledge-assistant", "search_knowledge", SideEffect.READ, "{}").effect()).isEqualTo(Effect.ALLOW);
    }

    @Test
    void aToolNoRuleMentionsIsDeniedByDefault() throws IOException {
        PolicyDecision d = decide(demoPolicy(), "support-agent", "wire_transfer", SideEffect.EXTERNAL_WRITE, "{\"amount\":1}");
        assertThat(d).isEqualTo(new PolicyDecision(Effect.DENY, PolicyDecision.DEFAULT_DENY,
                "no rule allows agent support-agent to call tool wire_transfer"));
        TenantPolicy empty = TenantPolicy.compile(DEMO, 1, "", List.of());
        assertThat(decide(empty, "a", "search", SideEffect.READ, "{}").rule()).isEqualTo(PolicyDecision.DEFAULT_DENY);
    }

    @Test
    void allowAndDenyListsPerAgent() {
        TenantPolicy p = TenantPolicy.compile(DEMO, 3, """
                @id("support-tools")
                permit (principal == Agent::"demo/support-agent", action, resource)
                when { [Tool::"search_knowledge", Tool::"lookup_order"].contains(resource) };
                @id("sales-tools")
                permit (principal == Agent::"demo/sales-agent", action, resource);
                @id("sales-never-exports")
                forbid (principal == Agent::"demo/sales-agent", action, resource == Tool::"export_contacts");
                """, List.of());
        assertThat(decide(p, "support-agent", "lookup_order", SideEffect.READ, "{}").rule()).isEqualTo("support-tools");
        assertThat(decide(p, "support-agent", "send_email", SideEffect.EXTERNAL_WRITE, "{}").rule()).isEqualTo("default-deny");
        assertThat(decide(p, "sales-agent", "send_email", SideEffect.EXTERNAL_WRITE, "{}").effect()).isEqualTo(Effect.ALLOW);
        assertThat(decide(p, "sales-agent", "export_contacts", SideEffect.READ, "{}").rule()).isEqualTo("sales-never-exports");
    }

    @Test
    void rulesOverAnyArgumentUseTheToolsTags() {
        TenantPolicy p = TenantPolicy.compile(DEMO, 1, """
                @id("tickets")
                permit (principal, action, resource == Tool::"update_ticket");
                @id("closing-asks")
                @reason("closing ticket {tool} for {agent} needs approval")
                forbid (principal, action == Action::"execute_without_review", resource)
                when { resource.hasTag("status") && resource.getTag("status") == "closed" };
                @id("no-bulk")
                forbid (principal, action, resource)
                when { resource.hasTag("ids") && resource.getTag("ids") like "*,*" };
                """, List.of());
        assertThat(decide(p, "support-agent", "update_ticket", SideEffect.EXTERNAL_WRITE, "{\"status\":\"open\"}").effect())
                .isEqualTo(Effect.ALLOW);
        assertThat(decide(p, "support-agent", "update_ticket", SideEffect.EXTERNAL_WRITE, "{\"status\":\"closed\"}"))
                .isEqualTo(new PolicyDecision(Effect.ASK, "closing-asks", "closing ticket update_ticket for support-agent needs approval"));
        assertThat(decide(p, "support-agent", "update_ticket", SideEffect.EXTERNAL_WRITE, "{\"ids\":[1,2]}").rule()).isEqualTo("no-bulk");
        assertThat(decide(p, "support-agent", "update_ticket", SideEffect.EXTERNAL_WRITE, "{\"ids\":[1]}").effect()).isEqualTo(Effect.ALLOW);
    }

    @Test
    void denyWinsOverAskWinsOverAllowAndTheFirstMatchingRuleInTextOrderIsNamed() {
        TenantPolicy p = TenantPolicy.compile(DEMO, 1, """
                @id("allow-all")
                permit (principal, action, resource);
                @id("ask-b")
                forbid (principal, action == Action::"execute_without_review", resource) when { resource.name == "b" || resource.name == "c" };
                @id("deny-c")
                forbid (principal, action, resource) when { resource.name == "c" };
                @id("deny-c-again")
                forbid (principal, action, resource) when { resource.name like "c*" };
                @id("ask-b-again")
                forbid (principal, action == Action::"execute_without_review", resource) when { resource.name == "b" };
                """, List.of());
        assertThat(decide(p, "x", "a", SideEffect.READ, "{}")).extracting(PolicyDecision::effect, PolicyDecision::rule)
                .containsExactly(Effect.ALLOW, "allow-all");
        assertThat(decide(p, "x", "b", SideEffect.READ, "{}")).extracting(PolicyDecision::effect, PolicyDecision::rule)
                .containsExactly(Effect.ASK, "ask-b");
        assertThat(decide(p, "x", "c", SideEffect.READ, "{}")).extracting(PolicyDecision::effect, PolicyDecision::rule)
                .containsExactly(Effect.DENY, "deny-c");
        assertThat(decide(p, "x", "c", SideEffect.READ, "{}").reason()).isEqualTo("rule deny-c forbids this call");
    }

    @Test
    void baselineKeepsTodaysBehaviourAndAppliesAnAllowlistWhenConfigured() {
        TenantPolicy baseline = TenantPolicy.baseline(DEMO);
        assertThat(baseline.version()).isZero();
        assertThat(decide(baseline, "support-agent", "search_knowledge", SideEffect.READ, "{}"))
                .isEqualTo(new PolicyDecision(Effect.ALLOW, "baseline-reads", "tool search_knowledge only reads"));
        assertThat(decide(baseline, "support-agent", "note", SideEffect.INTERNAL_WRITE, "{}").effect()).isEqualTo(Effect.ALLOW);
        assertThat(decide(baseline, "support-agent", "send_email", SideEffect.EXTERNAL_WRITE, "{\"to\":[\"a@example.com\"]}"))
                .isEqualTo(new PolicyDecision(Effect.ASK, "baseline-external-writes",
                        "tool send_email has external side effects: a person approves each call"));

        TenantPolicy withAllowlist = TenantPolicy.compile(DEMO, 2, TenantPolicy.baselineSource(), List.of("Example.com"));
        assertThat(withAllowlist.emailDomains()).containsExactly("example.com");
        assertThat(decide(withAllowlist, "support-agent", "send_email", SideEffect.EXTERNAL_WRITE, "{\"to\":[\"a@example.com\"]}").rule())
                .isEqualTo("baseline-email-allowlist");
        assertThat(decide(withAllowlist, "support-agent", "send_email", SideEffect.EXTERNAL_WRITE, "{\"to\":[\"a@other.com\"]}").effect())
                .isEqualTo(Effect.ASK);
        assertThat(decide(withAllowlist, "support-agent", "post_slack", SideEffect.EXTERNAL_WRITE, "{\"to\":[\"a@example.com\"]}").effect())
                .isEqualTo(Effect.ASK);
    }

    @Test
    void aRuleThatFailsToEvaluateDeniesAndIsNamed() {
        TenantPolicy p = TenantPolicy.compile(DEMO, 1, """
                @id("allow-all")
                permit (principal, action, resource);
                @id("overflows")
                forbid (principal, action, resource) when { resource.name == "x" && 9223372036854775807 + 1 > 0 };
                """, List.of());
        assertThat(decide(p, "a", "y", SideEffect.READ, "{}").effect()).isEqualTo(Effect.ALLOW);
        PolicyDecision d = decide(p, "a", "x", SideEffect.READ, "{}");
        assertThat(d.effect()).isEqualTo(Effect.DENY);
        assertThat(d.rule()).isEqualTo("overflows");
        assertThat(d.reason()).startsWith("rule overflows could not be evaluated (").contains("overflow").endsWith("so the call is denied");
    }

    @Test
    void aPolicyCopiedToAnotherTenantDoesNotGrantThatTenantsAgents() {
        String text = """
                @id("support-tools")
                permit (principal == Agent::"demo/support-agent", action, resource);
                """;
        TenantPolicy copied = TenantPolicy.compile(TenantId.of("other"), 1, text, List.of());
        assertThat(decide(copied, "support-agent", "search_knowledge", SideEffect.READ, "{}").rule()).isEqualTo(PolicyDecision.DEFAULT_DENY);
        assertThat(decide(TenantPolicy.compile(DEMO, 1, text, List.of()), "support-agent", "search_knowledge", SideEffect.READ, "{}")
                .rule()).isEqualTo("support-tools");
    }

    @Test
    void aPolicyNeverDecidesForAnotherTenant() throws IOException {
        TenantPolicy a = demoPolicy();
        ToolRequest fromB = call(TenantId.of("tenant-b"), "support-agent", "search_knowledge", SideEffect.READ, "{}");
        assertThatThrownBy(() -> ENGINE.decide(a, fromB)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tenant demo").hasMessageContaining("tenant tenant-b");
    }

    @Test
    void requestsCopyTheirArguments() {
        JsonNode args = Json.tree("{\"to\":[\"a@example.com\"]}");
        ToolRequest r = new ToolRequest(DEMO, "a", "send_email", SideEffect.EXTERNAL_WRITE, args);
        ((com.fasterxml.jackson.databind.node.ArrayNode) args.get("to")).add("b@evil.example");
        assertThat(r.arguments().get("to")).hasSize(1);
        assertThat(new ToolRequest(DEMO, "a", "t", SideEffect.READ, null).arguments().isEmpty()).isTrue();
    }
}
