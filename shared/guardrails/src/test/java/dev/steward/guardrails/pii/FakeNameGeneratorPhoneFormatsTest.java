package dev.steward.guardrails.pii;

import static dev.steward.guardrails.pii.PhoneFormatsTest.phones;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Numbers laid out as fake-identity generators write a country's numbers: no country code, the country's own
 * grouping ("0660 475 13 89" in Austria, "28-64-27-85" in Denmark, "(11) 7113-8192" in Brazil). The layouts are
 * those of the telephone column of the FakeNameGenerator.com sample that Microsoft's presidio-research keeps as
 * generator input ({@code raw_data/FakeNameGenerator.com_3000.csv}, MIT): every digit replaced by '#', tallied over
 * its first 1,085 rows (30 countries, 36 layouts), then over 856 rows sampled across the whole file (31 pages from
 * start to end), which added only Stockholm's "08-1234567" ("##-#######"). No number of that file is used: each
 * layout is filled with random numbers that libphonenumber calls valid for the country, trunk zero included where
 * the layout has room for it.
 *
 * <p>Portugal's "## ### ### ####" has twelve digits, more than any Portuguese number, and Sweden's "####-#######"
 * one more than its numbers with a trunk zero: such layouts are filled with random digits (no leading "00", the
 * international prefix). Greenland's six digits ("84 23 30") are found only after a phone keyword, by rule.
 */
class FakeNameGeneratorPhoneFormatsTest {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    /** Country, layout. */
    private static final List<String[]> LAYOUTS = List.of(
            new String[] {"AT", "#### ### ## ##"}, new String[] {"AU", "(##) #### ####"},
            new String[] {"BE", "#### ## ## ##"}, new String[] {"BR", "(##) ####-####"},
            new String[] {"CA", "###-###-####"}, new String[] {"CH", "### ### ## ##"},
            new String[] {"CY", "## ######"}, new String[] {"CZ", "### ### ###"},
            new String[] {"DE", "##### ## ## ##"}, new String[] {"DE", "#### ## ## ##"},
            new String[] {"DE", "###### ## ##"}, new String[] {"DE", "### ## ## ##"},
            new String[] {"DK", "##-##-##-##"}, new String[] {"EE", "### ####"},
            new String[] {"ES", "### ### ###"}, new String[] {"FI", "### ### ####"},
            new String[] {"FR", "##.##.##.##.##"}, new String[] {"GB", "### #### ####"},
            new String[] {"GL", "## ## ##"}, new String[] {"HU", "(##) ###-###"},
            new String[] {"HU", "(#) ###-####"}, new String[] {"HU", "(##) ###-####"},
            new String[] {"IS", "### ####"}, new String[] {"IT", "#### #######"},
            new String[] {"NL", "##-########"}, new String[] {"NO", "### ## ###"},
            new String[] {"NZ", "(###) ####-###"}, new String[] {"PL", "## ### ## ##"},
            new String[] {"PT", "## ### ### ####"}, new String[] {"SE", "####-#######"},
            new String[] {"SE", "###-#######"}, new String[] {"SE", "##-#######"}, new String[] {"SI", "###-###-###"},
            new String[] {"TN", "## ### ###"}, new String[] {"US", "###-###-####"},
            new String[] {"UY", "#### ####"}, new String[] {"ZA", "### ### ####"});
    /** Phone keywords and signature labels, then frames with none, as the numbers stand in forms and letters. */
    private static final List<String> CUED = List.of("Anna Berg\nMobile: %s\nSupport desk", "Can someone call me on %s?",
            "Please have the manager call me at %s, I'd like to join.");
    private static final List<String> UNCUED = List.of(
            "Please leave a message on my registered %s. Could you help?", "%s", "Details: %s, ask for Anna.");
    private static final int PER_LAYOUT = 8;

    @Test
    void numbersInEachCountrysOwnLayoutAreFound() {
        Random random = new Random(42);
        Map<String, int[]> byLayout = new TreeMap<>();
        List<String> misses = new ArrayList<>();
        for (String[] layout : LAYOUTS) {
            String country = layout[0];
            for (String number : numbers(country, layout[1], random)) {
                for (String frame : CUED) {
                    check(frame.formatted(number), number, country + " " + layout[1], byLayout, misses);
                }
                if (!country.equals("GL")) {
                    for (String frame : UNCUED) {
                        check(frame.formatted(number), number, country + " " + layout[1], byLayout, misses);
                    }
                }
            }
        }
        byLayout.forEach((layout, c) -> System.out.printf("%s %d/%d%n", layout, c[1], c[0]));
        misses.forEach(m -> System.out.println("missed " + m));
        assertThat(byLayout).hasSize(LAYOUTS.size());
        assertThat(misses).isEmpty();
    }

    @Test
    void greenlandsSixDigitsNeedAPhoneKeyword() {
        assertThat(phones("Can someone call me on 84 23 30?")).containsExactly("84 23 30");
        assertThat(phones("Details: 84 23 30, ask for Anna.")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"111-884-2424", "000-740-8559", "03292788041", "00591840150", "(098)666-3621"})
    void aNumberNoCountryCouldAssignIsAPhoneAfterAPhoneKeyword(String number) {
        assertThat(phones("Can someone call me on " + number + "? I have some questions.")).containsExactly(number);
        assertThat(phones("Mobile: " + number)).containsExactly(number);
    }

    @Test
    void withoutAKeywordSuchDigitsStayUnmarked() {
        assertThat(phones("The batch id is 03292788041 today.")).isEmpty();
        assertThat(phones("Total 1118842424 rows")).isEmpty();
        assertThat(phones("Call me on +999 680 0468")).as("no such country code").isEmpty();
    }

    @Test
    void zerosBeforeAGroupedNationalNumberAreNoCallingCode() {
        assertThat(phones("Please leave a message on my registered 000-740-8559.")).containsExactly("000-740-8559");
    }

    @Test
    void indianNumbersAreFoundWithoutTheirCountryCode() {
        assertThat(phones("Please leave a message on my registered 9881886387. Thanks")).containsExactly("9881886387");
        assertThat(phones("The number 098818 86387 was disconnected.")).containsExactly("098818 86387");
    }

    private static void check(String text, String number, String layout, Map<String, int[]> byLayout, List<String> misses) {
        boolean found = phones(text).equals(List.of(number));
        int[] count = byLayout.computeIfAbsent(layout, l -> new int[2]);
        count[0]++;
        count[1] += found ? 1 : 0;
        if (!found) {
            misses.add(layout + ": " + text.replace("\n", "\\n"));
        }
    }

    /** {@link #PER_LAYOUT} numbers valid in {@code country} written in {@code layout}, or random digits if none fit. */
    private static List<String> numbers(String country, String layout, Random random) {
        int length = (int) layout.chars().filter(c -> c == '#').count();
        String trunk = UTIL.getNddPrefixForRegion(country, true);
        List<String> out = new ArrayList<>();
        for (int attempt = 0; attempt < 20_000 && out.size() < PER_LAYOUT; attempt++) {
            String digits = validDigits(country, length, trunk == null ? "" : trunk, random);
            if (digits != null) {
                out.add(lay(layout, digits));
            }
        }
        while (out.size() < PER_LAYOUT) {
            String digits = (1 + random.nextInt(9)) + randomDigits(length - 1, random);
            out.add(lay(layout, digits));
        }
        return out;
    }

    /** A random number valid in the country, with its trunk prefix when that makes it {@code length} digits long. */
    private static String validDigits(String country, int length, String trunk, Random random) {
        PhoneNumberType type = random.nextBoolean() ? PhoneNumberType.MOBILE : PhoneNumberType.FIXED_LINE;
        PhoneNumber example = UTIL.getExampleNumberForType(country, type);
        if (example == null) {
            return null;
        }
        String nsn = UTIL.getNationalSignificantNumber(example);
        boolean withTrunk = length == nsn.length() + trunk.length() && !trunk.isEmpty();
        int nsnLength = withTrunk ? length - trunk.length() : length;
        int keep = Math.min(1 + random.nextInt(2), nsn.length());
        String candidate = nsn.substring(0, keep) + randomDigits(nsnLength - keep, random);
        try {
            if (!UTIL.isValidNumber(UTIL.parse(trunk + candidate, country))) {
                return null;
            }
        } catch (NumberParseException e) {
            return null;
        }
        String digits = withTrunk ? trunk + candidate : candidate;
        return digits.length() == length ? digits : null;
    }

    private static String randomDigits(int n, Random random) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            out.append(random.nextInt(10));
        }
        return out.toString();
    }

    private static String lay(String layout, String digits) {
        StringBuilder out = new StringBuilder();
        int next = 0;
        for (char c : layout.toCharArray()) {
            out.append(c == '#' ? digits.charAt(next++) : c);
        }
        return out.toString();
    }
}
