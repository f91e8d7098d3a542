package dev.steward.guardrails.aws;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a text into pieces no larger than a service's UTF-8 byte limit, at the latest paragraph break, line break,
 * sentence end or space in the second half of each piece (so an entity is rarely cut in two), and never inside a
 * surrogate pair. The pieces, in order, concatenate to the text.
 */
final class TextChunks {

    /** One piece and where it starts in the original text (UTF-16 index). */
    record Chunk(int start, String text) {}

    private static final String[] BOUNDARIES = {"\n\n", "\n", ". ", " "};

    private TextChunks() {}

    static List<Chunk> split(String text, int maxBytes) {
        if (maxBytes < 4) {
            throw new IllegalArgumentException("maxBytes must hold one code point: " + maxBytes);
        }
        List<Chunk> chunks = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = fittingEnd(text, start, maxBytes);
            if (end < text.length()) {
                end = boundaryBefore(text, start, end);
            }
            chunks.add(new Chunk(start, text.substring(start, end)));
            start = end;
        }
        return chunks;
    }

    /** The largest end such that {@code text[start, end)} fits in {@code maxBytes} of UTF-8. */
    private static int fittingEnd(String text, int start, int maxBytes) {
        int bytes = 0;
        int i = start;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            i += Character.charCount(cp);
        }
        return i;
    }

    private static int boundaryBefore(String text, int start, int end) {
        int earliest = start + (end - start) / 2;
        for (String boundary : BOUNDARIES) {
            int at = text.lastIndexOf(boundary, end - boundary.length());
            if (at >= earliest) {
                return at + boundary.length();
            }
        }
        return end;
    }
}
