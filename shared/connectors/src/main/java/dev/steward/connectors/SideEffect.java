package dev.steward.connectors;

/** What calling a tool does to the world, which decides how policy and retries treat it. */
public enum SideEffect {
    /** Reads only; safe to call again. */
    READ,
    /**
     * Changes something outside Steward (sends, posts, creates). Effectively-once through an idempotency record,
     * and subject to approval rules.
     */
    EXTERNAL_WRITE
}
