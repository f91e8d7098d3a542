package dev.steward.connectors.google;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Free time from busy times: the busy intervals of every calendar are clipped to the window, sorted and merged
 * (overlapping or touching ones become one), and the gaps between them that last at least the requested length are the
 * free periods, in order. Google's freeBusy gives busy intervals only, so this is Steward's own arithmetic.
 */
final class FreeSlots {
    private FreeSlots() {}

    /** A half-open interval {@code [start, end)}. */
    record Interval(Instant start, Instant end) {
        Interval {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
        }

        Duration length() {
            return Duration.between(start, end);
        }
    }

    /** {@code busy} clipped to {@code [from, to)}, sorted, overlapping and touching intervals merged; empty ones dropped. */
    static List<Interval> merged(Instant from, Instant to, List<Interval> busy) {
        List<Interval> clipped = new ArrayList<>();
        for (Interval b : busy) {
            Instant start = b.start().isBefore(from) ? from : b.start();
            Instant end = b.end().isAfter(to) ? to : b.end();
            if (start.isBefore(end)) {
                clipped.add(new Interval(start, end));
            }
        }
        clipped.sort(Comparator.comparing(Interval::start));
        List<Interval> merged = new ArrayList<>();
        for (Interval b : clipped) {
            Interval last = merged.isEmpty() ? null : merged.getLast();
            if (last != null && !b.start().isAfter(last.end())) {
                merged.set(merged.size() - 1, new Interval(last.start(), b.end().isAfter(last.end()) ? b.end() : last.end()));
            } else {
                merged.add(b);
            }
        }
        return merged;
    }

    /**
     * The periods of {@code [from, to)} outside every busy interval that last at least {@code length}, in order, at most
     * {@code max} of them.
     */
    static List<Interval> free(Instant from, Instant to, List<Interval> busy, Duration length, int max) {
        List<Interval> free = new ArrayList<>();
        Instant cursor = from;
        List<Interval> blocks = new ArrayList<>(merged(from, to, busy));
        blocks.add(new Interval(to, to));
        for (Interval b : blocks) {
            if (free.size() == max) {
                break;
            }
            Interval gap = new Interval(cursor, b.start());
            if (gap.length().compareTo(length) >= 0 && !gap.length().isZero()) {
                free.add(gap);
            }
            if (b.end().isAfter(cursor)) {
                cursor = b.end();
            }
        }
        return free;
    }
}
