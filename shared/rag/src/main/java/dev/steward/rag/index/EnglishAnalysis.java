package dev.steward.rag.index;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeSet;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.WordlistLoader;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.snowball.SnowballFilter;

/**
 * The text analysis of chunk text, section and title, the same in every backend: Lucene's {@link EnglishAnalyzer}
 * chain (standard tokenizer, English possessive, lower case, stopwords, Porter stemming) with Snowball's fuller
 * English stopword list added to Lucene's, so that question words ("how", "do", "my", "after") neither score nor
 * count towards a lexical match. A backend that analyses on its own side (OpenSearch) configures the same chain
 * with {@link #stopWords()}.
 */
public final class EnglishAnalysis {
    private static final CharArraySet STOP_WORDS = loadStopWords();

    private EnglishAnalysis() {}

    /** A new analyzer (an analyzer is thread-safe; callers keep one). */
    public static Analyzer analyzer() {
        return new EnglishAnalyzer(STOP_WORDS);
    }

    /** The stopwords, lower case, sorted. */
    public static List<String> stopWords() {
        TreeSet<String> words = new TreeSet<>();
        for (Object word : STOP_WORDS) {
            words.add(new String((char[]) word));
        }
        return List.copyOf(words);
    }

    private static CharArraySet loadStopWords() {
        try (InputStream words = SnowballFilter.class.getResourceAsStream("english_stop.txt")) {
            if (words == null) {
                throw new IllegalStateException("Lucene's Snowball English stopword list is missing from the classpath");
            }
            CharArraySet stop = new CharArraySet(WordlistLoader.getSnowballWordSet(words, StandardCharsets.UTF_8), false);
            stop.addAll(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
            return CharArraySet.unmodifiableSet(stop);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Lucene's English stopword list", e);
        }
    }
}
