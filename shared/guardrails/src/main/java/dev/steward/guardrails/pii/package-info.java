/**
 * PII detection and redaction. {@link dev.steward.guardrails.pii.PiiScanner} finds non-overlapping
 * {@link dev.steward.guardrails.pii.PiiEntity}s; {@link dev.steward.guardrails.pii.PiiRedactor} replaces them with
 * typed placeholders ({@code <EMAIL_1>}) from a per-run, tenant-tagged {@link dev.steward.guardrails.pii.PiiVault}
 * that can re-hydrate text later. Redaction is idempotent. Everything is thread-safe; a vault holds raw PII and
 * must never be logged.
 */
package dev.steward.guardrails.pii;
