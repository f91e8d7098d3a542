package dev.steward.guardrails.pii;

import static dev.steward.guardrails.pii.PhoneFormatsTest.phones;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import net.datafaker.Faker;
import net.datafaker.providers.base.PhoneNumber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random phone numbers from datafaker (seeded), not just libphonenumber's one example per region as in
 * {@link PhoneFormatsTest}. Datafaker 2.4 ships no phone formats of its own: for a locale's country it fills
 * libphonenumber's fixed-line or mobile number pattern with random digits until the number is valid and writes it
 * as libphonenumber does. Each number is put, as written and in common layouts of the same digits, into sentence
 * frames; it counts as found when the scanner's only phone finding is exactly that number.
 *
 * <p>What is still missed is missed by rule: national numbers of six digits or fewer (Luxembourg, Austria, Finland
 * and Italy have such numbers; digit runs that short are mostly something else), national numbers longer than
 * E.164's 15 digits (datafaker fills Germany's and Austria's open-ended patterns), and dotted numbers without a
 * trunk zero and without a phone keyword that read as an amount ("352.603.903") or an IPv4 address ("212.84.105.58");
 * "969.06.09.26" is neither and found.
 */
class FakerPhoneFormatsTest {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    static final List<String> FRAMES = List.of(
            "Call me on %s tomorrow.", "%s", "The number %s was disconnected.", "Details: %s, ask for Anna.");
    private static final int PER_REGION = 10;

    /** How a generated number is written: libphonenumber's layouts and ones people use for the same digits. */
    private enum Family {
        NATIONAL(n -> n.national),
        INTERNATIONAL(n -> n.international),
        /** "0044 20 7946 0958": the international call prefix instead of "+". */
        DOUBLE_ZERO(n -> "00" + n.international.substring(1)),
        /** "+44 (0)20 7946 0958": the trunk prefix in parentheses, where the country has one. */
        TRUNK_IN_PARENTHESES(n -> n.trunk.isEmpty() ? null : n.international.replaceFirst(" ", " (" + n.trunk + ")")),
        /** "020.7946.0958", "912.345.678": the national groups joined by dots. */
        DOTTED(n -> n.national.matches("[\\d ]+") ? n.national.replace(' ', '.') : null),
        WITH_EXTENSION(n -> n.national + " x" + n.extension);

        private final Function<Generated, String> layout;

        Family(Function<Generated, String> layout) {
            this.layout = layout;
        }
    }

    /** One datafaker number: national and international layout, its country's trunk prefix, an extension. */
    private record Generated(String national, String international, String trunk, String extension) {}

    @Test
    void generatedNumbersOfEveryRegionAreFound() {
        Map<String, int[]> byFamily = new TreeMap<>();
        List<String> misses = new ArrayList<>();
        for (String region : PhoneRecognizer.REGIONS) {
            for (Generated number : generate(region)) {
                for (Family family : Family.values()) {
                    String written = family.layout.apply(number);
                    if (written == null) {
                        continue;
                    }
                    for (String frame : FRAMES) {
                        String text = frame.formatted(written);
                        boolean found = phones(text).equals(List.of(written));
                        int[] count = byFamily.computeIfAbsent(family.name(), f -> new int[2]);
                        count[0]++;
                        count[1] += found ? 1 : 0;
                        if (!found) {
                            misses.add(region + " " + family + ": " + text);
                        }
                    }
                }
            }
        }
        int total = byFamily.values().stream().mapToInt(c -> c[0]).sum();
        int found = byFamily.values().stream().mapToInt(c -> c[1]).sum();
        byFamily.forEach((family, c) -> System.out.printf("%s %d/%d%n", family, c[1], c[0]));
        System.out.printf("generated phone numbers found: %d/%d (%.4f)%n", found, total, (double) found / total);
        misses.stream().limit(40).forEach(m -> System.out.println("missed " + m));
        assertThat(total).as("seeded, so always the same numbers").isEqualTo(8_040);
        // before the fourth phone round: 6,871 of 7,800 (0.881); international 1,433 of 1,440, dotted 300 of 1,160
        // Python Faker round: 7,236 -> 7,299 (dotted 661 -> 724: short dotted groups after a phone keyword, and four
        // dotted groups with one above 255 are no IP address); national layouts round: India added (8,040 numbers),
        // 7,539 found
        assertThat((double) found / total).as("recall on generated numbers").isGreaterThanOrEqualTo(0.935);
        assertThat(byFamily.get("INTERNATIONAL")[1]).as("international").isGreaterThanOrEqualTo(1_437);
        assertThat(byFamily.get("DOTTED")[1]).as("dotted").isGreaterThanOrEqualTo(724);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+43 663 085409097", "+49 4947 998734964", "+43 648 5120158172"})
    void anInternationalNumberIsNoCardWhenItsNationalPartPassesLuhn(String phone) {
        assertThat(phones("Call me on " + phone + " tomorrow.")).containsExactly(phone);
        assertThat(PiiScanner.all().scan("Card 4111 1111 1111 1111, phone " + phone).stream()
                .map(e -> e.type() + " " + e.value()))
                .containsExactly("CREDIT_CARD 4111 1111 1111 1111", "PHONE " + phone);
    }

    @Test
    void anInternationalNumberIsNoSsnWhenItsNationalPartHasAnSsnShape() {
        assertThat(phones("The number +358 50 9914 was disconnected.")).containsExactly("+358 50 9914");
        assertThat(PiiScanner.all().scan("SSN 358 50 9914").stream().map(PiiEntity::type))
                .containsExactly(PiiType.US_SSN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0800.169.6591", "044.123.45.67", "01276.61558", "030.12345678", "0471.23.45.67"})
    void dotsAfterATrunkZeroAreAPhone(String phone) {
        assertThat(phones("The number " + phone + " was disconnected.")).containsExactly(phone);
    }

    @Test
    void dottedGroupsWithoutATrunkZeroNeedAPhoneKeyword() {
        assertThat(phones("Tel. 912.345.678, mornings")).containsExactly("912.345.678");
        assertThat(phones("Phone: 973.90.72.33")).containsExactly("973.90.72.33");
        assertThat(phones("The budget is 912.345.678 this year")).isEmpty();
        assertThat(phones("Version 973.90.72.33 is out")).isEmpty();
        assertThat(phones("The number 969.06.09.26 was disconnected."))
                .as("four groups, one above 255: no IP address").containsExactly("969.06.09.26");
        assertThat(phones("Pi is 3.14159265 and e is 2.7182818")).isEmpty();
        assertThat(PiiScanner.all().scan("Phone: 212.84.105.58").stream().map(PiiEntity::type))
                .as("a valid IPv4 address stays one").containsExactly(PiiType.IP_ADDRESS);
    }

    @Test
    void aNumberCutBeforeItsExtensionEndsOnADigit() {
        // no country code "+999": the whole fails, so the last groups are dropped; "ext." must not be left over
        assertThat(phones("Call +999-680-0468 ext. 981 today")).isEmpty();
        assertThat(phones("Call 415-555-2671 ext. 98 today")).containsExactly("415-555-2671 ext. 98");
    }

    private static List<Generated> generate(String region) {
        Faker faker = new Faker(Locale.of("en", region), new Random(42));
        PhoneNumber phone = faker.phoneNumber();
        String trunk = UTIL.getNddPrefixForRegion(region, true);
        List<Generated> out = new ArrayList<>();
        for (int i = 0; i < PER_REGION; i++) {
            String international = i % 2 == 0 ? phone.phoneNumberInternational() : phone.cellPhoneInternational();
            out.add(new Generated(national(international), international, trunk == null ? "" : trunk,
                    phone.extension()));
        }
        return out;
    }

    private static String national(String international) {
        try {
            return UTIL.format(UTIL.parse(international, "ZZ"), PhoneNumberFormat.NATIONAL);
        } catch (NumberParseException e) {
            throw new IllegalStateException("datafaker wrote an unparsable number: " + international, e);
        }
    }
}
