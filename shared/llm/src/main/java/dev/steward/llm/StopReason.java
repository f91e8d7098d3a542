package dev.steward.llm;

/** Why the model stopped, normalised across providers. */
public enum StopReason {
    /** The model finished its answer (or hit a stop sequence). */
    END_TURN,
    /** The model wants tools called: {@link ModelReply#toolCalls()} is not empty. */
    TOOL_USE,
    /** The output token limit cut the answer short. */
    MAX_TOKENS,
    /** A provider-side content filter or guardrail intervened. */
    CONTENT_FILTERED,
    /** Anything else the provider reported. */
    OTHER
}
