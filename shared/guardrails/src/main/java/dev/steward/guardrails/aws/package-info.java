/**
 * Guardrail providers on AWS services, behind the same {@link dev.steward.guardrails.Guardrail} interface as the
 * local detectors: {@link dev.steward.guardrails.aws.ComprehendPiiGuardrail} (same vault and placeholders as local
 * PII redaction), {@link dev.steward.guardrails.aws.ComprehendToxicityGuardrail} (same stage mapping as local
 * toxicity), {@link dev.steward.guardrails.aws.BedrockApplyGuardrail}, and
 * {@link dev.steward.guardrails.aws.GuardrailProviders}, which builds the configured ones from environment
 * variables. Unlike the local detectors these call a service: a call that fails throws
 * {@link dev.steward.core.error.TransientException} (throttling, 5xx, timeouts: retry the step) or
 * {@link dev.steward.core.error.PermanentException} (anything retrying cannot fix). They never log the text.
 */
package dev.steward.guardrails.aws;
