package dev.steward.guardrails;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class VerdictTest {
    private static final Finding FINDING = Finding.of("test", "X", 0.5, "why");

    @Test
    void nonAllowVerdictsNeedAFinding() {
        assertThatThrownBy(() -> new Verdict.Deny("no", List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Verdict.Redact("t", List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThat(Verdict.allow().findings()).isEmpty();
    }

    @Test
    void severityOrdersTheCases() {
        List<Verdict> verdicts = List.of(new Verdict.Deny("d", List.of(FINDING)), Verdict.allow(),
                new Verdict.Ask("a", List.of(FINDING)), new Verdict.Redact("r", List.of(FINDING)));
        assertThat(verdicts.stream().sorted((a, b) -> Integer.compare(a.severity(), b.severity()))
                .map(v -> v.getClass().getSimpleName())).containsExactly("Allow", "Redact", "Ask", "Deny");
    }

    @Test
    void findingScoreMustBeAProbability() {
        assertThatThrownBy(() -> Finding.of("d", "c", 1.5, "")).isInstanceOf(IllegalArgumentException.class);
    }
}
