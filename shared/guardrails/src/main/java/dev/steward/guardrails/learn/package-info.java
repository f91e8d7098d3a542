/**
 * Small, deterministic text-classification tools shared by the injection and toxicity detectors: hashed n-gram
 * features, logistic regression, splits and thresholds. No state outside the objects; everything thread-safe
 * once built.
 */
package dev.steward.guardrails.learn;
