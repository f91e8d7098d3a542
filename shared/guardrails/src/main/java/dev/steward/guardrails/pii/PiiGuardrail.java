package dev.steward.guardrails.pii;

import dev.steward.guardrails.Finding;
import dev.steward.guardrails.Guardrail;
import dev.steward.guardrails.GuardrailInput;
import dev.steward.guardrails.Span;
import dev.steward.guardrails.Verdict;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Redacts personal data at every stage, into the run's {@link PiiVault}. One instance per run (it holds the
 * run's vault); checking an input of another tenant or run is a bug and throws. Verdicts: {@link Verdict.Allow}
 * when nothing is found, else {@link Verdict.Redact} with one finding per type (count and spans, never the
 * values).
 */
public final class PiiGuardrail implements Guardrail {
    public static final String NAME = "pii";
    private final PiiRedactor redactor;
    private final PiiVault vault;

    public PiiGuardrail(PiiRedactor redactor, PiiVault vault) {
        this.redactor = Objects.requireNonNull(redactor, "redactor");
        this.vault = Objects.requireNonNull(vault, "vault");
    }

    @Override
    public String name() {
        return NAME;
    }

    public PiiVault vault() {
        return vault;
    }

    @Override
    public Verdict check(GuardrailInput input) {
        if (!input.tenant().equals(vault.tenant()) || !input.run().equals(vault.run())) {
            throw new IllegalArgumentException("input of " + input.tenant() + "/" + input.run()
                    + " given to the PII guardrail of " + vault.tenant() + "/" + vault.run());
        }
        Redaction r = redactor.redact(input.text(), vault);
        if (!r.changed()) {
            return Verdict.allow();
        }
        Map<PiiType, List<Span>> byType = new EnumMap<>(PiiType.class);
        for (PiiEntity e : r.entities()) {
            byType.computeIfAbsent(e.type(), t -> new ArrayList<>()).add(e.span());
        }
        List<Finding> findings = new ArrayList<>();
        byType.forEach((type, spans) -> findings.add(new Finding(NAME, type.name(), 1.0, spans,
                spans.size() + " " + type.label() + " redacted at " + input.stage())));
        return new Verdict.Redact(r.text(), findings);
    }
}
