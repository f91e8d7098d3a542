package dev.steward.guardrails.pii;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every country the recognizer reads national numbers for, in the formats libphonenumber itself writes: its example
 * fixed-line and mobile number of each region in {@link PhoneRecognizer#REGIONS}, national ("(06 1) 234 5678") and
 * international ("+36 1 234 5678"), in sentences with and without a phone keyword.
 */
class PhoneFormatsTest {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final List<String> FRAMES = List.of(
            "Call me on %s tomorrow.", "%s", "The number %s was disconnected.", "Details: %s, ask for Anna.");

    static Stream<String> examples() {
        List<String> out = new ArrayList<>();
        for (String region : PhoneRecognizer.REGIONS) {
            for (PhoneNumberType type : List.of(PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE)) {
                PhoneNumber example = UTIL.getExampleNumberForType(region, type);
                if (example == null) {
                    continue;
                }
                for (PhoneNumberFormat format : List.of(PhoneNumberFormat.NATIONAL, PhoneNumberFormat.INTERNATIONAL)) {
                    String number = UTIL.format(example, format);
                    // an eight-digit run with no separator and no keyword is not taken for a phone on purpose
                    boolean bare = number.chars().allMatch(Character::isDigit);
                    for (String frame : bare && number.length() < 9 ? FRAMES.subList(0, 1) : FRAMES) {
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
        List<String> phones = PiiScanner.all().scan(parts[1]).stream()
                .filter(e -> e.type() == PiiType.PHONE).map(PiiEntity::value).toList();
        assertThat(phones).as(parts[0]).containsExactly(parts[2]);
    }
}
