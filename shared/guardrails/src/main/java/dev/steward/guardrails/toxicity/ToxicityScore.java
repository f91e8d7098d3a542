package dev.steward.guardrails.toxicity;

/** The toxicity classifier's output: a probability-like score, whether it is at or above the threshold, and the lexicon hit count. */
public record ToxicityScore(double score, boolean flagged, int lexiconHits) {}
