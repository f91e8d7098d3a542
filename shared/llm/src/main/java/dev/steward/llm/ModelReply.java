package dev.steward.llm;

import dev.steward.core.run.ToolCall;
import java.util.List;
import java.util.Objects;

/**
 * What the model said, which model said it (the answering provider's {@link ChatModel#id()}, also behind a
 * {@link FallbackChatModel}), what it cost in tokens, the tools it asked to call and why it stopped. {@code text}
 * is empty, never null, when the model only asked for tools.
 */
public record ModelReply(String text, String model, int inputTokens, int outputTokens, List<ToolCall> toolCalls,
                         StopReason stopReason) {
    public ModelReply {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(model, "model");
        toolCalls = List.copyOf(Objects.requireNonNull(toolCalls, "toolCalls"));
        Objects.requireNonNull(stopReason, "stopReason");
        if (inputTokens < 0 || outputTokens < 0) {
            throw new IllegalArgumentException("token counts cannot be negative");
        }
    }

    /** A text answer without tool calls. */
    public ModelReply(String text, String model, int inputTokens, int outputTokens) {
        this(text, model, inputTokens, outputTokens, List.of(), StopReason.END_TURN);
    }
}
