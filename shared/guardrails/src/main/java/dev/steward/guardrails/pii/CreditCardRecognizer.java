package dev.steward.guardrails.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.apache.commons.validator.routines.checkdigit.LuhnCheckDigit;

/**
 * Payment card numbers (PANs): 12-19 digits, optionally grouped by single spaces or dashes, whose first digit
 * is a card-network prefix (1 JCB-1800, 2 Mastercard/JCB-2131, 3 Amex/Diners/JCB, 4 Visa, 5 Mastercard/Maestro,
 * 6 Discover/Maestro/UnionPay) and which pass the Luhn check (commons-validator {@link LuhnCheckDigit}). Only
 * Maestro (5, 6) issues cards of 12 digits, and only Visa (4) and Maestro of 13, so a Luhn-valid 12- or 13-digit
 * number with another first digit is something else (Portugal's "29 175 409 2356" on a form is a phone number).
 * One random digit string in ten passes Luhn, so a number right after an order/invoice/tracking keyword is
 * skipped. Digits right after a "+" are a phone number's country code ("+421 31 815 4836"), never a card.
 */
final class CreditCardRecognizer implements PiiRecognizer {
    static final GatedPattern CANDIDATE = new GatedPattern(
            Pattern.compile("(?<![\\d.,+-])[1-6]\\d{1,5}(?:[ -]?\\d{1,6}){1,5}(?![\\d-]|[.,]\\d)"),
            (text, i) -> text.charAt(i) >= '1' && text.charAt(i) <= '6' && WordStarts.digitAfterNone(text, i, "0123456789.,+-"));

    @Override
    public List<PiiEntity> find(String text) {
        List<PiiEntity> out = new ArrayList<>();
        for (MatchResult m : CANDIDATE.find(text)) {
            String digits = m.group().replaceAll("\\D", "");
            if (digits.length() < 12 || digits.length() > 19 || !issued(digits)
                    || !LuhnCheckDigit.LUHN_CHECK_DIGIT.isValid(digits)) {
                continue;
            }
            if (Context.precededByReferenceKeyword(text, m.start())) {
                continue;
            }
            out.add(PiiEntity.of(PiiType.CREDIT_CARD, text, m.start(), m.end(), 0.95));
        }
        return out;
    }

    /** Whether a card network issues numbers of this length with this first digit (only 12 and 13 are narrowed). */
    private static boolean issued(String digits) {
        char first = digits.charAt(0);
        return switch (digits.length()) {
            case 12 -> first == '5' || first == '6';
            case 13 -> first == '4' || first == '5' || first == '6';
            default -> true;
        };
    }
}
