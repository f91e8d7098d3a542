package dev.steward.guardrails.toxicity;

import dev.steward.guardrails.Finding;
import dev.steward.guardrails.Guardrail;
import dev.steward.guardrails.GuardrailInput;
import dev.steward.guardrails.Verdict;
import java.util.List;
import java.util.Objects;

/**
 * Flags toxic text. Default mapping by stage (tenant policy will be able to override it): a toxic ANSWER is
 * {@link Verdict.Deny}ed (never delivered); toxic USER_INPUT or TOOL_ARGUMENTS go to a human
 * ({@link Verdict.Ask}); RETRIEVED_CHUNK and TOOL_RESULT are allowed, because a complaint email or a moderation
 * queue legitimately contains abuse and the model may need to read it. Thread-safe.
 */
public final class ToxicityGuardrail implements Guardrail {
    public static final String NAME = "toxicity";
    private final ToxicityClassifier classifier;

    public ToxicityGuardrail(ToxicityClassifier classifier) {
        this.classifier = Objects.requireNonNull(classifier, "classifier");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Verdict check(GuardrailInput input) {
        ToxicityScore s = classifier.score(input.text());
        if (!s.flagged()) {
            return Verdict.allow();
        }
        List<Finding> findings = List.of(Finding.of(NAME, "TOXICITY", s.score(),
                "score " + String.format("%.3f", s.score()) + ", lexicon hits " + s.lexiconHits()));
        return switch (input.stage()) {
            case ANSWER -> new Verdict.Deny("the answer contains toxic language", findings);
            case USER_INPUT, TOOL_ARGUMENTS -> new Verdict.Ask("toxic language at " + input.stage(), findings);
            case RETRIEVED_CHUNK, TOOL_RESULT -> Verdict.allow();
        };
    }
}
