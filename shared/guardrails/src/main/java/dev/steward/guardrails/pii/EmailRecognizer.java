package dev.steward.guardrails.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.apache.commons.validator.routines.EmailValidator;

/** Email addresses: a loose candidate pattern, then commons-validator's RFC and top-level-domain checks. */
final class EmailRecognizer implements PiiRecognizer {
    /** Tried only where a local part starts and an "@" follows within 64 characters. */
    static final GatedPattern CANDIDATE = new GatedPattern(
            Pattern.compile("(?<![\\w.%+-])[\\w.%+-]{1,64}@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)*\\.\\p{L}{2,24}(?![\\w-])"),
            (text, i) -> localPart(text.charAt(i)) && (i == 0 || !localPart(text.charAt(i - 1)))
                    && text.indexOf('@', i) > i && text.indexOf('@', i) <= i + 64);
    private static final EmailValidator VALIDATOR = EmailValidator.getInstance(false, true);

    @Override
    public List<PiiEntity> find(String text) {
        if (text.indexOf('@') < 0) {
            return List.of();
        }
        List<PiiEntity> out = new ArrayList<>();
        for (MatchResult m : CANDIDATE.find(text)) {
            int start = m.start();
            int end = m.end();
            // A sentence-final dot is not part of the address.
            while (end > start && text.charAt(end - 1) == '.') {
                end--;
            }
            if (VALIDATOR.isValid(text.substring(start, end))) {
                out.add(PiiEntity.of(PiiType.EMAIL, text, start, end, 1.0));
            }
        }
        return out;
    }

    private static boolean localPart(char c) {
        return WordStarts.word(c) || c == '.' || c == '%' || c == '+' || c == '-';
    }
}
