package dev.steward.guardrails.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.apache.commons.validator.routines.DomainValidator;
import org.apache.commons.validator.routines.EmailValidator;

/**
 * Email addresses: a loose candidate pattern, then commons-validator's RFC and top-level-domain checks. Besides the
 * IANA list, the top-level domains of company-internal mail count ({@link #PRIVATE_TLDS}: {@code jane@corp.internal},
 * {@code ops@acme.local}) and those reserved for documentation and tests ({@code .example}, {@code .test}): an
 * address there is a person's all the same, and redacting a placeholder address costs nothing.
 */
final class EmailRecognizer implements PiiRecognizer {
    /**
     * ICANN's private-use {@code .internal}, the names Active Directory and home networks use ({@code local}, {@code lan},
     * {@code corp}, {@code home}, {@code intranet}, {@code private}) and RFC 2606's reserved ones; the validator's own
     * local list already holds {@code localdomain} and {@code localhost}.
     */
    static final List<String> PRIVATE_TLDS = List.of(
            "internal", "local", "lan", "corp", "home", "intranet", "private", "example", "test", "invalid");
    /** Tried only where a local part starts and an "@" follows within 64 characters. */
    static final GatedPattern CANDIDATE = new GatedPattern(
            Pattern.compile("(?<![\\w.%+-])[\\w.%+-]{1,64}@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)*\\.\\p{L}{2,24}(?![\\w-])"),
            (text, i) -> localPart(text.charAt(i)) && (i == 0 || !localPart(text.charAt(i - 1)))
                    && text.indexOf('@', i) > i && text.indexOf('@', i) <= i + 64);
    private static final EmailValidator VALIDATOR = new EmailValidator(true, true, DomainValidator.getInstance(true,
            List.of(new DomainValidator.Item(DomainValidator.ArrayType.LOCAL_PLUS, PRIVATE_TLDS.toArray(String[]::new)))));

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
