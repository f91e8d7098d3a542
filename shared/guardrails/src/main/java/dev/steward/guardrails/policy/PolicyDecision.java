package dev.steward.guardrails.policy;

import java.util.Objects;

/**
 * What policy decided about one tool call, and which rule decided it. {@code rule} is the {@code @id} of the
 * deciding policy, or {@value #DEFAULT_DENY} when no rule allowed the call, or {@value #EVALUATION_ERROR} when a
 * rule could not be evaluated (the call is then denied). {@code reason} is a sentence for the reviewer or the
 * model.
 */
public record PolicyDecision(Effect effect, String rule, String reason) {
    public static final String DEFAULT_DENY = "default-deny";
    public static final String EVALUATION_ERROR = "evaluation-error";

    /** In order of precedence: DENY wins over ASK, ASK over ALLOW. */
    public enum Effect {
        /** The call runs now. */
        ALLOW,
        /** The call runs only after a person approves it. */
        ASK,
        /** The call never runs; the model is told why. */
        DENY
    }

    public PolicyDecision {
        Objects.requireNonNull(effect, "effect");
        if (rule == null || rule.isBlank()) {
            throw new IllegalArgumentException("a decision must name the rule that made it");
        }
        Objects.requireNonNull(reason, "reason");
    }
}
