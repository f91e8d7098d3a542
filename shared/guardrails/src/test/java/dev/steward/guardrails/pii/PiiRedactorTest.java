package dev.steward.guardrails.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.run.RunId;
import dev.steward.core.tenant.TenantId;
import dev.steward.guardrails.GuardrailInput;
import dev.steward.guardrails.Stage;
import dev.steward.guardrails.Verdict;
import org.junit.jupiter.api.Test;

class PiiRedactorTest {
    private static final PiiRedactor REDACTOR = new PiiRedactor(PiiScanner.all());
    private static final TenantId ACME = TenantId.of("acme");

    @Test
    void sameValueSamePlaceholderWithinARun() {
        PiiVault vault = new PiiVault(ACME, RunId.random());
        Redaction r = REDACTOR.redact("Mail jane@example.com or JANE@EXAMPLE.COM, not bob@example.com.", vault);
        assertThat(r.text()).isEqualTo("Mail <EMAIL_1> or <EMAIL_1>, not <EMAIL_2>.");
        Redaction later = REDACTOR.redact("Again: jane@example.com, card 4111 1111 1111 1111", vault);
        assertThat(later.text()).isEqualTo("Again: <EMAIL_1>, card <CREDIT_CARD_1>");
        assertThat(vault.size()).isEqualTo(3);
    }

    @Test
    void vaultRehydratesWhatItRedacted() {
        PiiVault vault = new PiiVault(ACME, RunId.random());
        String text = "Hi, I'm Maria Rossi, call +44 20 7946 0958 or wire to GB82 WEST 1234 5698 7654 32.";
        Redaction r = REDACTOR.redact(text, vault);
        assertThat(r.text()).doesNotContain("Maria", "7946", "WEST").contains("<PERSON_1>", "<PHONE_1>", "<IBAN_1>");
        assertThat(vault.rehydrate(r.text())).isEqualTo(text);
        assertThat(vault.original("<PHONE_1>")).contains("+44 20 7946 0958");
    }

    @Test
    void foreignPlaceholdersAreLeftAlone() {
        PiiVault vault = new PiiVault(ACME, RunId.random());
        assertThat(vault.rehydrate("see <EMAIL_7>")).isEqualTo("see <EMAIL_7>");
        assertThat(REDACTOR.redact("see <EMAIL_7>", vault).changed()).isFalse();
    }

    @Test
    void vaultToStringNeverShowsValues() {
        PiiVault vault = new PiiVault(ACME, RunId.random());
        REDACTOR.redact("jane@example.com", vault);
        assertThat(vault.toString()).doesNotContain("jane");
    }

    @Test
    void guardrailRedactsAndRejectsAnotherTenantsRun() {
        RunId run = RunId.random();
        PiiGuardrail guardrail = new PiiGuardrail(REDACTOR, new PiiVault(ACME, run));
        Verdict v = guardrail.check(new GuardrailInput(ACME, run, Stage.TOOL_RESULT, "Customer email: jane@example.com"));
        assertThat(v).isInstanceOfSatisfying(Verdict.Redact.class, r -> {
            assertThat(r.text()).isEqualTo("Customer email: <EMAIL_1>");
            assertThat(r.findings()).singleElement().satisfies(f -> {
                assertThat(f.category()).isEqualTo("EMAIL");
                assertThat(f.detail()).doesNotContain("jane");
            });
        });
        assertThat(guardrail.check(new GuardrailInput(ACME, run, Stage.ANSWER, "Nothing personal here.")))
                .isInstanceOf(Verdict.Allow.class);
        assertThatThrownBy(() -> guardrail.check(new GuardrailInput(TenantId.of("globex"), run, Stage.USER_INPUT, "x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> guardrail.check(new GuardrailInput(ACME, RunId.random(), Stage.USER_INPUT, "x")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
