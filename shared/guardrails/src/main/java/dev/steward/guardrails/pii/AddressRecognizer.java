package dev.steward.guardrails.pii;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Street addresses, by rules. No maintained Java library parses free-text addresses across countries (libpostal
 * is a C library with a 2 GB model), so this is hand-written and measured by the benchmark.
 *
 * <p>Anchors, each a pattern a street line rarely fails to match and prose rarely matches:
 * <ol>
 *   <li>number + up to four words + English street type ("2450 Crown St", "24 Clarke Avenue");</li>
 *   <li>a continental street word (compound suffix such as -straße, -vej, -gatan, -katu, -tie, or a separate
 *       word such as "Rue", "Via", "ul.") + house number ("Parijsstraat 8", "Via Roma 131", "ul. Zamkowa 33");</li>
 *   <li>US military addresses (PSC/Unit ... Box ... APO/FPO/DPO AA 12345, USS Name FPO AE 12345);</li>
 *   <li>"the corner of X and Y";</li>
 *   <li>a unit ("Apt. 117", "Suite 464") next to another anchor.</li>
 * </ol>
 * An anchor then grows over the address block around it: a building or postal number just before it, and up to
 * four following lines or comma parts that look like address parts (unit, city, region code, country, postal
 * code). A unit or postal code on its own is not reported: too many false positives.
 */
final class AddressRecognizer implements PiiRecognizer {
    private static final String EN_TYPES = "street|st|avenue|ave|av|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|"
            + "place|pl|terrace|ter|square|sq|parkway|pkwy|highway|hwy|circle|cir|trail|trl|loop|crossroad|crossing|"
            + "pass|green|greens|crescent|cres|close|row|alley|path|pike|plaza|ridge|run|walk|heights|grove|gardens|"
            + "mews|wharf|quay|landing|meadows?|junction|harbou?r|haven|knoll|manor|mills?|oval|parade|pines|radial|"
            + "ramp|ranch|route|shores?|springs?|stravenue|summit|throughway|trace|turnpike|valley|vista|villas?|"
            + "expressway|freeway|bypass|causeway|cove|creek|crest|dale|falls|forest|glen|hollow|estates?|fields?|"
            + "brooks?|bridge|canyon|cliffs?|commons?|gateway|hills?|island|lakes?|orchard|overpass|plains?|"
            + "point|port|prairie|rest|spurs?|stream|streets|underpass|views?|village|wells?|wynd|rise|chase|"
            + "approach|mount|motorway|park|square";
    private static final String EU_SUFFIXES = "vej|veien|vegen|vejen|vei|veg|gata|gatan|gade|gaden|gasse|straße|strasse|"
            + "str|straat|strada|weg|laan|plein|gracht|kade|dijk|singel|allee|allé|platz|damm|ufer|pfad|markt|"
            + "tie|katu|kuja|polku|raitti|kaari|rinne|väylä|vägen|väg|stig|backe|torget|gränd|braut|stræti|vegur|"
            + "götu|stígur|utca|út|tér|körút|ulica|aleja|ulice|náměstí|námestie|třída|cesta|trg|ulitsa|prospekt|"
            + "sokak|sokağı|caddesi|bulevar|terrasse|vænget|toften|bakken|stien|løkken|lunden|marken|parken|engen|"
            + "plads|torv|alle|kapu|sgatan|leden|stræde|bakke|toft|baan|hof|tee|tänav|maantee|mnt|iela|gatvė|sokağı|"
            + "rkp|krt|körút|rakpart|sétány|dűlő|vegen|brekka|tún|stræti|sund|haugen|åsen|bakken|lia|berg|torp|gränd";
    private static final String EU_PREFIXES = "ul\\.|ulica|al\\.|aleja|os\\.|pl\\.|plac|via|viale|vicolo|piazza|piazzale|"
            + "corso|largo|rue|avenue|av\\.|avenida|avda\\.|calle|c/|rua|travessa|praça|largo|rambla|plaza|paseo|"
            + "carrer|carretera|camino|boulevard|bd|chemin|place|impasse|allée|quai|strada|odos|leoforos|"
            + "nám\\.|náměstí|trg|ulice|bulevar|rúa|estrada|alameda";
    private static final String NUMBER = "\\d{1,5}(?:[ -]?[A-Za-z](?![\\p{L}]))?\\.?";
    private static final String WORD = "[\\p{L}][\\p{L}'.\\-]*+";
    static final GatedPattern ENGLISH = new GatedPattern(Pattern.compile(
            "(?<![\\p{L}\\p{N}])\\d{1,6}[A-Za-z]?(?: " + WORD + "){0,4}? (?i:" + EN_TYPES + ")(?![\\p{L}])\\.?"),
            WordStarts::alphanumericStart);
    /** "3 times in a row", "2 km down the road": a lower-case article just before the street type is prose. */
    private static final Pattern ARTICLE_BEFORE_TYPE = Pattern.compile(" (?:a|an|the) \\S+$");
    private static final Set<String> SUFFIXES = Set.copyOf(Arrays.asList(EU_SUFFIXES.split("\\|")));
    private static final Set<String> PREFIXES = Set.copyOf(Arrays.asList(EU_PREFIXES.replace("\\", "").split("\\|")));
    private static final Pattern STREET_WORD = Pattern.compile("\\p{L}[\\p{L}'\\-]*+(?:\\.|/)?");
    /** After a continental street word: at most one more word (or three after a prefix word), then the house number. */
    private static final Pattern NUMBER_AFTER_SUFFIX = Pattern.compile(" (?:\\p{L}[\\p{L}'\\-]*+ )?" + NUMBER + "(?![\\p{N}])");
    private static final Pattern NUMBER_AFTER_PREFIX = Pattern.compile(" (?:" + WORD + " ){0,3}?" + NUMBER + "(?![\\p{N}])");
    private static final Pattern WORDS_AFTER_PREFIX = Pattern.compile("(?: " + WORD + "){1,4}");
    private static final Pattern NUMBER_BEFORE_PREFIX = Pattern.compile("(?<![\\p{L}\\p{N}])\\d{1,5},? $");
    private static final Pattern CAPITALIZED_BEFORE = Pattern.compile("(?:\\p{Lu}[\\p{L}'\\-]*+ ){1,2}$");
    static final GatedPattern MILITARY = new GatedPattern(Pattern.compile(
            "(?i)(?<![\\p{L}\\p{N}])(?:(?:PSC|Unit|CMR) \\d{3,5},? Box \\d{3,5}|(?:USNS|USNV|USS|USCGC) \\p{L}+)"
                    + "\\s*\\n?\\s*[ADF]PO A[AEP] \\d{5}"
                    + "|(?<![\\p{L}\\p{N}])P\\.? ?O\\.? Box \\d{1,6}"), WordStarts::alphanumericStart);
    /** "Edeby 55", "0138 Brisas 6802": capitalized words and a number, on a line followed by a unit line. */
    static final GatedPattern LINE_BEFORE_UNIT = new GatedPattern(Pattern.compile(
            "(?<![\\p{L}\\p{N}])(?:\\d{1,6} )?\\p{Lu}[\\p{L}'.\\-]*+ (?:\\p{L}[\\p{L}'.\\-]*+ ){0,2}\\d{1,5}[A-Za-z]?"
                    + "(?=[ ,]*\\n?[ >\\t]*(?i:apt\\.?|apartment|suite|unit|flat) ?#?\\d)"), WordStarts::alphanumericStart);
    /**
     * "5850 Jana Nerudy 894", "94472 Atamaria 55": a whole line of postal or building number, a capitalized name
     * and a house number, the first line of an address block in the continental order.
     */
    private static final Pattern NUMBER_NAME_NUMBER_LINE = Pattern.compile(
            "(?m)^[ \\t>]*\\d{2,6} (\\p{Lu}[\\p{L}'.\\-]*+(?: \\p{L}[\\p{L}'.\\-]*+){0,3} \\d{1,5}[A-Za-z]?)[ \\t]*$");
    /** A phrase that announces an address; what follows, up to the end of the sentence, is one if it has a digit. */
    private static final CuePhrases CUE = new CuePhrases(" ",
            "address is", "address:", "located at", "live at", "live in", "lives at", "lives in", "lived at",
            "lived in", "living at", "living in", "meet me at", "meet you at", "meet us at", "sent to",
            "send [\\w ]{0,20}? to", "ship to", "shipped to", "deliver to", "delivered to", "return to", "returned to",
            "moved to", "move to", "drop you off at", "drop me off at", "drops you off at", "drops me off at", "stop at",
            "arrived at", "located on", "is on", "office is at", "offices are at");
    private static final Pattern TRAILING_LOWERCASE = Pattern.compile("(?:[ ,]+\\p{Ll}[\\p{L}']*)+$");
    private static final Pattern CUED_ADDRESS = Pattern.compile(
            "(?=[\\p{N}\\p{Lu}])(?!(?:me|us|him|her|them|you)\\b)[^?!\\n]{0,100}?\\d[^?!\\n]{0,100}?(?=[?!]|\\.(?: |$)|\\n\\s*\\n|$)");
    private static final Pattern CORNER = Pattern.compile(
            "(?i)(?:the )?corner of (.{3,60}?) and (.{3,60}?)(?=[.,;!?\\n]|$)");
    private static final Pattern UNIT = Pattern.compile(
            "(?<![\\p{L}])(?i:apt\\.?|apartment|suite|ste\\.|unit|flat|floor|fl\\.) ?#?\\d{1,5}[A-Za-z]?(?![\\p{L}\\p{N}])");
    /** A building or postal number and/or a unit line directly before an anchor ("91196 Apt. 026\\n Parijsstraat 8"). */
    private static final Pattern BEFORE = Pattern.compile("(?:(?<![\\p{L}\\p{N}])\\d{1,6}[ ,]{1,2})?(?:" + UNIT.pattern()
            + "[ ,]*\\n?[ \\t]*)?$");
    /** One line or comma part after an anchor that still belongs to the address. */
    private static final Pattern CONTINUATION = Pattern.compile(
            "(?:(?i:apt\\.?|apartment|suite|ste\\.|unit|flat|floor) ?#?\\d{1,5}[A-Za-z]?"
                    + "|[A-Z]{1,2}\\d[A-Z\\d]? ?\\d[A-Z]{2}"                       // UK postcode
                    + "|[A-Z]\\d[A-Z] ?\\d[A-Z]\\d"                                // Canadian postcode
                    + "|\\d{3,5}(?:[ -]\\d{2,4})?(?: [A-Z]{2})?"                   // postal codes
                    + "|(?:[A-Z]{2,3}|nan)"                                         // region codes
                    + "|\\p{Lu}[\\p{L}'.\\-]*(?: (?:\\p{L}[\\p{L}'.\\-]*|\\(\\p{L}+\\)))"
                    + "{0,3}(?: \\d{3,5}(?:[ -]\\d{2,4})?)?"                       // city / country [+ postcode]
                    + "|\\p{Lu}[\\p{Lu}'.\\- ]{1,30}(?: \\d{3,5})?"                // CITY IN CAPITALS
                    + "|\\d{3,5} \\p{Lu}[\\p{L}'.\\-]*(?: \\p{L}[\\p{L}'.\\-]*){0,2}"  // postcode + city
                    + ")(?=[ \\t]*\\.?[ \\t]*$)");
    private static final Pattern SEPARATOR = Pattern.compile("^(?:[ \\t]*\\n[ \\t>]*|,[ \\t]*\\n?[ \\t>]*|[ \\t]+)");

    @Override
    public List<PiiEntity> find(String text) {
        List<int[]> anchors = new ArrayList<>();
        continentalAnchors(text, anchors);
        BitSet cueEnds = CUE.ends(text);
        for (int cueEnd = cueEnds.nextSetBit(0); cueEnd >= 0; cueEnd = cueEnds.nextSetBit(cueEnd + 1)) {
            Matcher a = CUED_ADDRESS.matcher(text).region(cueEnd, Math.min(text.length(), cueEnd + 200));
            a.useTransparentBounds(true);
            if (a.lookingAt() && a.end() > a.start()) {
                // "send it to 24 Clarke Avenue please": trailing lower-case words are the sentence, not the address
                Matcher tail = TRAILING_LOWERCASE.matcher(text).region(a.start(), a.end());
                int end = tail.find() ? tail.start() : a.end();
                if (end > a.start() && text.substring(a.start(), end).chars().anyMatch(Character::isDigit)) {
                    anchors.add(new int[] {a.start(), end});
                }
            }
        }
        for (GatedPattern p : List.of(ENGLISH, MILITARY, LINE_BEFORE_UNIT)) {
            for (MatchResult m : p.find(text)) {
                if (p == ENGLISH && ARTICLE_BEFORE_TYPE.matcher(m.group()).find()) {
                    continue;
                }
                int end = m.end();
                // A trailing dot belongs to the address only as an abbreviation ("Rd."), not as a full stop.
                if (end > m.start() && text.charAt(end - 1) == '.' && (end == text.length() || text.charAt(end) == '\n'
                        || Character.isWhitespace(text.charAt(end)) && isSentenceEnd(text, end))) {
                    end--;
                }
                anchors.add(new int[] {m.start(), end});
            }
        }
        Matcher line = NUMBER_NAME_NUMBER_LINE.matcher(text);
        while (line.find()) {
            anchors.add(new int[] {line.start(1), line.end(1)});
        }
        Matcher corner = CORNER.matcher(text);
        while (corner.find()) {
            anchors.add(new int[] {corner.start(), corner.end()});
        }
        if (anchors.isEmpty()) {
            return List.of();
        }
        List<PiiEntity> out = new ArrayList<>();
        for (int[] a : anchors) {
            int start = extendBackward(text, a[0]);
            int end = extendForward(text, a[1]);
            out.add(PiiEntity.of(PiiType.STREET_ADDRESS, text, start, end, 0.7));
        }
        return out;
    }

    /**
     * Continental streets, found word by word (a regex alternation over a hundred suffixes at every word end was
     * the slowest part of PII scanning): "Parijsstraat 8", "Brucker Bundesstrasse 31", "Via Roma 131",
     * "ul. Zamkowa 33", "12 rue de la Paix".
     */
    private static void continentalAnchors(String text, List<int[]> anchors) {
        Matcher w = STREET_WORD.matcher(text);
        while (w.find()) {
            int start = w.start();
            if (start > 0 && Character.isLetterOrDigit(text.charAt(start - 1))) {
                continue;
            }
            String word = w.group().toLowerCase(Locale.ROOT);
            if (PREFIXES.contains(word)) {
                Matcher num = NUMBER_AFTER_PREFIX.matcher(text).region(w.end(), text.length());
                if (num.lookingAt()) {
                    anchors.add(new int[] {start, num.end()});
                    continue;
                }
                Matcher before = NUMBER_BEFORE_PREFIX.matcher(text).region(Math.max(0, start - 8), start);
                before.useTransparentBounds(true);
                Matcher words = WORDS_AFTER_PREFIX.matcher(text).region(w.end(), text.length());
                if (before.find() && words.lookingAt()) {
                    anchors.add(new int[] {before.start(), words.end()});
                }
                continue;
            }
            String bare = word.endsWith(".") || word.endsWith("/") ? word.substring(0, word.length() - 1) : word;
            // "Parijsstraat 8", or a lower-case street word after a capitalized name ("Stensås terrasse 38")
            boolean capitalized = Character.isUpperCase(w.group().charAt(0))
                    || start >= 2 && text.charAt(start - 1) == ' ' && previousWordCapitalized(text, start - 1);
            if (!capitalized || !hasStreetSuffix(bare)) {
                continue;
            }
            Matcher num = NUMBER_AFTER_SUFFIX.matcher(text).region(w.end(), text.length());
            if (num.lookingAt()) {
                Matcher cap = CAPITALIZED_BEFORE.matcher(text).region(Math.max(0, start - 40), start);
                anchors.add(new int[] {cap.find() ? cap.start() : start, num.end()});
            }
        }
    }

    private static boolean previousWordCapitalized(String text, int spaceAt) {
        int i = spaceAt - 1;
        while (i > 0 && Character.isLetter(text.charAt(i - 1))) {
            i--;
        }
        return i < spaceAt && Character.isUpperCase(text.charAt(i));
    }

    private static boolean hasStreetSuffix(String word) {
        for (int len = 2; len <= Math.min(8, word.length()); len++) {
            if (SUFFIXES.contains(word.substring(word.length() - len))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isSentenceEnd(String text, int i) {
        int j = i;
        while (j < text.length() && text.charAt(j) == ' ') {
            j++;
        }
        return j == text.length() || Character.isUpperCase(text.charAt(j)) || text.charAt(j) == '\n';
    }

    private static int extendBackward(String text, int start) {
        int from = Math.max(0, start - 40);
        Matcher m = BEFORE.matcher(text).region(from, start);
        m.useTransparentBounds(true);
        return m.find() && m.start() < start ? m.start() : start;
    }

    private static int extendForward(String text, int end) {
        int parts = 0;
        int pos = end;
        while (parts < 5 && pos < text.length()) {
            Matcher sep = SEPARATOR.matcher(text).region(pos, text.length());
            sep.useAnchoringBounds(true);
            if (!sep.lookingAt()) {
                break;
            }
            int partStart = sep.end();
            int lineEnd = nextBoundary(text, partStart);
            Matcher cont = CONTINUATION.matcher(text).region(partStart, lineEnd);
            if (!cont.lookingAt() || cont.end() == partStart) {
                break;
            }
            int partEnd = cont.end();
            // A continuation must end the line or comma part; otherwise it is the start of a sentence.
            if (partEnd < lineEnd && !text.substring(partEnd, lineEnd).isBlank()) {
                String rest = text.substring(partEnd, lineEnd).strip();
                if (!rest.matches("[.]?")) {
                    break;
                }
            }
            pos = partEnd;
            end = partEnd;
            parts++;
        }
        return end;
    }

    private static int nextBoundary(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == ',') {
                return i;
            }
        }
        return text.length();
    }
}
