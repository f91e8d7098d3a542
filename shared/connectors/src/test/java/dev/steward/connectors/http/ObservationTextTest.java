package dev.steward.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Cutting vendor text for an observation. */
class ObservationTextTest {
    @Test
    void cuttingNeverSplitsASurrogatePair() {
        String emoji = "\uD83D\uDE00";
        String cut = ObservationText.cut("a" + emoji.repeat(10), 4);
        assertThat(cut).startsWith("a" + emoji + " [").endsWith("21 characters in all]");
        assertThat(ObservationText.cut("short", 5)).isEqualTo("short");
        assertThat(ObservationText.cut("abcdef", 5)).isEqualTo("abcde [... cut, 6 characters in all]");
    }
}
