package dev.steward.guardrails.pii;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.validator.routines.ISBNValidator;

/**
 * Digit strings that libphonenumber would accept as "possible" in some country but whose shape says they are
 * something else: dates (also with a time or as a range), year ranges, decimals and columns of a table, version
 * and deal numbers, ISBNs, SSN-shaped triples and US ZIP+4 / Brazilian CEP postal codes. A dotted number that
 * starts with a trunk zero ("044.123.45.67") is a national phone number, never a decimal, amount, IP address or
 * version. Each rule looks at the phone candidate alone (its text without an extension); what surrounds it
 * (currency, keywords) is {@link Context}'s.
 *
 * <p>libphonenumber's own {@code PhoneNumberMatcher} filters dates and time stamps too, but only inside
 * {@code findNumbers}, which needs one default region per call (see {@link PhoneRecognizer}).
 */
final class NumberShapes {
    private static final String DAY = "(?:0?[1-9]|[12]\\d|3[01])";
    private static final String MONTH = "(?:0?[1-9]|1[0-2])";
    private static final String YEAR = "(?:19|20)\\d\\d";
    /**
     * A calendar date anywhere in the candidate: day-month-year or month-day-year with a four-digit year and one
     * separator, year-month-day, or with slashes a two-digit year ("06/18/99", "6/1/02-5/31/12").
     */
    private static final Pattern DATE = Pattern.compile("(?<!\\d)(?:"
            + "(?:" + DAY + "|" + MONTH + ")([./-])(?:" + DAY + "|" + MONTH + ")\\1" + YEAR
            + "|" + YEAR + "([./-])" + MONTH + "\\2" + DAY
            + "|(?:" + DAY + "|" + MONTH + ")/(?:" + DAY + "|" + MONTH + ")/\\d\\d)(?!\\d)");
    /** "15 03 2021": a date written with spaces, the whole candidate. */
    private static final Pattern SPACED_DATE = Pattern.compile(DAY + " " + MONTH + " " + YEAR);
    /**
     * Three groups with a one- or two-digit middle ("12-05-19", "2023.10.15", "123-45-6789"): dates, codes and
     * SSN-shaped numbers; but "059-07-13", three-two-two digits with hyphens, is how Russian, Ukrainian or
     * Bulgarian local numbers are written.
     */
    private static final Pattern TRIPLE = Pattern.compile("\\d{1,4}([./-])\\d{1,2}\\1\\d{1,4}");
    private static final Pattern LOCAL_3_2_2 = Pattern.compile("\\d{3}-\\d{2}-\\d{2}");
    /** "1914-1918", "1623 - 1662", "2019/20". */
    private static final Pattern YEAR_RANGE = Pattern.compile(
            "(1\\d\\d\\d|20\\d\\d)\\s?[-/\\u2013]\\s?(1\\d\\d\\d|20\\d\\d|\\d\\d)");
    private static final Pattern DOTTED_THOUSANDS = Pattern.compile("\\d{1,3}(?:\\.\\d{3})+");
    /** Four dotted groups of at most 255 ("212.84.105.58"); "969.06.09.26" is no address (a Spanish number). */
    private static final Pattern IP_LIKE = Pattern.compile(
            "(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)(?:\\.(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");
    /** A decimal number as one of the space-separated parts ("4.682168", "97.00 1.75 -1.94"). */
    private static final Pattern DECIMAL_PART = Pattern.compile("(?:^|\\s)\\d+\\.\\d+(?:\\s|$)");
    /**
     * Groups of two to four digits joined by dots ("4447.2268", how Australian domain registrars write a local
     * number): with seven digits or more, a phone number after a phone keyword; a decimal or amount otherwise.
     */
    private static final Pattern DOTTED_SHORT_GROUPS = Pattern.compile("\\d{2,4}(?:\\.\\d{2,4})+");
    /** Only digits and dots, three groups or more ("5.5.2448.0", "875830.1.2", "01.84.17.61.18"). */
    private static final Pattern DOTTED = Pattern.compile("\\d+(?:\\.\\d+){2,}");
    /**
     * Digits grouped by dots after a leading zero and another digit ("0800.169.6591", "044.123.45.67",
     * "01276.61558"): a national number with its trunk prefix. No amount, decimal, IP address or version starts
     * with "0" and a digit, so the thousands, decimal, IP and version shapes do not apply (dates still do).
     */
    private static final Pattern TRUNK_DOTTED = Pattern.compile("0\\d+(?:\\.\\d+)+");
    /** A run of spaces between numbers, not right after a closing parenthesis: columns of a table. */
    private static final Pattern COLUMN_GAP = Pattern.compile("[^)][ \\u00A0]{2,}");
    /** Two numbers, the second of at most four digits: a building number and a street number ("9448 175"). */
    private static final Pattern HOUSE_NUMBERS = Pattern.compile("\\d{1,5} \\d{1,4}");
    /** US ZIP+4 ("94720-1900") and Brazilian CEP ("75534-030"). */
    private static final Pattern POSTAL_CODE = Pattern.compile("\\d{5}-\\d{3,4}");

    private NumberShapes() {}

    /**
     * Whether {@code core} (a phone candidate without its extension; {@code digits} are its digits) has the shape
     * of something that is not a phone number. {@code cued}: a phone keyword stands before it, so short dotted
     * groups ("Tel. 4447.2268") are no decimal.
     */
    static boolean notAPhone(String core, String digits, boolean cued) {
        if (TRIPLE.matcher(core).matches() && !LOCAL_3_2_2.matcher(core).matches()) {
            return true;
        }
        if (SPACED_DATE.matcher(core).matches() || yearRange(core)) {
            return true;
        }
        boolean trunkDotted = TRUNK_DOTTED.matcher(core).matches();
        if (!PhoneRecognizer.international(core) && (!trunkDotted && versionLike(core) || isbn13(digits))) {
            return true;
        }
        boolean decimal = !trunkDotted && DECIMAL_PART.matcher(core).find()
                && !(cued && digits.length() >= 7 && DOTTED_SHORT_GROUPS.matcher(core).matches());
        return decimal || COLUMN_GAP.matcher(core).find()
                || DATE.matcher(core).find();
    }

    /**
     * "352.603.903", "21.84.05.58": an amount with thousands dots or an IP address, unless a phone keyword stands
     * before it (checked by the caller) or it starts with a trunk zero ("044.123.45.67"); countries without a
     * trunk prefix (Spain, Poland, the Nordic and Baltic countries) write national numbers so too. Four groups with
     * one above 255 ("969.06.09.26") are neither, and left to libphonenumber.
     */
    static boolean dottedGroups(String core) {
        return !TRUNK_DOTTED.matcher(core).matches()
                && (DOTTED_THOUSANDS.matcher(core).matches() || IP_LIKE.matcher(core).matches());
    }

    /** "94720-1900": a postal code unless a phone keyword stands before it (checked by the caller). */
    static boolean postalCode(String core) {
        return POSTAL_CODE.matcher(core).matches();
    }

    /**
     * "9448 175 Iroon Polytechniou Avenue": two numbers followed by a capitalized word ({@code nameFollows}) begin
     * an address line (a building number, then the street's own number), unless a phone keyword stands before them
     * (checked by the caller). A lower-case word after them is usually prose ("6865 6355 is my office").
     */
    static boolean houseNumbers(String candidate, boolean nameFollows) {
        return nameFollows && HOUSE_NUMBERS.matcher(candidate).matches();
    }

    private static boolean yearRange(String core) {
        Matcher m = YEAR_RANGE.matcher(core);
        if (!m.matches()) {
            return false;
        }
        int from = Integer.parseInt(m.group(1));
        String second = m.group(2);
        int to = second.length() == 2 ? from / 100 * 100 + Integer.parseInt(second) : Integer.parseInt(second);
        return to > from && to - from <= 150;
    }

    /**
     * Dotted groups where a phone's would not be: a one-digit group after the first ("5.5.2448.0"; "1.800.555.0199"
     * has its one digit first) or a group of five digits or more ("875830.1.2").
     */
    private static boolean versionLike(String core) {
        if (!DOTTED.matcher(core).matches()) {
            return false;
        }
        String[] groups = core.split("\\.");
        for (int i = 0; i < groups.length; i++) {
            if (groups[i].length() >= 5 || i > 0 && groups[i].length() == 1) {
                return true;
            }
        }
        return false;
    }

    /** A book number: 13 digits from the 978/979 prefix with a valid ISBN-13 check digit. */
    private static boolean isbn13(String digits) {
        return digits.length() == 13 && (digits.startsWith("978") || digits.startsWith("979"))
                && ISBNValidator.getInstance().isValidISBN13(digits);
    }
}
