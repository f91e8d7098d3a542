package dev.steward.guardrails.pii;

/**
 * {@link GatedPattern.StartTest}s shared by the recognizers. Each reads the character before as one UTF-16
 * unit, as the regex engine's one-character look-behind reads it (after a supplementary letter it sees a lone
 * surrogate, which is no letter), so each is necessary for the look-behind it stands for.
 */
final class WordStarts {
    private WordStarts() {}

    /**
     * A letter or digit at {@code i} and no letter or digit before it: necessary for a pattern opening with
     * {@code (?<![\p{L}\p{N}])} and then a letter or a digit.
     */
    static boolean alphanumericStart(String text, int i) {
        return Character.isLetterOrDigit(text.codePointAt(i)) && (i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1)));
    }

    /**
     * A letter at {@code i} and no letter before it: necessary for a pattern opening with {@code (?<![\p{L}])} and
     * then a letter.
     */
    static boolean letterStart(String text, int i) {
        return Character.isLetter(text.codePointAt(i)) && (i == 0 || !Character.isLetter(text.charAt(i - 1)));
    }

    /** An ASCII digit at {@code i}, and the character before (if any) is none of {@code notBefore}. */
    static boolean digitAfterNone(String text, int i, String notBefore) {
        char c = text.charAt(i);
        return c >= '0' && c <= '9' && (i == 0 || notBefore.indexOf(text.charAt(i - 1)) < 0);
    }

    /** Whether {@code c} is a regex {@code \w} character ({@code [a-zA-Z_0-9]}). */
    static boolean word(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '_');
    }
}
