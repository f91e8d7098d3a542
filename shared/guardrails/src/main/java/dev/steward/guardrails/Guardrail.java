package dev.steward.guardrails;

/**
 * A check the loop runs on text at one of the {@link Stage}s. The local implementations are fast (no network,
 * no model download); they never throw for unusual text, only for bugs (e.g. an input from another tenant's run
 * given to a per-run guardrail). The AWS providers ({@code dev.steward.guardrails.aws}) call a service and may also
 * throw {@link dev.steward.core.error.TransientException} or {@link dev.steward.core.error.PermanentException} when
 * it fails. Unless stated otherwise an implementation is thread-safe.
 */
public interface Guardrail {

    /** A stable name used in {@link Finding#detector()} and in logs. */
    String name();

    /** Decides what to do with {@code input}. */
    Verdict check(GuardrailInput input);
}
