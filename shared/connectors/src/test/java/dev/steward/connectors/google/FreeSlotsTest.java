package dev.steward.connectors.google;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.connectors.google.FreeSlots.Interval;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Free periods from busy times: clipping, merging, the minimum length and the cap. */
class FreeSlotsTest {
    static final Instant NINE = Instant.parse("2026-05-04T09:00:00Z");
    static final Instant FIVE = Instant.parse("2026-05-04T17:00:00Z");
    static final Duration HALF_HOUR = Duration.ofMinutes(30);

    static Interval at(String start, String end) {
        return new Interval(Instant.parse("2026-05-04T" + start + ":00Z"), Instant.parse("2026-05-04T" + end + ":00Z"));
    }

    @Test
    void noBusyTimeIsOneFreePeriodOverTheWindow() {
        assertThat(FreeSlots.free(NINE, FIVE, List.of(), HALF_HOUR, 50)).containsExactly(new Interval(NINE, FIVE));
    }

    @Test
    void overlappingTouchingAndUnsortedBusyTimesAreMergedBeforeGapsAreFound() {
        List<Interval> busy = List.of(at("13:00", "14:00"), at("10:00", "11:00"), at("10:30", "11:30"), at("11:30", "12:00"),
                at("13:30", "13:45"));
        assertThat(FreeSlots.merged(NINE, FIVE, busy)).containsExactly(at("10:00", "12:00"), at("13:00", "14:00"));
        assertThat(FreeSlots.free(NINE, FIVE, busy, HALF_HOUR, 50))
                .containsExactly(at("09:00", "10:00"), at("12:00", "13:00"), at("14:00", "17:00"));
    }

    @Test
    void busyTimesAreClippedToTheWindowAndThoseOutsideItIgnored() {
        List<Interval> busy = List.of(at("07:00", "09:30"), at("16:30", "19:00"), at("05:00", "06:00"), at("18:00", "20:00"));
        assertThat(FreeSlots.merged(NINE, FIVE, busy)).containsExactly(at("09:00", "09:30"), at("16:30", "17:00"));
        assertThat(FreeSlots.free(NINE, FIVE, busy, HALF_HOUR, 50)).containsExactly(at("09:30", "16:30"));
    }

    @Test
    void aGapExactlyAsLongAsTheMeetingCountsAndAShorterOneDoesNot() {
        List<Interval> busy = List.of(at("09:00", "10:00"), at("10:30", "11:00"), at("11:29", "17:00"));
        assertThat(FreeSlots.free(NINE, FIVE, busy, HALF_HOUR, 50)).containsExactly(at("10:00", "10:30"));
        assertThat(FreeSlots.free(NINE, FIVE, busy, Duration.ofMinutes(31), 50)).isEmpty();
    }

    @Test
    void aWindowBusyThroughoutHasNoFreeTimeAndEmptyOrInvertedBusyTimesChangeNothing() {
        assertThat(FreeSlots.free(NINE, FIVE, List.of(at("08:00", "18:00")), HALF_HOUR, 50)).isEmpty();
        assertThat(FreeSlots.free(NINE, FIVE, List.of(at("12:00", "12:00"), at("14:00", "13:00")), HALF_HOUR, 50))
                .containsExactly(new Interval(NINE, FIVE));
    }

    @Test
    void atMostMaxPeriodsComeBackEarliestFirst() {
        List<Interval> busy = List.of(at("10:00", "10:30"), at("11:00", "11:30"), at("12:00", "12:30"));
        assertThat(FreeSlots.free(NINE, FIVE, busy, HALF_HOUR, 2)).containsExactly(at("09:00", "10:00"), at("10:30", "11:00"));
    }
}
