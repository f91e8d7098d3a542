package dev.steward.guardrails.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link WordStarts} and {@link CuePhrases} must report exactly what {@link Matcher#find()} reports for the same
 * pattern: seeded random texts built from words that start, contain or touch cue phrases and street lines.
 */
class WordStartsTest {
    private static final long SEED = Long.getLong("tests.seed", 20240611L);
    private static final List<String> PIECES = List.of(
            "my name is", "name is", "Hi", "hi", "Hilary", "x-hi", "1hi", "I'm", "i'm", "Mr.", "Mrs", "M.", "Señor",
            "sig.ra", "ship to", "send the parcel to", "sent to", "address:", "Frau", "drops me off at", "by", "Byron",
            "24", "2450", "12B", "Crown", "St.", "Street", "Avenue", "PSC 3294, Box 9168\nAPO AA 61487", "P.O. Box 12",
            "Edeby", "55", "Apt. 3", "\n", ",", ".", " ", "  ", "-", "'", "é", "Ünal", "Łukasz", "𝔸", "ab1", "x9");
    private static final Pattern STREET = Pattern.compile(
            "(?<![\\p{L}\\p{N}])\\d{1,6}[A-Za-z]?(?: [\\p{L}][\\p{L}'.\\-]*+){0,4}? (?i:street|st|avenue)(?![\\p{L}])\\.?");
    private static final Pattern MILITARY = Pattern.compile(
            "(?i)(?<![\\p{L}\\p{N}])(?:PSC \\d{3,5},? Box \\d{3,5})\\s*\\n?\\s*[ADF]PO A[AEP] \\d{5}"
                    + "|(?<![\\p{L}\\p{N}])P\\.? ?O\\.? Box \\d{1,6}");
    private static final String[] PHRASES = {
            "my name is", "name is", "i'm", "hi", "hello", "by", "mr", "mrs", "m", "señor", "sig\\.ra", "ship to",
            "send [\\w ]{0,20}? to", "sent to", "address:", "drops? (?:you|me) off at", "frau"};
    private static final String TAIL = "[,:.]? *(?=\\p{L})";

    @Test
    void wordStartSearchFindsWhatFindFinds() {
        Random random = new Random(SEED);
        for (int i = 0; i < 2000; i++) {
            String text = randomText(random);
            for (Pattern p : List.of(STREET, MILITARY)) {
                assertThat(WordStarts.find(p, text)).as("seed %d, text [%s], %s", SEED, text, p)
                        .usingElementComparator((a, b) -> a[0] == b[0] && a[1] == b[1] ? 0 : 1)
                        .containsExactlyElementsOf(withFind(p, text));
            }
        }
    }

    @Test
    void cuePhrasesEndWhereTheAlternationEnds() {
        CuePhrases cues = new CuePhrases(TAIL, PHRASES);
        Pattern alternation = Pattern.compile("(?i)(?<![\\p{L}])(?:" + String.join("|", PHRASES) + ")" + TAIL);
        Random random = new Random(SEED + 1);
        for (int i = 0; i < 2000; i++) {
            String text = randomText(random);
            BitSet expected = new BitSet();
            withFind(alternation, text).forEach(m -> expected.set(m[1]));
            assertThat(cues.ends(text)).as("seed %d, text [%s]", SEED, text).isEqualTo(expected);
        }
    }

    @Test
    void cueEndsAtTheNextWord() {
        CuePhrases cues = new CuePhrases(TAIL, PHRASES);
        assertThat(cues.ends("Hello, my name is Ann").stream().boxed().toList()).containsExactly(7, 18);
        assertThat(cues.ends("Hilary said").isEmpty()).as("'hi' inside a word ends inside it").isFalse();
        assertThat(cues.ends("Hilary said").get(2)).isTrue();
        assertThat(cues.ends("ÜBERhi Ann").isEmpty()).as("not at a word start").isTrue();
    }

    @Test
    void phrasesMustStartWithAnAsciiLetter() {
        assertThatThrownBy(() -> new CuePhrases(TAIL, "(?:a|b) c")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CuePhrases(TAIL, "über")).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<int[]> withFind(Pattern p, String text) {
        List<int[]> out = new ArrayList<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            out.add(new int[] {m.start(), m.end()});
        }
        return out;
    }

    private static String randomText(Random random) {
        StringBuilder sb = new StringBuilder();
        int n = 1 + random.nextInt(12);
        for (int i = 0; i < n; i++) {
            sb.append(PIECES.get(random.nextInt(PIECES.size())));
            if (random.nextInt(3) > 0) {
                sb.append(' ');
            }
        }
        return sb.toString();
    }
}
