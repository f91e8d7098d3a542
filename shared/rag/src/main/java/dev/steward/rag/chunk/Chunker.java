package dev.steward.rag.chunk;

import dev.steward.core.knowledge.DocumentId;
import dev.steward.rag.load.Metadata;
import dev.steward.rag.load.ParsedDocument;
import dev.steward.rag.load.Section;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Splits a parsed document into chunks that each fit the embedding model's window.
 *
 * <p>Structure first: a chunk holds text from one section only, except that adjacent tiny sections (a heading with
 * a line or two under it) are merged so they do not become near-empty chunks. Within a section, text is packed
 * sentence by sentence up to the budget; consecutive chunks of a section share about {@code overlapTokens} of
 * trailing sentences so a fact on a boundary is whole in at least one of them. A sentence longer than the budget is
 * split at word boundaries, a word longer than the budget into pieces. Nothing is dropped: every word of the input
 * is in some chunk. Sections with different metadata (two tickets of an export) are never merged, and every chunk
 * carries its document's metadata overlaid with its section's.
 *
 * <p>Bound: {@code tokens.count(chunk.embeddingText()) <= maxTokens} for every chunk, given an additive counter and
 * a heading line (at most 200 characters) that leaves room for an eighth of the budget.
 * Immutable and thread-safe.
 */
public final class Chunker {
    /** 320 tokens + a heading line stays well inside bge's 510-token window, and short chunks retrieve sharper. */
    public static final int DEFAULT_MAX_TOKENS = 320;
    /** About 15% of the budget. */
    public static final int DEFAULT_OVERLAP_TOKENS = 48;

    private final TokenCounter tokens;
    private final int maxTokens;
    private final int overlapTokens;
    private final int tinyTokens;

    public Chunker(TokenCounter tokens, int maxTokens, int overlapTokens) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        if (maxTokens < 16) {
            throw new IllegalArgumentException("maxTokens must be >= 16, got " + maxTokens);
        }
        if (overlapTokens < 0 || overlapTokens > maxTokens / 2) {
            throw new IllegalArgumentException("overlapTokens must be in [0, maxTokens/2], got " + overlapTokens);
        }
        this.maxTokens = maxTokens;
        this.overlapTokens = overlapTokens;
        this.tinyTokens = maxTokens / 8;
    }

    /** Default sizes with the given counter. */
    public Chunker(TokenCounter tokens) {
        this(tokens, DEFAULT_MAX_TOKENS, DEFAULT_OVERLAP_TOKENS);
    }

    public int maxTokens() {
        return maxTokens;
    }

    /** @return at least one chunk, ordinals 0..n-1 in reading order */
    public List<Chunk> chunk(DocumentId documentId, ParsedDocument document) {
        Objects.requireNonNull(documentId, "documentId");
        if (!(tokens instanceof MemoCounter)) {
            // Packing counts a sentence up to three times; a model tokenizer is the cost of chunking, so count once.
            return new Chunker(new MemoCounter(tokens), maxTokens, overlapTokens).chunk(documentId, document);
        }
        Builder out = new Builder(documentId, document.title(), document.metadata());
        TinyRun tiny = null;
        for (Section section : document.sections()) {
            // Every whitespace-separated word costs at least one token, so a section with more words than the tiny
            // budget is not tiny and needs no counting here (its sentences are counted when packed).
            int size = words(section.text()) > tinyTokens ? Integer.MAX_VALUE : tokens.count(section.text());
            if (size <= tinyTokens) {
                String block = section.heading().isEmpty() ? section.text() : section.heading() + "\n" + section.text();
                int blockSize = tokens.count(block);
                if (tiny != null
                        && tiny.metadata().equals(section.metadata())
                        && tiny.size + blockSize
                                <= budgetUnder(out.title, mergedHeading(tiny.headingsWith(section.heading())))) {
                    tiny.add(section, block, blockSize);
                    continue;
                }
                if (tiny != null) {
                    tiny.emit(out);
                }
                tiny = new TinyRun(section, block, blockSize);
                continue;
            }
            if (tiny != null) {
                tiny.emit(out);
                tiny = null;
            }
            out.section = section.metadata();
            packSection(out, section.heading(), section.text());
        }
        if (tiny != null) {
            tiny.emit(out);
        }
        return out.chunks;
    }

    private int budgetUnder(String title, String heading) {
        String header = Chunk.header(title, heading);
        int headerTokens = header.isEmpty() ? 0 : tokens.count(header);
        return Math.max(1, maxTokens - headerTokens);
    }

    private void packSection(Builder out, String heading, String text) {
        int budget = budgetUnder(out.title, heading);
        List<Unit> current = new ArrayList<>();
        int size = 0;
        for (Unit unit : units(text, budget)) {
            if (size + unit.tokens() > budget && !current.isEmpty()) {
                out.add(heading, join(current));
                current = overlapTail(current);
                size = current.stream().mapToInt(Unit::tokens).sum();
                if (size + unit.tokens() > budget) {
                    current.clear();
                    size = 0;
                }
            }
            current.add(unit);
            size += unit.tokens();
        }
        if (!current.isEmpty()) {
            out.add(heading, join(current));
        }
    }

    /** The trailing units that fit the overlap budget, as the start of the next chunk. */
    private List<Unit> overlapTail(List<Unit> units) {
        List<Unit> tail = new ArrayList<>();
        int size = 0;
        for (int i = units.size() - 1; i > 0; i--) {
            Unit unit = units.get(i);
            if (size + unit.tokens() > overlapTokens) {
                break;
            }
            tail.addFirst(unit);
            size += unit.tokens();
        }
        return tail;
    }

    /**
     * A sentence (or a piece of an over-long one) and what separated it from the text before it in the source: a
     * blank line, a line break or a space. Line breaks are kept because the author put them there: an e-mail's
     * lines, a list's items and an address each stay apart, also for the guardrails that read chunks line by line
     * (a line that starts in lower case is read as a wrapped sentence going on, see {@link #lines}).
     */
    private record Unit(String text, int tokens, String separator) {}

    private List<Unit> units(String text, int budget) {
        List<Unit> units = new ArrayList<>();
        for (String paragraph : text.split("\\n\\s*\\n")) {
            String separator = "\n\n";
            for (String line : lines(paragraph)) {
                for (String sentence : sentences(line)) {
                    // A sentence that does not fit is cut into overlap-sized pieces, so that text without sentence
                    // punctuation (lists, logs, code) still gets overlapping chunks; joining pieces restores the text.
                    int pieceBudget = tokens.count(sentence) <= budget ? budget : Math.min(budget, Math.max(16, overlapTokens));
                    for (String piece : fit(sentence, pieceBudget)) {
                        units.add(new Unit(piece, tokens.count(piece), separator));
                        separator = " ";
                    }
                }
                if (!separator.equals("\n\n")) {
                    separator = "\n";
                }
            }
        }
        return units;
    }

    /**
     * A paragraph's lines, each line that starts in lower case joined to the one before it: that is a sentence wrapped
     * at a fixed width going on ("can take up" / "to 10 business days"), not a line of its own.
     */
    private static List<String> lines(String paragraph) {
        List<String> out = new ArrayList<>();
        for (String line : paragraph.split("\n")) {
            String text = line.strip();
            if (!out.isEmpty() && !text.isEmpty() && Character.isLowerCase(text.codePointAt(0))) {
                out.set(out.size() - 1, out.getLast() + " " + text);
            } else {
                out.add(line);
            }
        }
        return out;
    }

    private static List<String> sentences(String line) {
        BreakIterator it = BreakIterator.getSentenceInstance(Locale.ROOT);
        it.setText(line);
        List<String> out = new ArrayList<>();
        for (int start = it.first(), end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
            String sentence = line.substring(start, end).replaceAll("\\s+", " ").strip();
            if (!sentence.isEmpty()) {
                out.add(sentence);
            }
        }
        return out;
    }

    /** Splits text that exceeds the budget at word boundaries, and a single over-long word in halves. */
    private List<String> fit(String text, int budget) {
        if (tokens.count(text) <= budget) {
            return List.of(text);
        }
        String[] words = text.split(" ");
        List<String> out = new ArrayList<>();
        if (words.length == 1) {
            int mid = text.length() / 2;
            if (Character.isLowSurrogate(text.charAt(mid))) {
                mid--;
            }
            if (mid <= 0) {
                return List.of(text); // one code point; no counter charges that more than any budget
            }
            out.addAll(fit(text.substring(0, mid), budget));
            out.addAll(fit(text.substring(mid), budget));
            return out;
        }
        StringBuilder piece = new StringBuilder();
        int size = 0;
        for (String word : words) {
            int wordTokens = tokens.count(word);
            if (size + wordTokens > budget && piece.length() > 0) {
                out.add(piece.toString());
                piece.setLength(0);
                size = 0;
            }
            if (wordTokens > budget) {
                out.addAll(fit(word, budget));
                continue;
            }
            if (piece.length() > 0) {
                piece.append(' ');
            }
            piece.append(word);
            size += wordTokens;
        }
        if (piece.length() > 0) {
            out.add(piece.toString());
        }
        return out;
    }

    private static String join(List<Unit> units) {
        StringBuilder text = new StringBuilder();
        for (Unit unit : units) {
            if (text.length() > 0) {
                text.append(unit.separator());
            }
            text.append(unit.text());
        }
        return text.toString();
    }

    /** Collects chunks with contiguous ordinals; {@link #section} is the metadata of the section being added. */
    private static final class Builder {
        final DocumentId documentId;
        final String title;
        final Map<String, String> document;
        final List<Chunk> chunks = new ArrayList<>();
        Map<String, String> section = Map.of();

        Builder(DocumentId documentId, String title, Map<String, String> document) {
            this.documentId = documentId;
            this.title = title;
            this.document = document;
        }

        void add(String heading, String text) {
            chunks.add(new Chunk(documentId, chunks.size(), title, heading, text, Metadata.merge(document, section)));
        }
    }

    /**
     * Adjacent tiny sections waiting to become one chunk. Once it holds more than one section, each keeps its
     * heading as a line in the text and the chunk's section names them all.
     */
    private static final class TinyRun {
        private final List<Section> sections = new ArrayList<>();
        private final List<String> blocks = new ArrayList<>();
        private int size;

        TinyRun(Section section, String block, int blockSize) {
            add(section, block, blockSize);
        }

        void add(Section section, String block, int blockSize) {
            sections.add(section);
            blocks.add(block);
            size += blockSize;
        }

        Map<String, String> metadata() {
            return sections.getFirst().metadata();
        }

        List<String> headingsWith(String heading) {
            List<String> headings = new ArrayList<>(sections.stream().map(Section::heading).toList());
            headings.add(heading);
            return headings;
        }

        void emit(Builder out) {
            out.section = metadata();
            if (sections.size() == 1) {
                out.add(sections.getFirst().heading(), sections.getFirst().text());
                return;
            }
            out.add(mergedHeading(sections.stream().map(Section::heading).toList()), String.join("\n\n", blocks));
        }
    }

    private static int words(String text) {
        int words = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            boolean space = Character.isWhitespace(text.charAt(i));
            if (!space && !inWord) {
                words++;
            }
            inWord = !space;
        }
        return words;
    }

    /** Remembers the counts of one {@link #chunk} call; not thread-safe, so one per call. */
    private static final class MemoCounter implements TokenCounter {
        private final TokenCounter counter;
        private final Map<String, Integer> counts = new HashMap<>();

        MemoCounter(TokenCounter counter) {
            this.counter = counter;
        }

        @Override
        public int count(String text) {
            Integer known = counts.get(text);
            if (known == null) {
                known = counter.count(text);
                counts.put(text, known);
            }
            return known;
        }
    }

    private static String mergedHeading(List<String> headings) {
        return String.join(" / ", headings.stream().filter(h -> !h.isEmpty()).distinct().toList());
    }
}
