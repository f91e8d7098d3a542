package dev.steward.llm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.core.json.Json;
import dev.steward.core.knowledge.RetrievedChunk;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Answers without any language model: picks the retrieved sentences that share the most terms with the question
 * and quotes them verbatim, each cited to its chunk. Every answer says {@code "model": "offline-extractive"} so
 * nobody mistakes it for generated text. Abstains when nothing retrieved shares a term with the question.
 */
public final class OfflineExtractiveResponder {
    public static final String MODEL = "offline-extractive";
    public static final String NOT_FOUND = "Not found in the knowledge base.";

    private static final Set<String> STOPWORDS = Set.of(
            "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "how", "i", "in",
            "is", "it", "its", "me", "my", "of", "on", "or", "our", "so", "that", "the", "their", "there", "this",
            "to", "was", "we", "what", "when", "where", "which", "who", "why", "will", "with", "you", "your");

    private final int maxSentences;

    public OfflineExtractiveResponder(int maxSentences) {
        if (maxSentences < 1) {
            throw new IllegalArgumentException("maxSentences must be >= 1");
        }
        this.maxSentences = maxSentences;
    }

    private record Candidate(RetrievedChunk chunk, String sentence, double score, int rank, int position) {}

    /** The answer object: {@code {answer, citations:[{documentId, chunkId, quote}], model}}. */
    public ObjectNode respond(String question, List<RetrievedChunk> sources) {
        return respond(question, sources, (chunk, sentence) -> true);
    }

    /**
     * As {@link #respond(String, List)}, quoting only sentences that {@code quotable} accepts for their chunk (the
     * caller keeps, e.g., instructions planted in quarantined data out of the answer).
     */
    public ObjectNode respond(String question, List<RetrievedChunk> sources, BiPredicate<RetrievedChunk, String> quotable) {
        Set<String> terms = terms(question);
        List<Candidate> candidates = new ArrayList<>();
        for (int rank = 0; rank < sources.size(); rank++) {
            RetrievedChunk chunk = sources.get(rank);
            int position = 0;
            for (String sentence : sentences(chunk.text())) {
                Set<String> words = terms(sentence);
                long shared = terms.stream().filter(words::contains).count();
                if (shared > 0 && sentence.length() >= 20 && quotable.test(chunk, sentence)) {
                    // Coverage of the question dominates; retrieval rank breaks near-ties.
                    double score = shared / (double) terms.size() + 0.05 / (rank + 1);
                    candidates.add(new Candidate(chunk, sentence, score, rank, position));
                }
                position++;
            }
        }
        candidates.sort(Comparator.comparingDouble(Candidate::score).reversed());
        List<Candidate> chosen = candidates.stream().limit(maxSentences)
                .sorted(Comparator.comparingInt(Candidate::rank).thenComparingInt(Candidate::position))
                .toList();

        ObjectNode answer = Json.object();
        ArrayNode citations = answer.putArray("citations");
        if (chosen.isEmpty()) {
            answer.put("answer", NOT_FOUND);
        } else {
            StringBuilder text = new StringBuilder();
            for (Candidate c : chosen) {
                if (!text.isEmpty()) {
                    text.append(' ');
                }
                text.append(c.sentence()).append(" [").append(citations.size() + 1).append(']');
                citations.addObject()
                        .put("documentId", c.chunk().documentId())
                        .put("chunkId", c.chunk().chunkId())
                        .put("quote", c.sentence());
            }
            answer.put("answer", text.toString());
        }
        answer.put("model", MODEL);
        return answer;
    }

    /**
     * Sentences of a chunk, each a verbatim substring of it. Paragraphs (split at blank lines) are split into
     * sentences; a heading line (short, no closing punctuation, opening a paragraph) is dropped rather than glued
     * to the sentence after it. Hard-wrapped lines inside a paragraph stay one sentence.
     */
    static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        BreakIterator it = BreakIterator.getSentenceInstance(Locale.ENGLISH);
        for (String paragraph : paragraphs(text)) {
            it.setText(paragraph);
            for (int start = it.first(), end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
                String s = paragraph.substring(start, end).strip();
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    private static List<String> paragraphs(String text) {
        List<String> out = new ArrayList<>();
        String[] lines = text.split("\\n", -1);
        StringBuilder current = new StringBuilder();
        boolean opening = true;
        for (String line : lines) {
            if (line.isBlank()) {
                flush(current, out);
                opening = true;
                continue;
            }
            if (opening && isHeading(line)) {
                continue; // the paragraph's heading: not an answer sentence
            }
            if (!current.isEmpty()) {
                current.append('\n');
            }
            current.append(line);
            opening = false;
        }
        flush(current, out);
        return out;
    }

    private static boolean isHeading(String line) {
        String t = line.strip();
        return !t.isEmpty() && t.split("\\s+").length <= 10 && ".?!:;,".indexOf(t.charAt(t.length() - 1)) < 0;
    }

    private static void flush(StringBuilder current, List<String> out) {
        if (!current.isEmpty()) {
            out.add(current.toString());
            current.setLength(0);
        }
    }

    static Set<String> terms(String text) {
        Set<String> out = new HashSet<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (w.length() > 1 && !STOPWORDS.contains(w)) {
                out.add(stem(w));
            }
        }
        return out;
    }

    /** A light suffix strip so "refunds" meets "refund"; matching only, never shown. */
    private static String stem(String w) {
        if (w.length() > 5 && w.endsWith("ing")) {
            return w.substring(0, w.length() - 3);
        }
        if (w.length() > 4 && w.endsWith("es")) {
            return w.substring(0, w.length() - 2);
        }
        if (w.length() > 3 && w.endsWith("s")) {
            return w.substring(0, w.length() - 1);
        }
        return w;
    }
}
