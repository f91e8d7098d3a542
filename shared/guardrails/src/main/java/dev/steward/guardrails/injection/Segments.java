package dev.steward.guardrails.injection;

import dev.steward.guardrails.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a text into sentences or lines, so that one injected sentence inside a long email or document is scored
 * on its own rather than diluted by the benign text around it. Very short pieces are joined to the next one.
 */
final class Segments {
    private static final Pattern SENTENCE = Pattern.compile("[^.!?\\n]+(?:[.!?]+|\\n+|$)");
    private static final int MAX_SEGMENTS = 200;

    private Segments() {}

    /** A sentence or line of a text, stripped, and where it stands in the text. */
    record Sentence(Span span, String text) {}

    /**
     * The text's sentences and lines as they are (at least three characters, the first {@value #MAX_SEGMENTS}), with
     * where each stands: the pieces {@link #of} joins, for a reader that must say where it found something.
     */
    static List<Sentence> sentences(String text) {
        List<Sentence> out = new ArrayList<>();
        Matcher m = SENTENCE.matcher(text);
        while (m.find() && out.size() < MAX_SEGMENTS) {
            String raw = m.group();
            String s = raw.strip();
            if (s.length() >= 3) {
                int start = m.start() + raw.indexOf(s.charAt(0));
                out.add(new Sentence(new Span(start, start + s.length()), s));
            }
        }
        return out;
    }

    static List<String> of(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String sentence : sentences(text).stream().map(Sentence::text).toList()) {
            if (!pending.isEmpty()) {
                pending.append(' ');
            }
            pending.append(sentence);
            if (pending.length() >= 20) {
                out.add(pending.toString());
                pending.setLength(0);
            }
        }
        if (!pending.isEmpty()) {
            out.add(pending.toString());
        }
        return out;
    }
}
