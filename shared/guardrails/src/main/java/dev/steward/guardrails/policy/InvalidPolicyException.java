package dev.steward.guardrails.policy;

import java.util.List;

/** A policy text or allowlist that cannot be used; each problem names the policy and, where known, its line. */
public final class InvalidPolicyException extends IllegalArgumentException {
    private final List<String> problems;

    public InvalidPolicyException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
