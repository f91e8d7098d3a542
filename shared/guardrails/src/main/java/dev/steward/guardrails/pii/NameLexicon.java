package dev.steward.guardrails.pii;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Given names and surnames for {@link PersonRecognizer}: our own {@code first-names.txt} plus the name lists of
 * the Latin-script locales in the datafaker jar (Apache-2.0, Maven Central), read from its YAML locale files
 * as plain text. Only the lists are used, not datafaker's generator. Names are stored folded
 * ({@link PersonRecognizer#fold}); names of one or two letters are left out (too many are words or initials).
 * Loaded once, immutable, thread-safe.
 */
final class NameLexicon {
    /** datafaker locale files with Latin-script name lists (English file names are under {@code en/}). */
    private static final List<String> LOCALES = List.of(
            "en/name.yml", "en-AU.yml", "en-CA.yml", "en-GB.yml", "en-NZ.yml", "en-US.yml",
            "en-ZA.yml", "en-NG.yml", "en-PH.yml", "en-PK.yml", "en-SG.yml", "en-UG.yml", "en-IN.yml",
            "de.yml", "de-AT.yml", "de-CH.yml", "nl.yml", "nl-BE.yml", "fr.yml", "fr-CA.yml", "fr-CH.yml",
            "it.yml", "es.yml", "es-MX.yml", "es-AR.yml", "ca.yml", "ca-CAT.yml", "pt.yml", "pt-BR.yml",
            "sv.yml", "sv-SE.yml", "nb-NO.yml", "no-NO.yml", "da-DK.yml", "fi-FI.yml", "et.yml", "lv.yml",
            "pl.yml", "cs.yml", "cs-CZ.yml", "sk.yml", "hu.yml", "hr.yml", "sq.yml", "tr.yml", "ro-MD.yml",
            "id.yml", "id-ID.yml", "vi.yml");
    private static final Pattern INLINE = Pattern.compile("^\\s*([a-z_]+):\\s*\\[(.*)]\\s*$");
    private static final Pattern KEY = Pattern.compile("^\\s*([a-z_]+):\\s*$");
    private static final Pattern ITEM = Pattern.compile("^\\s*-\\s*(.+?)\\s*$");
    private static final Pattern NAME = Pattern.compile("[\\p{IsLatin}][\\p{IsLatin}'’ -]+");
    private static final Set<String> FIRST_KEYS = Set.of("first_name", "male_first_name", "female_first_name");
    private static final Set<String> LAST_KEYS = Set.of("last_name");
    /** Countries and US states: "France", "Georgia" are given names in some lists, but mostly places. */
    private static final Set<String> PLACE_KEYS = Set.of("country", "state");

    private final Set<String> firstNames;
    private final Set<String> lastNames;

    private NameLexicon(Set<String> firstNames, Set<String> lastNames) {
        this.firstNames = Set.copyOf(firstNames);
        this.lastNames = Set.copyOf(lastNames);
    }

    static NameLexicon load(Function<String, InputStream> ownResource) {
        Set<String> first = new HashSet<>();
        Set<String> last = new HashSet<>();
        Set<String> places = new HashSet<>();
        ClassLoader loader = NameLexicon.class.getClassLoader();
        for (String file : LOCALES) {
            readYaml(loader.getResourceAsStream(file), Map.of(FIRST_KEYS, first, LAST_KEYS, last));
        }
        readYaml(loader.getResourceAsStream("en/address.yml"), Map.of(PLACE_KEYS, places));
        first.removeAll(places);
        last.removeAll(places);
        readOwnList(ownResource.apply("first-names.txt"), first);
        return new NameLexicon(first, last);
    }

    /** A given name, folded key. */
    boolean isFirstName(String key) {
        return firstNames.contains(key);
    }

    /** A surname, folded key. */
    boolean isLastName(String key) {
        return lastNames.contains(key);
    }

    private static void readOwnList(InputStream in, Set<String> into) {
        if (in == null) {
            throw new IllegalStateException("first-names.txt missing from the classpath");
        }
        try (in; BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.startsWith("#")) {
                    for (String name : line.split("\\s+")) {
                        if (!name.isEmpty()) {
                            into.add(PersonRecognizer.fold(name));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the lists under the given keys; a locale file missing from the datafaker version in use is skipped. */
    private static void readYaml(InputStream in, Map<Set<String>, Set<String>> targets) {
        if (in == null) {
            return;
        }
        try (in) {
            readYaml(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), targets);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void readYaml(BufferedReader reader, Map<Set<String>, Set<String>> targets) throws IOException {
        Set<String> current = null;
        String line;
        while ((line = reader.readLine()) != null) {
            if (current == null && line.indexOf("name:") < 0 && line.indexOf("country:") < 0
                    && line.indexOf("state:") < 0) {
                continue;
            }
            Matcher inline = INLINE.matcher(line);
            if (inline.matches()) {
                Set<String> target = target(inline.group(1), targets);
                if (target != null) {
                    for (String value : inline.group(2).split(",")) {
                        add(value, target);
                    }
                }
                current = null;
                continue;
            }
            Matcher key = KEY.matcher(line);
            if (key.matches()) {
                current = target(key.group(1), targets);
                continue;
            }
            Matcher item = ITEM.matcher(line);
            if (item.matches()) {
                if (current != null) {
                    add(item.group(1), current);
                }
            } else {
                current = null;
            }
        }
    }

    private static Set<String> target(String key, Map<Set<String>, Set<String>> targets) {
        for (var e : targets.entrySet()) {
            if (e.getKey().contains(key)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static void add(String raw, Set<String> into) {
        String value = raw.strip();
        if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')) {
            value = value.substring(1, value.length() - 1);
        }
        if (value.length() >= 3 && NAME.matcher(value).matches()) {
            into.add(PersonRecognizer.fold(value));
        }
    }
}
