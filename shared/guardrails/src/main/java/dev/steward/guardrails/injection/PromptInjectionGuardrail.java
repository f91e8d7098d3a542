package dev.steward.guardrails.injection;

import dev.steward.guardrails.Finding;
import dev.steward.guardrails.Guardrail;
import dev.steward.guardrails.GuardrailInput;
import dev.steward.guardrails.Verdict;
import java.util.List;
import java.util.Objects;

/**
 * Flags prompt injection. Default mapping from a flagged text to a verdict, by stage (tenant policy will be able
 * to override it):
 * <ul>
 *   <li>USER_INPUT: {@link Verdict.Deny} (a direct attack);</li>
 *   <li>RETRIEVED_CHUNK, TOOL_RESULT: {@link Verdict.Redact} with the text wrapped by {@link Quarantine#wrap}
 *       (indirect injection: the content may still be useful as data);</li>
 *   <li>TOOL_ARGUMENTS, ANSWER: {@link Verdict.Ask} (the model may already be following injected text, so a
 *       human looks before anything leaves).</li>
 * </ul>
 * Thread-safe.
 */
public final class PromptInjectionGuardrail implements Guardrail {
    public static final String NAME = "prompt-injection";
    private final InjectionDetector detector;

    public PromptInjectionGuardrail(InjectionDetector detector) {
        this.detector = Objects.requireNonNull(detector, "detector");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Verdict check(GuardrailInput input) {
        InjectionScore s = detector.score(input.text(), input.stage());
        if (!s.flagged()) {
            return Verdict.allow();
        }
        List<Finding> findings = List.of(Finding.of(NAME, "PROMPT_INJECTION", s.score(),
                "score " + String.format("%.3f", s.score()) + " >= " + String.format("%.3f", detector.threshold(InjectionDetector.Mode.of(input.stage())))
                        + (s.cues().isEmpty() ? "" : ", cues " + s.cues())));
        return switch (input.stage()) {
            case USER_INPUT -> new Verdict.Deny("the request looks like a prompt injection", findings);
            case RETRIEVED_CHUNK, TOOL_RESULT ->
                    new Verdict.Redact(Quarantine.wrap(input.text(), input.stage().name().toLowerCase()), findings);
            case TOOL_ARGUMENTS, ANSWER -> new Verdict.Ask("possible prompt injection at " + input.stage(), findings);
        };
    }
}
