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
 * phone-shaped candidate pattern finds the strings, shape rules drop what is clearly something else (dates,
 * year ranges, dotted thousands, digits after an order/invoice keyword), and libphonenumber decides:
 * <ul>
 *   <li>with a {@code +} or {@code 00} prefix: the number must be possible for its country code;</li>
 *   <li>grouped by separators: it must be possible in one of {@link #REGIONS};</li>
 *   <li>one bare run of digits: it must be <em>valid</em> (assigned ranges) in one of {@link #REGIONS}, and 9-12
 *       digits long, because bare digit runs are usually amounts or identifiers.</li>
 * </ul>
 */
final class PhoneRecognizer implements PiiRecognizer {
    /** Countries whose national formats are tried for numbers without a country code (EU/EEA, UK, North America, AU, BR). */
    static final List<String> REGIONS = List.of(
            "US", "GB", "DE", "FR", "IT", "ES", "NL", "BE", "CH", "AT", "SE", "NO", "DK", "FI", "IS", "IE",
            "PT", "PL", "CZ", "SK", "HU", "SI", "HR", "GR", "CY", "AU", "BR", "CA");
    /**
     * Tried only at a digit, "+" or "(" that does not continue a word, number or address; right after a word and a
     * colon ("tel:+44 ...", "Phone:555 ...") is a start, after a digit and a colon (a time) is not. Digits may be
     * grouped by the dashes libphonenumber accepts (hyphen, en and em dash, minus sign).
     */
    static final GatedPattern CANDIDATE = new GatedPattern(Pattern.compile(
            "(?:(?<![\\w+#@/.,:\\-\\u2010-\\u2015\\u2212])|(?<=\\p{L}:))(?:\\+|00)?(?:\\(\\+?\\d{1,4}\\)|\\d)"
                    + "[\\d \\u00A0.\\-\\u2010-\\u2015\\u2212()/]{4,24}\\d"
                    + "(?:\\s?(?:x|ext\\.?|extension)\\s?\\d{1,5})?(?![\\w@]|[.,/-]\\d)"),
            (text, i) -> (text.charAt(i) == '+' || text.charAt(i) == '(' || WordStarts.digitAfterNone(text, i, ""))
                    && (i == 0 || !WordStarts.word(text.charAt(i - 1)) && "+#@/.,-".indexOf(text.charAt(i - 1)) < 0));
    private static final Pattern EXTENSION = Pattern.compile("\\s?(?:x|ext\\.?|extension)\\s?\\d{1,5}$");
    private static final Pattern DATE = Pattern.compile("\\d{1,4}([./-])\\d{1,2}\\1\\d{1,4}");
    private static final Pattern YEAR_RANGE = Pattern.compile("(?:19|20)\\d\\d\\s?[-/]\\s?(?:19|20)?\\d\\d");
    private static final Pattern DOTTED_THOUSANDS = Pattern.compile("\\d{1,3}(?:\\.\\d{3})+");
    private static final Pattern IP_LIKE = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}");
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    @Override
    public List<PiiEntity> find(String text) {
        List<PiiEntity> out = new ArrayList<>();
        for (MatchResult m : CANDIDATE.find(text)) {
            int start = m.start();
            int end = m.end();
            String candidate = text.substring(start, end);
            boolean cued = Context.precededByPhoneKeyword(text, start);
            double score = score(candidate, cued);
            // "+1-984-182-0190 1": the pattern is greedy; retry without the last one or two digit groups
            for (int drop = 0; score == 0 && drop < 2; drop++) {
                int cut = Math.max(candidate.lastIndexOf(' '), candidate.lastIndexOf('-'));
                if (cut <= 0) {
                    break;
                }
                candidate = candidate.substring(0, cut).stripTrailing();
                end = start + candidate.length();
                score = score(candidate, cued);
            }
            if (score > 0 && !Context.precededByReferenceKeyword(text, start)) {
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
        String core = EXTENSION.matcher(candidate).replaceFirst("");
        String digits = core.replaceAll("\\D", "");
        if (digits.length() < 7 || digits.length() > 15 || unbalancedParentheses(core)) {
            return 0;
        }
        if (DATE.matcher(core).matches() || YEAR_RANGE.matcher(core).matches()
                || DOTTED_THOUSANDS.matcher(core).matches() || IP_LIKE.matcher(core).matches()) {
            return 0;
        }
        boolean international = core.startsWith("+") || core.startsWith("00");
        if (international) {
            PhoneNumber number = parse(core.startsWith("00") ? "+" + core.substring(2) : core, "ZZ");
            if (number == null || !UTIL.isPossibleNumber(number)) {
                return 0;
            }
            return UTIL.isValidNumber(number) ? 0.95 : 0.8;
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
        return 0;
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
