package dev.steward.guardrails.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.apache.commons.validator.routines.IBANValidator;

/**
 * IBANs, printed compact or in groups of four, upper or lower case. Each candidate must pass commons-validator's
 * {@link IBANValidator}: the country's length and format and the ISO 7064 mod-97 check digits. A random
 * 22-character string passes with probability about 1/97 even before the format check.
 */
final class IbanRecognizer implements PiiRecognizer {
    /** Tried only at a word that opens with two ASCII letters and two digits. */
    static final GatedPattern CANDIDATE = new GatedPattern(Pattern.compile(
            "(?<![\\p{L}\\p{N}])[A-Za-z]{2}\\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,4})?(?![\\p{L}\\p{N}])"),
            (text, i) -> i + 3 < text.length() && asciiLetter(text.charAt(i)) && asciiLetter(text.charAt(i + 1))
                    && WordStarts.digitAfterNone(text, i + 2, "") && WordStarts.digitAfterNone(text, i + 3, "")
                    && WordStarts.alphanumericStart(text, i));
    private static final IBANValidator VALIDATOR = IBANValidator.getInstance();

    @Override
    public List<PiiEntity> find(String text) {
        List<PiiEntity> out = new ArrayList<>();
        for (MatchResult m : CANDIDATE.find(text)) {
            String compact = m.group().replace(" ", "").toUpperCase(Locale.ROOT);
            if (VALIDATOR.isValid(compact)) {
                out.add(PiiEntity.of(PiiType.IBAN, text, m.start(), m.end(), 1.0));
            }
        }
        return out;
    }

    private static boolean asciiLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }
}
