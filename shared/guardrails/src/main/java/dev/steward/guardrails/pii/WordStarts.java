package dev.steward.guardrails.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Regex search that tries a pattern only where a word starts. {@link Matcher#find()} tries every character of a
 * text; for a pattern that opens with a look-behind and a long alternation (street types, cue phrases) that was
 * most of the time PII scanning spent. When a pattern can only match where a word starts, trying just those
 * positions (and, like {@code find()}, none inside an earlier match) gives the same matches. The pattern keeps
 * its own look-behind, so the start test here only has to be necessary, not exact. The character before is read
 * as one UTF-16 unit, as the regex engine's one-character look-behind reads it (after a supplementary letter it
 * sees a lone surrogate, which is no letter).
 */
final class WordStarts {
    private WordStarts() {}

    /**
     * Whether a letter or digit is at {@code i} and no letter or digit is before it: necessary for a pattern
     * opening with {@code (?<![\p{L}\p{N}])} and then a letter or a digit.
     */
    static boolean alphanumericStart(String text, int i) {
        return Character.isLetterOrDigit(text.codePointAt(i)) && (i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1)));
    }

    /**
     * Whether a letter is at {@code i} and no letter is before it: necessary for a pattern opening with
     * {@code (?<![\p{L}])} and then a letter.
     */
    static boolean letterStart(String text, int i) {
        return Character.isLetter(text.codePointAt(i)) && (i == 0 || !Character.isLetter(text.charAt(i - 1)));
    }

    /**
     * The {start, end} of each match {@code find()} would report, for a pattern that matches only at an
     * {@link #alphanumericStart}.
     */
    static List<int[]> find(Pattern pattern, String text) {
        List<int[]> out = new ArrayList<>();
        Matcher m = matcher(pattern, text);
        int from = 0;
        for (int i = 0; i < text.length(); i++) {
            if (i >= from && alphanumericStart(text, i) && m.region(i, text.length()).lookingAt()) {
                out.add(new int[] {m.start(), m.end()});
                from = m.end();
            }
        }
        return out;
    }

    /** A matcher whose look-arounds see the whole text and whose {@code ^}/{@code $} are the text's, whatever its region. */
    static Matcher matcher(Pattern pattern, String text) {
        return pattern.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
    }
}
