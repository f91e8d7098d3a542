package dev.steward.llm;

import java.util.Objects;

/** What the model said, which model said it, and what it cost in tokens. */
public record ModelReply(String text, String model, int inputTokens, int outputTokens) {
    public ModelReply {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(model, "model");
    }
}
