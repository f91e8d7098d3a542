package dev.steward.guardrails;

/**
 * Where in the agent loop a text is checked (ARCHITECTURE.md section 6). The stage decides how a finding is
 * handled: the same injection phrase is an attack from the user but untrusted data inside a retrieved chunk.
 */
public enum Stage {
    /** The user's request or an inbound webhook payload. */
    USER_INPUT,
    /** A chunk returned by retrieval, before the model reads it (indirect injection). */
    RETRIEVED_CHUNK,
    /** Arguments the model wants to pass to a tool, before Act runs it. */
    TOOL_ARGUMENTS,
    /** What a tool returned, before the model reads it. */
    TOOL_RESULT,
    /** The answer, before it is delivered. */
    ANSWER;

    /** True for text that comes from outside the conversation (documents, tools) and must be treated as data. */
    public boolean isUntrustedData() {
        return switch (this) {
            case RETRIEVED_CHUNK, TOOL_RESULT -> true;
            case USER_INPUT, TOOL_ARGUMENTS, ANSWER -> false;
        };
    }
}
