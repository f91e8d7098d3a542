package dev.steward.guardrails.pii;

import dev.steward.guardrails.Span;
import java.util.Objects;

/** One piece of personal data found in a text: its type, where it is, the matched text and a confidence. */
public record PiiEntity(PiiType type, Span span, String value, double score) {
    public PiiEntity {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(span, "span");
        Objects.requireNonNull(value, "value");
        if (value.length() != span.length()) {
            throw new IllegalArgumentException("value length does not match span " + span);
        }
    }

    static PiiEntity of(PiiType type, String text, int start, int end, double score) {
        return new PiiEntity(type, new Span(start, end), text.substring(start, end), score);
    }

    public int start() {
        return span.start();
    }

    public int end() {
        return span.end();
    }
}
