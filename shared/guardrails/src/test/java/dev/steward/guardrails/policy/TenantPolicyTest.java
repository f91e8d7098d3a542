package dev.steward.guardrails.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.tenant.TenantId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Saving a policy: what is rejected, and that the message says precisely why. */
class TenantPolicyTest {
    static final TenantId T = TenantId.of("acme");

    static InvalidPolicyException rejected(String source, List<String> domains) {
        try {
            TenantPolicy.compile(T, 1, source, domains);
        } catch (InvalidPolicyException e) {
            System.out.println("rejected: " + e.getMessage());
            return e;
        }
        throw new AssertionError("accepted: " + source);
    }

    @Test
    void syntaxErrorsAreRejectedWithCedarsMessage() {
        assertThat(rejected("@id(\"x\")\npermit (principal, action, resource", List.of()).getMessage())
                .isEqualTo("the policy text does not parse as Cedar: unexpected end of input");
        assertThat(rejected("@id(\"x\") allow (principal, action, resource);", List.of()).getMessage())
                .contains("does not parse");
    }

    @Test
    void schemaViolationsNameThePolicyTheLineAndTheAttribute() {
        String text = """
                @id("ok")
                permit (principal, action, resource);

                @id("typo")
                forbid (principal, action, resource)
                when { context.amont.greaterThan(decimal("1.0")) };
                """;
        InvalidPolicyException e = rejected(text, List.of());
        assertThat(e.problems()).isNotEmpty().allSatisfy(problem -> assertThat(problem)
                .startsWith("policy @id(\"typo\") at line 6 (`context.amont.greaterThan(decimal(\"1.0\"))`)")
                .contains("attribute `amont` in context").contains("did you mean `amount`?"));

        assertThat(rejected("@id(\"a\") permit (principal, action == Action::\"delete\", resource);", List.of()).getMessage())
                .contains("@id(\"a\")").contains("delete");
        assertThat(rejected("@id(\"a\") permit (principal, action, resource) when { context.amount.greaterThan(decimal(\"1.0\")) };",
                List.of()).getMessage()).contains("context has amount");
        assertThat(rejected("@id(\"a\") permit (principal, action, resource) when { resource.side_effect > 1 };", List.of()).getMessage())
                .contains("@id(\"a\")");
    }

    @Test
    void everyPolicyNeedsAUniqueWellFormedId() {
        assertThat(rejected("permit (principal, action, resource);", List.of()).getMessage())
                .isEqualTo("policy 1 (permit (principal, action, resource);) has no @id(\"...\") annotation; every policy needs one, decisions name it");
        assertThat(rejected("@id(\"a\") permit (principal, action, resource);\n@id(\"a\") forbid (principal, action, resource);",
                List.of()).getMessage()).contains("policy 2").contains("already used by policy 1");
        assertThat(rejected("@id(\"default-deny\") permit (principal, action, resource);", List.of()).getMessage()).contains("reserved");
        assertThat(rejected("@id(\"has space\") permit (principal, action, resource);", List.of()).getMessage()).contains("1-64 letters");
    }

    @Test
    void templatesSizeAndDomainsAreChecked() {
        assertThat(rejected("@id(\"t\") permit (principal == ?principal, action, resource);", List.of()).getMessage())
                .contains("templates");
        assertThat(rejected("// " + "x".repeat(TenantPolicy.MAX_SOURCE_CHARS), List.of()).getMessage()).contains("at most 65536");
        assertThat(rejected("", List.of("example.com", "@bad.com", "no_tld")).problems())
                .containsExactly("email domain '@bad.com' is not a domain name (write e.g. example.com, without @)",
                        "email domain 'no_tld' is not a domain name (write e.g. example.com, without @)");
        assertThatThrownBy(() -> TenantPolicy.compile(T, 1, null, List.of())).isInstanceOf(InvalidPolicyException.class);
    }

    @Test
    void aValidPolicyKeepsItsTextDomainsAndRuleOrder() {
        TenantPolicy p = TenantPolicy.compile(T, 7, """
                @id("second-in-cedar-order-is-still-first-here") permit (principal, action, resource);
                @id("b") forbid (principal, action, resource) when { resource.name == "x" };
                """, List.of(" Acme.IO ", "acme.io", "example.com"));
        assertThat(p.version()).isEqualTo(7);
        assertThat(p.tenant()).isEqualTo(T);
        assertThat(p.emailDomains()).containsExactly("acme.io", "example.com");
        assertThat(p.ruleIds()).containsExactly("second-in-cedar-order-is-still-first-here", "b");
        assertThat(TenantPolicy.baseline(T).ruleIds())
                .containsExactly("baseline-reads", "baseline-internal-writes", "baseline-external-writes", "baseline-email-allowlist");
    }
}
