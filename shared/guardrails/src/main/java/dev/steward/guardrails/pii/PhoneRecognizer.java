package dev.steward.guardrails.pii;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/**
 * Phone numbers in national or international format, validated with Google's libphonenumber.
 *
 * <p>Why not {@code PhoneNumberUtil.findNumbers}: it needs one default region per call, and texts here mix
 * numbers from many countries without a country code ("0490 75 40 81", "07700 063 966", "(37) 788-063"). So a
 * phone-shaped candidate pattern finds the strings, rules drop what is clearly something else (the shapes of
 * {@link NumberShapes}: dates and times, decimals, versions, ISBNs; postal codes, short dotted groups
 * ("4447.2268") and dotted groups that read as an amount or IP address ("912.345.678") unless a phone keyword
 * precedes; digits after an order/invoice keyword; amounts next to a currency; two house numbers before a street
 * name), and libphonenumber decides:
 * <ul>
 *   <li>with a {@code +} or {@code 00} prefix: the number must be possible for its country code;</li>
 *   <li>grouped by separators: it must be possible in one of {@link #REGIONS};</li>
 *   <li>one bare run of digits: it must be <em>valid</em> (assigned ranges) in one of {@link #REGIONS}, and 9-12
 *       digits long (7-15 after a phone keyword), because bare digit runs are usually amounts or identifiers;</li>
 *   <li>six digits, grouped, right after a phone keyword: it must be valid in one of {@link #SIX_DIGIT_REGIONS};</li>
 *   <li>seven digits or more right after a phone keyword: nothing more, when none of the above holds; the keyword
 *       says it is a phone number, one that no country could assign ("111-884-2424") is still someone's number as
 *       written, and masking it costs less than leaking it.</li>
 * </ul>
 * The same holds for a number with a country code that exists but digits that do not fit it ("+45(0)0593 233793").
 * Leading zeros that are no calling code ("000-740-8559": "+0..." exists nowhere) are read as part of a national
 * number.
 * A phone keyword is a phone word, a person's number ("my number is") or a signature label ("Desk:") shortly before
 * the number ({@link Context#precededByPhoneKeyword}).
 *
 * <p>Missed by rule, and so by design: without a phone keyword, bare runs of seven or eight digits ("94304874",
 * how Norway, Denmark or Australia may write a number; mostly amounts, dates and ids in real text), bare runs that
 * are valid nowhere ("03292788041"), six-digit numbers ("22 90 82" in Luxembourg), short dotted groups ("4447.2268")
 * and dotted groups without a trunk zero; with or without one, numbers of five digits or fewer and numbers that are
 * not possible for their country code ("+54 9 3104 2783"). Python Faker's and datafaker's numbers of every locale and
 * the national layouts of 30 countries are tests ({@code PythonFakerPhoneFormatsTest}, {@code FakerPhoneFormatsTest},
 * {@code FakeNameGeneratorPhoneFormatsTest}).
 */
final class PhoneRecognizer implements PiiRecognizer {
    /**
     * Countries whose national formats are tried for numbers without a country code: the EU/EEA, Switzerland, the
     * UK, North America, Australia, Brazil and India (whose support centres serve companies everywhere).
     */
    static final List<String> REGIONS = List.of(
            "US", "GB", "DE", "FR", "IT", "ES", "NL", "BE", "CH", "AT", "SE", "NO", "DK", "FI", "IS", "IE",
            "PT", "PL", "CZ", "SK", "HU", "SI", "HR", "GR", "CY", "EE", "LV", "LT", "LU", "MT", "RO", "BG", "LI",
            "AU", "BR", "CA", "IN");
    /**
     * Countries whose numbers have six digits (Greenland, the Faroe Islands, Andorra): such a number is taken only
     * grouped and right after a phone keyword ("phone: 32 10 00"), since six digits alone are usually anything else.
     */
    static final List<String> SIX_DIGIT_REGIONS = List.of("GL", "FO", "AD");
    /**
     * Tried only at a digit, "+" or "(" that does not continue a word, number or address. Right after a word and a
     * colon ("tel:+44 ...", "Phone:555 ...") or a comma ("Smith,555-...", a CSV field) is a start; after a digit
     * and a colon (a time) or a comma (thousands) is not. Right after a word and a dot or "#" ("ph.0453 ...",
     * "Tel.:+44 ...", "Phone#555 ...") is a start too, which {@link #find} keeps only when that word is a phone
     * keyword. An area code may stand in parentheses ("(07166) 41000", "(+44)"; up to six digits, as a German one
     * with its trunk zero: "(033203) 12345"), also with a trunk prefix before it ("(06 1) 234 5678" in Hungary,
     * "(0-312) 34567" in Lithuania). Digits may be grouped by the dashes libphonenumber accepts (hyphen, en and em
     * dash, minus sign). A match never ends before a digit that continues it after a dot, comma, slash, dash or
     * colon: "2015-05-23 23:27" ends after the date.
     */
    static final GatedPattern CANDIDATE = new GatedPattern(Pattern.compile(
            "(?:(?<![\\w+#@/.,:\\-\\u2010-\\u2015\\u2212])|(?<=\\p{L}[:,.#])|(?<=\\p{L}\\.:))"
                    + "(?:\\+|00)?(?:\\(\\+?\\d{1,6}(?:[ -]\\d{1,4})?\\)|\\d)"
                    + "[\\d \\u00A0.\\-\\u2010-\\u2015\\u2212()/]{4,24}\\d"
                    + "(?:\\s?(?:x|ext\\.?|extension)\\s?\\d{1,5})?(?![\\w@]|[.,/:-]\\d)"),
            (text, i) -> (text.charAt(i) == '+' || text.charAt(i) == '(' || WordStarts.digitAfterNone(text, i, ""))
                    && (i == 0 || !WordStarts.word(text.charAt(i - 1)) && "+#@/.,-".indexOf(text.charAt(i - 1)) < 0
                            || text.charAt(i - 1) == ',' && i >= 2 && Character.isLetter(text.codePointBefore(i - 1))
                            || afterAbbreviation(text, i)));
    private static final Pattern EXTENSION = Pattern.compile("\\s?(?:x|ext\\.?|extension)\\s?\\d{1,5}$");
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    @Override
    public List<PiiEntity> find(String text) {
        List<PiiEntity> out = new ArrayList<>();
        for (MatchResult m : CANDIDATE.find(text)) {
            int start = m.start();
            int end = m.end();
            String candidate = text.substring(start, end);
            boolean cued = Context.precededByPhoneKeyword(text, start);
            if (afterAbbreviation(text, start) && !cued) {
                continue;
            }
            double score = score(candidate, cued);
            // "+1-984-182-0190 1": the pattern is greedy; retry without the last one or two digit groups, unless the
            // whole has the shape of something else ("978-3-16-148410-0" is a book, not a phone and a "-0")
            String whole = core(candidate);
            boolean otherShape = score == 0 && NumberShapes.notAPhone(whole, digits(whole), cued);
            for (int drop = 0; score == 0 && !otherShape && drop < 2; drop++) {
                int cut = Math.max(candidate.lastIndexOf(' '), candidate.lastIndexOf('-'));
                if (cut <= 0) {
                    break;
                }
                candidate = endOnDigit(candidate.substring(0, cut));
                end = start + candidate.length();
                score = score(candidate, cued);
            }
            boolean nameFollows = end + 1 < text.length() && text.charAt(end) == ' '
                    && Character.isUpperCase(text.charAt(end + 1));
            if (!cued && NumberShapes.houseNumbers(candidate, nameFollows)) {
                continue;
            }
            if (score > 0 && !Context.precededByReferenceKeyword(text, start)
                    && (candidate.startsWith("+") || !Context.besideCurrency(text, start, end))) {
                out.add(PiiEntity.of(PiiType.PHONE, text, start, end, score));
            }
        }
        return out;
    }

    /**
     * 0 when the candidate is not a phone number, else a confidence. {@code cued}: a phone keyword comes just
     * before it, so a bare digit run may have 7 to 15 digits (it must still be valid in one of {@link #REGIONS}).
     * Package-private for tests.
     */
    static double score(String candidate, boolean cued) {
        String core = core(candidate);
        String digits = digits(core);
        if (digits.length() < 6 || digits.length() > 15 || unbalancedParentheses(core)) {
            return 0;
        }
        if (NumberShapes.notAPhone(core, digits, cued)
                || !cued && (NumberShapes.postalCode(core) || NumberShapes.dottedGroups(core))) {
            return 0;
        }
        if (digits.length() == 6) {
            return cued && digits.length() < core.length() && validIn(core, SIX_DIGIT_REGIONS) ? 0.6 : 0;
        }
        if (international(core)) {
            PhoneNumber number = parse(core.startsWith("00") ? "+" + core.substring(2) : core, "ZZ");
            if (number != null && UTIL.isPossibleNumber(number)) {
                return UTIL.isValidNumber(number) ? 0.95 : 0.8;
            }
            if (core.startsWith("+")) {
                // a country code that exists, digits that do not fit it ("+45(0)0593 233793"): as below, a phone
                // keyword before it makes it a phone number as written
                return number != null && cued ? 0.5 : 0;
            }
            // "000-740-8559", "00591840150": no country has such a calling code, so the zeros belong to a national
            // number as written (random or mistyped, but a phone number to whoever reads it); judged as one below
        }
        boolean bare = digits.length() == core.length();
        if (bare && !cued && (digits.length() < 9 || digits.length() > 12)) {
            return 0;
        }
        boolean possible = false;
        for (String region : REGIONS) {
            PhoneNumber number = parse(core, region);
            if (number == null) {
                continue;
            }
            if (UTIL.isValidNumber(number)) {
                return 0.85;
            }
            possible |= UTIL.isPossibleNumber(number);
        }
        if (possible && !bare) {
            return 0.6;
        }
        // a phone keyword says what follows is a phone number: one no country could assign ("111-884-2424",
        // "03292788041") is still someone's number as written, and leaking it costs more than masking it
        return cued && digits.length() >= 7 ? 0.5 : 0;
    }

    /** {@code s} up to its last digit: "005-680-0468 ext." from a dropped extension ends after "0468". */
    private static String endOnDigit(String s) {
        int end = s.length();
        while (end > 0 && !Character.isDigit(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    /** Whether a phone number is written with its country code ("+43 ...", "0043 ..."). */
    static boolean international(String number) {
        return number.startsWith("+") || number.startsWith("00");
    }

    private static boolean validIn(String core, List<String> regions) {
        for (String region : regions) {
            PhoneNumber number = parse(core, region);
            if (number != null && UTIL.isValidNumber(number)) {
                return true;
            }
        }
        return false;
    }

    /** The candidate without its extension ("x123", "ext. 12"). */
    private static String core(String candidate) {
        return EXTENSION.matcher(candidate).replaceFirst("");
    }

    private static String digits(String s) {
        return s.replaceAll("\\D", "");
    }

    /**
     * Whether offset {@code i} follows a letter and a dot or "#" (or a letter, a dot and a colon): a start only
     * after a phone keyword ("ph.", "Tel.:", "Phone#"), since "No.", "v." or "Fig." may stand there too.
     */
    private static boolean afterAbbreviation(String text, int i) {
        if (i >= 2 && (text.charAt(i - 1) == '.' || text.charAt(i - 1) == '#')) {
            return Character.isLetter(text.codePointBefore(i - 1));
        }
        return i >= 3 && text.charAt(i - 1) == ':' && text.charAt(i - 2) == '.'
                && Character.isLetter(text.codePointBefore(i - 2));
    }

    private static boolean unbalancedParentheses(String s) {
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth < 0) {
                return true;
            }
        }
        return depth != 0;
    }

    private static PhoneNumber parse(String s, String region) {
        try {
            return UTIL.parse(s, region);
        } catch (NumberParseException e) {
            return null;
        }
    }
}
