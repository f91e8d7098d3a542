package dev.steward.guardrails;

import dev.steward.core.run.GuardVerdict;
import java.util.List;
import java.util.Objects;

/**
 * One reason behind a verdict: which detector fired, what it found ({@code category}, e.g. {@code EMAIL} or
 * {@code PROMPT_INJECTION}), how sure it is, and where. {@code spans} may be empty when the finding is about
 * the text as a whole (a classifier score). {@code detail} is for logs and reviewers and never contains the
 * matched PII itself.
 */
public record Finding(String detector, String category, double score, List<Span> spans, String detail) {
    public Finding {
        Objects.requireNonNull(detector, "detector");
        Objects.requireNonNull(category, "category");
        if (Double.isNaN(score) || score < 0 || score > 1) {
            throw new IllegalArgumentException("score must be in [0, 1]: " + score);
        }
        spans = List.copyOf(spans);
        detail = detail == null ? "" : detail;
    }

    /** This finding as a run's timeline keeps it, about {@code subject} (a chunk id, a call id, "input", "answer"). */
    public GuardVerdict.Reason reason(String subject) {
        return new GuardVerdict.Reason(detector, category, score, subject, detail);
    }

    public static Finding of(String detector, String category, double score, String detail) {
        return new Finding(detector, category, score, List.of(), detail);
    }
}
