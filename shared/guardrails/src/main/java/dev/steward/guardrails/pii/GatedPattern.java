package dev.steward.guardrails.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A regex with a cheap test that holds at every offset where the regex can start a match. {@link #find} reports
 * the matches {@link Matcher#find()} reports, but runs the regex only where the test holds (and, like
 * {@code find()}, nowhere inside an earlier match). {@code find()} tries every character; for the candidate
 * patterns of PII scanning, which open with a look-behind and an alternation or a long quantifier, that was most
 * of the time spent. The pattern keeps its own look-behind, so the test only has to be necessary, not exact.
 * Immutable, thread-safe.
 */
record GatedPattern(Pattern pattern, StartTest start) {

    /** Whether a match may start at offset {@code i} of {@code text} (0 <= i < length). */
    @FunctionalInterface
    interface StartTest {
        boolean at(String text, int i);
    }

    /** The matches in text order, as {@code find()} would report them. */
    List<MatchResult> find(String text) {
        List<MatchResult> out = new ArrayList<>();
        Matcher m = pattern.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
        int from = 0;
        for (int i = 0; i < text.length(); i++) {
            if (i >= from && start.at(text, i) && m.region(i, text.length()).lookingAt()) {
                out.add(m.toMatchResult());
                from = Math.max(m.end(), i + 1);
            }
        }
        return out;
    }
}
