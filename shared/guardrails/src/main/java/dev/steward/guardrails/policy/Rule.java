package dev.steward.guardrails.policy;

/** One Cedar policy of a tenant policy: Cedar's own id for it, the author's {@code @id}, its optional {@code @reason}. */
record Rule(String cedarId, String id, String reason, boolean forbid) {

    /** The reason with {@code {tool}} and {@code {agent}} filled in, or a sentence naming the rule when it has none. */
    String reasonFor(ToolRequest request, String fallback) {
        String text = reason == null ? fallback : reason;
        return text.replace("{tool}", request.tool()).replace("{agent}", request.agent());
    }
}
