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
 * {@link GatedPattern} and {@link CuePhrases} must report exactly what {@link Matcher#find()} reports for the same
 * pattern: seeded random texts built from pieces that start, contain or touch the recognizers' candidates.
 */
class GatedPatternTest {
    private static final long SEED = Long.getLong("tests.seed", 20240611L);
    private static final List<String> PIECES = List.of(
            "my name is", "name is", "Hi", "hi", "Hilary", "x-hi", "1hi", "I'm", "i'm", "Mr.", "Mrs", "M.", "Señor",
            "sig.ra", "ship to", "send the parcel to", "sent to", "address:", "Frau", "drops me off at", "by", "Byron",
            "24", "2450", "12B", "Crown", "St.", "Street", "Avenue", "PSC 3294, Box 9168\nAPO AA 61487", "P.O. Box 12",
            "Edeby", "55", "Apt. 3", "\n", ",", ".", " ", "  ", "-", "'", "é", "Ünal", "Łukasz", "𝔸", "ab1", "x9",
            "jane.doe@example.com", "@", "a.b%c", "4111 1111 1111 1111", "4111-1111", "GB82 WEST 1234 5698 7654 32",
            "de89370400440532013000", "460-89-9847", "460899847", "192.168.10.254", "2001:db8::8a2e:370:7334", "::1",
            "12:30:45", "fe80::", "+1-984-182-0190", "(415) 555-2671", "0049 30 1234567", "/", "#", "+", "(", ")",
            ":", "_", "0", "123", "1.5", "x123", "ph.", "Tel.:", "Phone#", "No.", "Smith,", "𝔸.", "𝔸,", "(07166)",
            "2015-05-23 23:27");
    private static final List<GatedPattern> RECOGNIZER_PATTERNS = List.of(
            EmailRecognizer.CANDIDATE, CreditCardRecognizer.CANDIDATE, IbanRecognizer.CANDIDATE,
            UsSsnRecognizer.SEPARATED, UsSsnRecognizer.BARE, IpAddressRecognizer.V4, IpAddressRecognizer.V6,
            PhoneRecognizer.CANDIDATE, AddressRecognizer.ENGLISH, AddressRecognizer.MILITARY,
            AddressRecognizer.LINE_BEFORE_UNIT);
    private static final String[] PHRASES = {
            "my name is", "name is", "i'm", "hi", "hello", "by", "mr", "mrs", "m", "señor", "sig\\.ra", "ship to",
            "send [\\w ]{0,20}? to", "sent to", "address:", "drops? (?:you|me) off at", "frau"};
    private static final String TAIL = "[,:.]? *(?=\\p{L})";

    @Test
    void gatedSearchFindsWhatFindFinds() {
        Random random = new Random(SEED);
        for (int i = 0; i < 3000; i++) {
            String text = randomText(random);
            for (GatedPattern p : RECOGNIZER_PATTERNS) {
                List<int[]> gated = p.find(text).stream().map(m -> new int[] {m.start(), m.end()}).toList();
                assertThat(gated).as("seed %d, text [%s], %s", SEED, text, p.pattern())
                        .usingElementComparator((a, b) -> a[0] == b[0] && a[1] == b[1] ? 0 : 1)
                        .containsExactlyElementsOf(withFind(p.pattern(), text));
            }
        }
    }

    @Test
    void theRegexRunsOnlyWhereTheGateHolds() {
        GatedPattern digitsAfterSpace = new GatedPattern(Pattern.compile("(?<= )\\d+"), (text, i) -> text.charAt(i) != 'x');
        assertThat(digitsAfterSpace.find("a 12 b 345").stream().map(m -> m.group()).toList()).containsExactly("12", "345");
        GatedPattern never = new GatedPattern(Pattern.compile("\\d+"), (text, i) -> false);
        assertThat(never.find("a 12 b 345")).isEmpty();
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
