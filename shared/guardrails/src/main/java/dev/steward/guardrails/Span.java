package dev.steward.guardrails;

/**
 * A half-open character range {@code [start, end)} in a Java {@code String} (UTF-16 indices).
 */
public record Span(int start, int end) implements Comparable<Span> {
    public Span {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("invalid span [" + start + ", " + end + ")");
        }
    }

    public int length() {
        return end - start;
    }

    /** True when the two ranges share at least one character. */
    public boolean overlaps(Span other) {
        return start < other.end && other.start < end;
    }

    public boolean contains(Span other) {
        return start <= other.start && other.end <= end;
    }

    @Override
    public int compareTo(Span o) {
        return start != o.start ? Integer.compare(start, o.start) : Integer.compare(o.end, end);
    }
}
