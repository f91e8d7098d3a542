package dev.steward.guardrails.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NameLexiconTest {
    private static final NameLexicon NAMES = NameLexicon.load(NameLexiconTest.class::getResourceAsStream);

    @Test
    void readsOwnListAndTheLocaleListsFolded() {
        assertThat(NAMES.isFirstName("bjorn")).isTrue();
        assertThat(NAMES.isFirstName("malgorzata")).isTrue();
        assertThat(NAMES.isLastName("kowalski")).isTrue();
        assertThat(NAMES.isLastName("schmidt")).isTrue();
        assertThat(NAMES.isLastName("Schmidt")).as("keys are folded by the caller").isFalse();
    }

    @Test
    void countriesAreNotNamesAndShortEntriesAreLeftOut() {
        assertThat(NAMES.isFirstName("france")).isFalse();
        assertThat(NAMES.isLastName("norway")).isFalse();
        assertThat(NAMES.isLastName("li")).isFalse();
    }

    @Test
    void ownListIsRequired() {
        assertThatThrownBy(() -> NameLexicon.load(name -> null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("first-names.txt");
    }
}
