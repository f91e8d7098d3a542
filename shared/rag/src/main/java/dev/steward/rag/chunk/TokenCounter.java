package dev.steward.rag.chunk;

/**
 * Counts the tokens an embedding model would see for a text, without special tokens ([CLS], [SEP]).
 *
 * <p>Implementations must be thread-safe and (near-)additive over whitespace: the count of {@code a + " " + b} is
 * the count of {@code a} plus the count of {@code b}. WordPiece tokenizers are, because they split on whitespace
 * before anything else; the chunker relies on it to size chunks from the counts of their sentences.
 */
@FunctionalInterface
public interface TokenCounter {

    int count(String text);

    /**
     * A conservative estimate for when the model's tokenizer is not at hand: every run of letters or digits costs
     * one token per started 4 characters, every other visible character one token. English prose comes out at about
     * 1.6 "tokens" per word, above what WordPiece really produces (about 1.3), so chunks sized with it fit.
     */
    static TokenCounter approximate() {
        return text -> {
            int tokens = 0;
            int run = 0;
            for (int i = 0; i < text.length(); ) {
                int cp = text.codePointAt(i);
                i += Character.charCount(cp);
                if (Character.isLetterOrDigit(cp)) {
                    run++;
                    continue;
                }
                tokens += (run + 3) / 4;
                run = 0;
                if (!Character.isWhitespace(cp) && !Character.isISOControl(cp)) {
                    tokens++;
                }
            }
            return tokens + (run + 3) / 4;
        };
    }
}
