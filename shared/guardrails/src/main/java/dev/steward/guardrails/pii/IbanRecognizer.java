package dev.steward.guardrails.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.validator.routines.IBANValidator;

/**
 * IBANs, printed compact or in groups of four, upper or lower case. Each candidate must pass commons-validator's
 * {@link IBANValidator}: the country's length and format and the ISO 7064 mod-97 check digits. A random
 * 22-character string passes with probability about 1/97 even before the format check.
 */
final class IbanRecognizer implements PiiRecognizer {
    private static final Pattern CANDIDATE = Pattern.compile(
            "(?<![\\p{L}\\p{N}])[A-Za-z]{2}\\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,4})?(?![\\p{L}\\p{N}])");
    private static final IBANValidator VALIDATOR = IBANValidator.getInstance();

    @Override
    public List<PiiEntity> find(String text) {
        List<PiiEntity> out = new ArrayList<>();
        Matcher m = CANDIDATE.matcher(text);
        while (m.find()) {
            String compact = m.group().replace(" ", "").toUpperCase(Locale.ROOT);
            if (VALIDATOR.isValid(compact)) {
                out.add(PiiEntity.of(PiiType.IBAN, text, m.start(), m.end(), 1.0));
            }
        }
        return out;
    }
}
