package dev.steward.guardrails.learn;

import java.util.Objects;

/** A training or evaluation example: a text and whether it belongs to the positive class. */
public record LabeledText(String text, boolean positive) {
    public LabeledText {
        Objects.requireNonNull(text, "text");
    }
}
