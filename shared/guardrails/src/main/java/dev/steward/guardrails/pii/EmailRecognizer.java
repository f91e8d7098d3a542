package dev.steward.guardrails.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.validator.routines.EmailValidator;

/** Email addresses: a loose candidate pattern, then commons-validator's RFC and top-level-domain checks. */
final class EmailRecognizer implements PiiRecognizer {
    private static final Pattern CANDIDATE =
            Pattern.compile("(?<![\\w.%+-])[\\w.%+-]{1,64}@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)*\\.\\p{L}{2,24}(?![\\w-])");
    private static final EmailValidator VALIDATOR = EmailValidator.getInstance(false, true);

    @Override
    public List<PiiEntity> find(String text) {
        if (text.indexOf('@') < 0) {
            return List.of();
        }
        List<PiiEntity> out = new ArrayList<>();
        Matcher m = CANDIDATE.matcher(text);
        while (m.find()) {
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
}
