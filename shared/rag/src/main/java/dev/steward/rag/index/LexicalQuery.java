package dev.steward.rag.index;

import dev.steward.rag.retrieve.RetrievalStrategy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * A BM25 query, already analysed, that every backend runs the same way: a chunk's score is the sum over
 * {@link #terms()} of {@code BM25(text, t) + SECTION_BOOST * BM25(section, t) + TITLE_BOOST * BM25(title, t)}, and a
 * chunk is a hit when it contains at least {@link #minimumShouldMatch()} of the terms in any of the three fields
 * (at least one when that is 0).
 *
 * @param terms distinct analysed terms, in query order; never empty
 * @param minimumShouldMatch 0 for plain OR
 */
public record LexicalQuery(List<String> terms, int minimumShouldMatch) {
    public static final float SECTION_BOOST = 0.5f;
    public static final float TITLE_BOOST = 0.5f;
    /** Keeps the query under Lucene's 1024-clause limit when someone pastes a page as a question. */
    static final int MAX_QUERY_WORDS = 200;
    private static final Analyzer ANALYZER = EnglishAnalysis.analyzer();

    public LexicalQuery {
        terms = List.copyOf(terms);
        if (terms.isEmpty()) {
            throw new IllegalArgumentException("a lexical query needs at least one term");
        }
        if (minimumShouldMatch < 0 || minimumShouldMatch > terms.size()) {
            throw new IllegalArgumentException("minimumShouldMatch " + minimumShouldMatch + " for " + terms.size() + " terms");
        }
    }

    /**
     * Analyses the user's query with {@link EnglishAnalysis}; null when analysis leaves no term (only stopwords or
     * punctuation).
     *
     * <p>With {@link RetrievalStrategy.TermMatch#MOST} a chunk must match every term of a one- or two-term query and
     * half the terms of a longer one to count as a lexical hit. With plain OR, a chunk sharing one incidental word
     * ("work" in "money back after a work trip") enters the lexical list; being in both lists, it then outranks under
     * rank fusion the right answer that only the dense retriever found (a paraphrase shares no words with it).
     */
    public static LexicalQuery parse(String query, RetrievalStrategy.TermMatch match) {
        String[] words = query.strip().split("\\s+");
        String limited = words.length <= MAX_QUERY_WORDS ? query : String.join(" ", Arrays.copyOf(words, MAX_QUERY_WORDS));
        Set<String> terms = new LinkedHashSet<>();
        try (TokenStream stream = ANALYZER.tokenStream("text", limited)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                terms.add(term.toString());
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException("analysing a query in memory", e);
        }
        if (terms.isEmpty()) {
            return null;
        }
        int minimum = match == RetrievalStrategy.TermMatch.ANY ? 0
                : terms.size() <= 2 ? terms.size() : (terms.size() + 1) / 2;
        return new LexicalQuery(List.copyOf(terms), minimum);
    }
}
