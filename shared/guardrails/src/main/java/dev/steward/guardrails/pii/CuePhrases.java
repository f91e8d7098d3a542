package dev.steward.guardrails.pii;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cue phrases before a name or an address ("my name is", "Dr.", "ship to"), matched as {@code find()} matches
 * {@code (?i)(?<![\p{L}])(?:phrase|phrase|...)TAIL}, but cheaper: only at {@linkplain WordStarts#letterStart
 * word starts}, and only with the phrases that begin with that word's first letter (a phrase beginning with
 * another letter cannot match there, so the result is the same). The regex engine otherwise tries all ~90
 * alternatives at every character. Phrases are regex fragments that begin with an ASCII letter; matching is
 * ASCII case-insensitive, as {@code (?i)} is. Immutable, thread-safe.
 */
final class CuePhrases {
    private final Pattern[] byFirstLetter = new Pattern[26];

    /** {@code tail} follows every phrase, e.g. {@code "[,:]? *(?=\\p{L})"}. */
    CuePhrases(String tail, String... phrases) {
        List<List<String>> groups = new ArrayList<>();
        for (int k = 0; k < 26; k++) {
            groups.add(new ArrayList<>());
        }
        for (String phrase : phrases) {
            char first = Character.toLowerCase(phrase.charAt(0));
            if (first < 'a' || first > 'z') {
                throw new IllegalArgumentException("a cue phrase must begin with an ASCII letter: " + phrase);
            }
            groups.get(first - 'a').add(phrase); // in the given order: the first phrase that matches wins
        }
        for (int k = 0; k < 26; k++) {
            if (!groups.get(k).isEmpty()) {
                byFirstLetter[k] = Pattern.compile("(?i)(?<![\\p{L}])(?:" + String.join("|", groups.get(k)) + ")" + tail);
            }
        }
    }

    /** The offsets where matches end, each match starting at or after the end of the one before. */
    BitSet ends(String text) {
        BitSet out = new BitSet(text.length() + 1);
        Matcher[] matchers = new Matcher[26];
        int from = 0;
        for (int i = 0; i < text.length(); i++) {
            if (i < from || !WordStarts.letterStart(text, i)) {
                continue;
            }
            char first = text.charAt(i);
            int k = first < 128 ? Character.toLowerCase(first) - 'a' : -1;
            if (k < 0 || k >= 26 || byFirstLetter[k] == null) {
                continue;
            }
            if (matchers[k] == null) {
                matchers[k] = byFirstLetter[k].matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
            }
            Matcher m = matchers[k].region(i, text.length());
            if (m.lookingAt()) {
                out.set(m.end());
                from = m.end();
            }
        }
        return out;
    }

}
