package dev.steward.guardrails;

import dev.steward.core.run.RunId;
import dev.steward.core.tenant.TenantId;
import java.util.Objects;

/**
 * A text to check, with where it sits in the loop and whose run it belongs to. Guardrails that keep per-run
 * state (the PII vault) check that {@code tenant} and {@code run} are theirs.
 */
public record GuardrailInput(TenantId tenant, RunId run, Stage stage, String text) {
    public GuardrailInput {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(text, "text");
    }
}
