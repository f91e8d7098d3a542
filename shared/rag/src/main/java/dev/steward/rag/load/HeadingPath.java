package dev.steward.rag.load;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The chain of open headings at a point in a document ("Install > Linux"), so a chunk from a deep section still
 * says where it sits. Not thread-safe; one per parse.
 */
final class HeadingPath {
    private record Open(int level, String text) {}

    private final Deque<Open> open = new ArrayDeque<>();
    private final String title;

    /** @param title the document title; a heading equal to it is not repeated in the path */
    HeadingPath(String title) {
        this.title = title;
    }

    /** Enters a heading of the given level (1-6), closing any open heading of the same or deeper level. */
    void enter(int level, String text) {
        while (!open.isEmpty() && open.peekLast().level() >= level) {
            open.removeLast();
        }
        open.addLast(new Open(level, text.strip()));
    }

    String current() {
        return open.stream()
                .map(Open::text)
                .filter(t -> !t.isEmpty() && !Objects.equals(t, title))
                .collect(Collectors.joining(" > "));
    }
}
