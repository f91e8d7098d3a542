package dev.steward.guardrails.injection;

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

    static List<String> of(String text) {
        List<String> sentences = new ArrayList<>();
        Matcher m = SENTENCE.matcher(text);
        while (m.find() && sentences.size() < MAX_SEGMENTS) {
            String s = m.group().strip();
            if (s.length() >= 3) {
                sentences.add(s);
            }
        }
        List<String> out = new ArrayList<>(sentences.size());
        StringBuilder pending = new StringBuilder();
        for (String sentence : sentences) {
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
