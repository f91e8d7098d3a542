/** Toxicity classification: a profanity lexicon plus a small linear model trained from labelled samples. */
package dev.steward.guardrails.toxicity;
