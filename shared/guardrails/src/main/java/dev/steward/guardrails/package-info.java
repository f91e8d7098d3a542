/**
 * Guardrails: the {@link dev.steward.guardrails.Verdict} model, the {@link dev.steward.guardrails.Guardrail}
 * extension interface, and local detectors for PII ({@code pii}), prompt injection ({@code injection}) and
 * toxicity ({@code toxicity}). Detectors never call a model service and never download anything at run time.
 * Policies (which verdict a finding leads to, per tenant) are data evaluated outside the model; the mapping in
 * each guardrail here is the default until tenant policy lands.
 */
package dev.steward.guardrails;
