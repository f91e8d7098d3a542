package dev.steward.guardrails.pii;

import static dev.steward.guardrails.pii.PhoneFormatsTest.phones;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Phone numbers as Python Faker writes them: the format strings of its European, American and Oceanian locales
 * ({@code python-faker-phone-formats.tsv}, with their source and licence), numerified as Faker does with a seeded
 * random, {@link #PER_FORMAT} numbers per listed format (a format Faker lists twice is drawn twice as often there,
 * and so here), each in the sentence frames of {@link FakerPhoneFormatsTest}. A number counts as found when the
 * scanner's only phone finding is exactly that number. Faker fills its formats with random digits, so many numbers
 * are not assigned anywhere ("001-###-###-####" gives US area codes starting with 0 or 1); such a number is still
 * found when its grouping makes it possible in a country the recognizer knows.
 *
 * <p>What is still missed is missed by rule, or cannot be dialled: bare runs of seven or eight digits without a
 * phone keyword (no_NO, da_DK, en_AU, en_NZ, es_CO: "94304874"; mostly amounts and ids in real text), Luxembourg's
 * six-digit numbers without a keyword ("22 90 82"), en_AU's dotted "4447.2268" without a keyword (also an amount);
 * and, without a phone keyword, what Faker fills so that no one could dial it: a bare national number that starts
 * with "00", the international prefix ("00560974722"), dk_DK's German-length "+45(0)0593 233793", es_MX's random
 * country code ("+60(9)7436293580"), es_AR's "+54 9 3104 2783" (a mobile one digit short); with or without one,
 * es_CO's country code without a "+" ("573199102811"). After a phone keyword a number with a country code that exists
 * is found whatever its length, and so is any run of seven digits or more (see PhoneRecognizer).
 */
class PythonFakerPhoneFormatsTest {
    private static final int PER_FORMAT = 4;
    private static final Pattern ELEMENT = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}");

    /** How a format writes a number: with a country code, with an extension, with a trunk zero, or otherwise. */
    enum Family {
        EXTENSION, INTERNATIONAL, TRUNK, OTHER_NATIONAL;

        static Family of(String format) {
            if (format.contains("x")) {
                return EXTENSION;
            }
            if (format.startsWith("+") || format.startsWith("(+") || format.startsWith("00")) {
                return INTERNATIONAL;
            }
            return format.startsWith("0") || format.startsWith("(0") ? TRUNK : OTHER_NATIONAL;
        }
    }

    /** One format of a locale; {@code list} is Faker's attribute ("formats", "cellphone_formats", ...). */
    record Format(String locale, String list, String format) {}

    /** The formats and, per locale and element name ("en_AU {{area_code}}"), the element tables. */
    record Formats(List<Format> formats, Map<String, List<String>> elements) {}

    @Test
    void pythonFakerNumbersOfEveryLocaleAreFound() {
        Formats table = load();
        Random random = new Random(42);
        Map<String, int[]> byLocale = new TreeMap<>();
        Map<Family, int[]> byFamily = new TreeMap<>();
        Map<String, List<String>> missesByFormat = new LinkedHashMap<>();
        for (Format format : table.formats()) {
            Family family = Family.of(format.format());
            for (int i = 0; i < PER_FORMAT; i++) {
                String number = numerify(expand(format, table.elements(), random), random);
                for (String frame : FakerPhoneFormatsTest.FRAMES) {
                    String text = frame.formatted(number);
                    boolean found = phones(text).equals(List.of(number));
                    count(byLocale.computeIfAbsent(format.locale(), l -> new int[2]), found);
                    count(byFamily.computeIfAbsent(family, f -> new int[2]), found);
                    if (!found) {
                        missesByFormat.computeIfAbsent(format.locale() + " " + format.format(), k -> new ArrayList<>())
                                .add(text);
                    }
                }
            }
        }
        byLocale.forEach((locale, c) -> System.out.printf("%s %d/%d (%.3f)%n", locale, c[1], c[0], (double) c[1] / c[0]));
        byFamily.forEach((family, c) -> System.out.printf("%s %d/%d (%.3f)%n", family, c[1], c[0], (double) c[1] / c[0]));
        int total = byLocale.values().stream().mapToInt(c -> c[0]).sum();
        int found = byLocale.values().stream().mapToInt(c -> c[1]).sum();
        System.out.printf("Python Faker phone numbers found: %d/%d (%.4f)%n", found, total, (double) found / total);
        missesByFormat.forEach((format, texts) -> System.out.printf("missed %s: %d, e.g. %s%n", format, texts.size(),
                texts.subList(0, Math.min(2, texts.size()))));
        assertThat(total).as("seeded, so always the same numbers").isEqualTo(table.formats().size() * PER_FORMAT
                * FakerPhoneFormatsTest.FRAMES.size());
        assertThat((double) found / total).as("recall on Python Faker numbers").isGreaterThanOrEqualTo(0.959);
        assertThat(byFamily.get(Family.INTERNATIONAL)[1]).as("with a country code").isGreaterThanOrEqualTo(4_070);
        assertThat(byFamily.get(Family.OTHER_NATIONAL)[1]).as("no country code, no trunk zero")
                .isGreaterThanOrEqualTo(2_728);
    }

    @Test
    void shortDottedGroupsAreAPhoneAfterAPhoneKeyword() {
        assertThat(phones("Call me on 4447.2268 tomorrow.")).containsExactly("4447.2268");
        assertThat(phones("Tel. 02.4447.2268")).containsExactly("02.4447.2268");
        assertThat(phones("The number 4447.2268 was disconnected.")).as("an amount, too").isEmpty();
        assertThat(phones("Call 98.6543 tomorrow.")).as("six digits").isEmpty();
        assertThat(phones("Call 3.14159265 tomorrow.")).as("a decimal").isEmpty();
    }

    private static void count(int[] count, boolean found) {
        count[0]++;
        count[1] += found ? 1 : 0;
    }

    /** The format with each {{element}} replaced by a random entry of its locale's table. */
    static String expand(Format format, Map<String, List<String>> elements, Random random) {
        Matcher m = ELEMENT.matcher(format.format());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            List<String> values = elements.get(format.locale() + " {{" + m.group(1) + "}}");
            if (values == null) {
                throw new IllegalStateException("no table " + m.group() + " for " + format.locale());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(values.get(random.nextInt(values.size()))));
        }
        return m.appendTail(out).toString();
    }

    /**
     * Python Faker's {@code numerify}: '#' a digit, '%' a digit 1-9, '$' a digit 2-9, '!' a digit or nothing, '@' a
     * digit 1-9 or nothing; everything else stays.
     */
    static String numerify(String format, Random random) {
        StringBuilder out = new StringBuilder();
        for (char c : format.toCharArray()) {
            switch (c) {
                case '#' -> out.append(random.nextInt(10));
                case '%' -> out.append(1 + random.nextInt(9));
                case '$' -> out.append(2 + random.nextInt(8));
                case '!' -> {
                    if (random.nextBoolean()) {
                        out.append(random.nextInt(10));
                    }
                }
                case '@' -> {
                    if (random.nextBoolean()) {
                        out.append(1 + random.nextInt(9));
                    }
                }
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static Formats load() {
        List<Format> formats = new ArrayList<>();
        Map<String, List<String>> elements = new LinkedHashMap<>();
        try (InputStream in = PythonFakerPhoneFormatsTest.class.getResourceAsStream("python-faker-phone-formats.tsv");
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cols = line.split("\t", -1);
                if (cols[1].startsWith("{{")) {
                    elements.computeIfAbsent(cols[0] + " " + cols[1], k -> new ArrayList<>()).add(cols[2]);
                } else {
                    formats.add(new Format(cols[0], cols[1], cols[2]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Formats(formats, elements);
    }
}
