package dev.steward.guardrails.injection;

import dev.steward.guardrails.Finding;
import dev.steward.guardrails.Guardrail;
import dev.steward.guardrails.GuardrailInput;
import dev.steward.guardrails.Span;
import dev.steward.guardrails.Stage;
import dev.steward.guardrails.Verdict;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

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
 * With a {@link TaskDrift}, data (chunks and tool results) the detector lets through is also searched for an
 * off-task request, which is quarantined the same way. A tool result is read as the prose of its JSON values
 * ({@link JsonText}), so that a request opening a ticket's line is seen as one. Thread-safe.
 */
public final class PromptInjectionGuardrail implements Guardrail {
    public static final String NAME = "prompt-injection";
    private final InjectionDetector detector;
    private final Optional<TaskDrift> drift;

    public PromptInjectionGuardrail(InjectionDetector detector) {
        this(detector, Optional.empty());
    }

    public PromptInjectionGuardrail(InjectionDetector detector, Optional<TaskDrift> drift) {
        this.detector = Objects.requireNonNull(detector, "detector");
        this.drift = Objects.requireNonNull(drift, "drift");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Verdict check(GuardrailInput input) {
        // A tool result's prose is read out of its JSON; a span then points into that reading, so none is given.
        String text = input.stage() == Stage.TOOL_RESULT ? JsonText.reading(input.text()) : input.text();
        InjectionScore s = detector.score(text, input.stage());
        if (s.flagged()) {
            return verdict(input, Finding.of(NAME, "PROMPT_INJECTION", s.score(), "score " + format(s.score()) + " >= "
                    + format(detector.threshold(InjectionDetector.Mode.of(input.stage())))
                    + (s.cues().isEmpty() ? "" : ", cues " + s.cues())));
        }
        if (drift.isPresent() && input.stage().isUntrustedData()) {
            Optional<TaskDrift.OffTask> offTask = drift.get().find(text);
            if (offTask.isPresent()) {
                TaskDrift.OffTask o = offTask.get();
                List<Span> where = text.equals(input.text()) ? List.of(o.span()) : List.of();
                return verdict(input, new Finding(NAME, "PROMPT_INJECTION", 1 - Math.max(0, o.similarity()), where,
                        "off-task request: " + drift.get().explain(o)));
            }
        }
        return Verdict.allow();
    }

    private static Verdict verdict(GuardrailInput input, Finding finding) {
        List<Finding> findings = List.of(finding);
        return switch (input.stage()) {
            case USER_INPUT -> new Verdict.Deny("the request looks like a prompt injection", findings);
            case RETRIEVED_CHUNK, TOOL_RESULT ->
                    new Verdict.Redact(Quarantine.wrap(input.text(), input.stage().name().toLowerCase(Locale.ROOT)), findings);
            case TOOL_ARGUMENTS, ANSWER -> new Verdict.Ask("possible prompt injection at " + input.stage(), findings);
        };
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
