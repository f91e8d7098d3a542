package dev.steward.guardrails.pii;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every country the recognizer reads national numbers for, in the formats libphonenumber itself writes: its example
 * fixed-line and mobile number of each region in {@link PhoneRecognizer#REGIONS} and
 * {@link PhoneRecognizer#SIX_DIGIT_REGIONS}, national ("(06 1) 234 5678") and international ("+36 1 234 5678"), in
 * sentences with and without a phone keyword.
 */
class PhoneFormatsTest {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final List<String> FRAMES = List.of(
            "Call me on %s tomorrow.", "%s", "The number %s was disconnected.", "Details: %s, ask for Anna.");

    static Stream<String> examples() {
        List<String> out = new ArrayList<>();
        List<String> regions = new ArrayList<>(PhoneRecognizer.REGIONS);
        regions.addAll(PhoneRecognizer.SIX_DIGIT_REGIONS);
        for (String region : regions) {
            for (PhoneNumberType type : List.of(PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE)) {
                PhoneNumber example = UTIL.getExampleNumberForType(region, type);
                if (example == null) {
                    continue;
                }
                for (PhoneNumberFormat format : List.of(PhoneNumberFormat.NATIONAL, PhoneNumberFormat.INTERNATIONAL)) {
                    String number = UTIL.format(example, format);
                    // an eight-digit run with no separator, or six digits, need a phone keyword on purpose
                    boolean bare = number.chars().allMatch(Character::isDigit);
                    boolean six = UTIL.getNationalSignificantNumber(example).length() == 6;
                    for (String frame : bare && number.length() < 9 || six && format == PhoneNumberFormat.NATIONAL
                            ? FRAMES.subList(0, 1) : FRAMES) {
                        out.add(region + "|" + frame.formatted(number) + "|" + number);
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void exampleNumbersOfEveryRegionAreFound(String example) {
        String[] parts = example.split("\\|");
        assertThat(phones(parts[1])).as(parts[0]).containsExactly(parts[2]);
    }

    @Test
    void sixDigitsAreAPhoneOnlyAfterAPhoneKeyword() {
        assertThat(phones("Phone: 32 10 00, mornings")).containsExactly("32 10 00");
        assertThat(phones("Room 32 10 00 is on the left")).isEmpty();
        assertThat(phones("Call 01 23 45 about it")).as("not valid in a six-digit country").isEmpty();
    }

    /** The scanner's phone findings in {@code text}, as written. */
    static List<String> phones(String text) {
        return PiiScanner.all().scan(text).stream().filter(e -> e.type() == PiiType.PHONE).map(PiiEntity::value).toList();
    }
}
