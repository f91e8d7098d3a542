package dev.steward.connectors.http;

/**
 * Vendor text as a read tool hands it to the model: a read's observation goes into the model's context, so a long
 * text is cut, and the cut says so, so the model knows it saw only the start.
 */
public final class ObservationText {
    private ObservationText() {}

    /** {@code text}, or its first {@code max} characters (never half a surrogate pair) and a note of its length. */
    public static String cut(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end) + " [... cut, " + text.length() + " characters in all]";
    }
}
