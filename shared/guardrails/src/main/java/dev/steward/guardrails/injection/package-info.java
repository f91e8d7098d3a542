/**
 * Prompt-injection detection ({@link dev.steward.guardrails.injection.InjectionDetector}: lexicon plus a small
 * linear model, no download) and quarantine of flagged content as data
 * ({@link dev.steward.guardrails.injection.Quarantine}).
 */
package dev.steward.guardrails.injection;
