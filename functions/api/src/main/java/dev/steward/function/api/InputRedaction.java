package dev.steward.function.api;

import dev.steward.core.run.GuardVerdict;
import dev.steward.core.run.RunId;
import dev.steward.core.tenant.TenantId;
import dev.steward.guardrails.Finding;
import dev.steward.guardrails.GuardrailInput;
import dev.steward.guardrails.Stage;
import dev.steward.guardrails.Verdict;
import dev.steward.guardrails.aws.GuardrailProviders;
import dev.steward.guardrails.pii.PiiVault;
import dev.steward.store.vault.VaultStore;
import java.util.Optional;

/**
 * Redacts personal data from a run's input at the door, before the run is first stored: the stored run, the table's
 * point-in-time backups and anything reading its changes only ever hold the placeholders. The values go to the run's
 * vault first, with the same placeholders the loop's checkpoints write ({@code <EMAIL_1>}), so an approved tool call
 * can still be re-hydrated. The PII guardrail is the configured provider's, as in the loop (local recognizers, or
 * Amazon Comprehend with {@code STEWARD_GUARDRAILS_PROVIDER=comprehend}). The first plan step records what was found
 * ({@code RunRecord.inputCheck}) as its input verdict and still runs the other input checks (injection, toxicity).
 */
final class InputRedaction {
    private final GuardrailProviders providers;
    private final VaultStore vaults;

    InputRedaction(GuardrailProviders providers, VaultStore vaults) {
        this.providers = providers;
        this.vaults = vaults;
    }

    /**
     * Runs the PII guardrail once over a probe text, so that the local recognizers' name lists (about a second to
     * load) are loaded before the SnapStart snapshot rather than on the first run started; a PII service
     * (Comprehend) is not called, and nothing is stored.
     */
    void prime() {
        if (providers.provider() == GuardrailProviders.Provider.COMPREHEND) {
            return;
        }
        TenantId tenant = new TenantId("priming");
        RunId run = new RunId("run_priming0");
        providers.pii(new PiiVault(tenant, run)).check(new GuardrailInput(tenant, run, Stage.USER_INPUT,
                "I am Jane Doe; write to jane.doe@example.com or call +1 415 555 0132 about order 1234."));
    }

    /** The input to store, and what was redacted from it ({@code check} is null when nothing was). */
    record Redacted(String text, GuardVerdict check) {}

    /**
     * Redacts a new run's input, writing the run's vault when anything was found.
     *
     * @return empty when the run already has a vault: it exists, and its placeholders are left as they are
     */
    Optional<Redacted> redact(TenantId tenant, RunId run, String input) {
        PiiVault vault = new PiiVault(tenant, run);
        Verdict verdict = providers.pii(vault).check(new GuardrailInput(tenant, run, Stage.USER_INPUT, input));
        if (!(verdict instanceof Verdict.Redact redact)) {
            return Optional.of(new Redacted(input, null));
        }
        if (!vaults.create(tenant, run, vault.entries().stream()
                .map(e -> new VaultStore.Entry(e.type().name(), e.placeholder(), e.original())).toList())) {
            return Optional.empty();
        }
        return Optional.of(new Redacted(redact.text(), new GuardVerdict(Stage.USER_INPUT.name(), "REDACT", null,
                redact.findings().stream().map((Finding f) -> f.reason("input")).toList())));
    }
}
