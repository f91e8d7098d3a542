package dev.steward.guardrails.pii;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Person names, by lexicon and rules (no NER model: nothing may be downloaded at run time, and the ONNX NER
 * models we could ship are 50-400 MB). A name starts at
 * <ul>
 *   <li>a capitalized given name from {@code first-names.txt} (about 2,800 names across the languages our
 *       tenants write in), unless it is also a common English word at the start of a sentence ("May", "Will");</li>
 *   <li>a capitalized word after an honorific (Mr., Ms., Dr., Frau, ...) or after a cue ("my name is", "Dear",
 *       "Hi", "said", "by", "named");</li>
 *   <li>a capitalized word with a typical surname ending (-sson, -sen, -ová, -ski, -vić, -nen, ...) after
 *       another capitalized word;</li>
 * </ul>
 * and runs over following capitalized words and initials on the same line (surnames, "Ella H. Snider").
 * Lower-case names are taken only after an explicit cue ("my name is mika"). Names joined to a found name by
 * "and" or a comma in a list are names, and every other occurrence of a found name in the same text is one too.
 */
final class PersonRecognizer implements PiiRecognizer {
    private static final NameLexicon NAMES = NameLexicon.load(PersonRecognizer.class::getResourceAsStream);
    /** Given names that are also everyday English words: not a name at a sentence start unless a surname follows. */
    private static final Set<String> AMBIGUOUS = words(
            "will", "may", "mark", "bill", "grace", "hope", "joy", "rose", "june", "april", "august", "art", "dawn",
            "faith", "guy", "ray", "summer", "page", "lane", "chase", "hunter", "sky", "rock", "river", "iris", "ruby",
            "max", "jack", "frank", "pat", "sue", "rob", "dean", "lee", "gene", "bob", "ed", "don", "jan", "kay",
            "mia", "eve", "penny", "holly", "ivy", "jade", "amber", "crystal", "star", "sunny", "victor", "major",
            "sterling", "paris", "florence", "virginia", "georgia", "austin", "jordan", "china", "india", "lily",
            "daisy", "violet", "willow", "angel", "carol", "christian", "miles", "rich", "hardy", "noble", "young",
            "long", "short", "little", "king", "earl", "duke", "baron", "gay", "harmony", "liberty", "destiny",
            "tim", "tom", "nick", "drew", "reed", "wade", "rusty", "dusty", "misty", "brook", "cliff", "glen",
            "dale", "heath", "forest", "wood", "stone", "clay", "storm", "autumn", "winter", "spring", "melody",
            "grant", "bo", "li", "na", "yu", "an", "jun", "tao", "sandy", "so", "al", "eli", "pia", "ida", "liv",
            "per", "bo", "ole", "else", "ella", "emil", "ines", "mina", "nina", "tina", "lena", "ada", "ana", "nur",
            "said", "van", "von", "de", "la", "le", "del", "della", "da", "di", "du", "dos", "das", "ben", "abdel");
    private static final Set<String> STOP = words(
            "the", "a", "an", "and", "or", "but", "of", "in", "on", "at", "to", "for", "from", "by", "with", "is",
            "was", "are", "were", "be", "been", "i", "he", "she", "we", "they", "it", "you", "this", "that", "these",
            "those", "my", "your", "his", "her", "our", "their", "its", "me", "him", "us", "them", "if", "so", "as",
            "not", "no", "yes", "i'm", "i've", "i'll", "i'd", "let's", "it's", "that's", "hi", "hello", "dear", "thanks", "thank", "please", "inc", "inc.", "ltd", "ltd.",
            "llc", "corp", "corp.", "corporation", "company", "co", "co.", "group", "university", "bank", "street",
            "st", "st.", "avenue", "road", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
            "sunday", "january", "february", "march", "april", "june", "july", "september", "october", "november",
            "december", "mr", "mrs", "ms", "dr", "prof", "sir", "madam", "am", "pm", "ok", "okay", "what", "when",
            "where", "who", "why", "how", "which", "there", "here", "then", "than", "also", "just", "all", "any",
            "some", "every", "each", "new", "old", "north", "south", "east", "west", "email", "phone", "mobile",
            "fax", "desk", "address", "tel", "re", "fw", "fwd", "subject", "from:", "to:", "cc", "bcc", "apt",
            "suite", "unit", "po", "box", "mail", "website", "name", "personal", "info", "ceo", "cto", "cfo",
            "manager", "director", "engineer", "consultant", "officer", "president", "via", "rue", "ul", "has",
            "had", "have", "will", "would", "can", "could", "should", "did", "does", "do", "said", "says", "told",
            "asked", "too", "very", "after", "before", "about", "over", "under", "into", "out", "up", "down",
            "while", "during", "since", "until", "because", "although", "though", "however", "other", "another",
            // the German formal "you", capitalized in every sentence ("Könnten Sie ...")
            "sie", "ihnen", "ihr", "ihre", "ihren", "ihrem", "ihrer", "ihres");
    private static final CuePhrases HONORIFIC = new CuePhrases("\\.? +(?=\\p{L})",
            "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lady", "lord", "herr", "frau", "mme", "mlle",
            "m", "sr", "sra", "srta", "señor", "señora", "signor", "signora", "sig", "sig\\.ra", "dott", "ing", "pan",
            "pani", "fru", "hr", "fr");
    private static final CuePhrases CUE = new CuePhrases("[,:]? *(?=\\p{L})",
            "my name is", "name is", "name's", "i am", "i'm", "call me", "called", "named", "name:", "dear", "hi",
            "hello", "hey", "thanks", "thank you", "regards", "sincerely", "cheers", "signed", "said", "says", "asked",
            "told", "by", "ask for", "contact", "spoke to", "spoke with", "talk to", "talked to", "meet", "met",
            "married", "wife", "husband", "son", "daughter", "mother", "father", "brother", "sister", "friend",
            "colleague", "manager", "assistant to", "it to", "under", "last name\\?", "first name\\?", "tenant",
            "patient", "customer", "client", "author", "producer", "player", "singer", "writer", "actor", "actress",
            "director");
    /** Cues after which even a lower-case word is a name ("my name is mika"). */
    private static final CuePhrases STRONG_CUE = new CuePhrases("[,:]? *(?=\\p{L})",
            "my name is", "name is", "name's", "call me", "calls me", "i'm", "i am", "named", "called", "dear", "hi",
            "hello");
    private static final Pattern SURNAME_ENDING = Pattern.compile(
            "(?i).+(?:sson|son|sen|sdóttir|dóttir|ová|ova|ská|ski|ska|sky|skij|skaya|wicz|wski|vić|vič|ović|ević|"
                    + "ić|nen|lä|escu|eanu|poulos|opoulos|idis|akis|iadis|enko|chuk|yuk|ov|ev|eva|"
                    + "oğlu|ez|elli|etti|ucci|ardi|mann|berg|stein|feld|hoff|ák|ík|ý|á|"
                    + "ics|ffy|dze|shvili)$");
    /** Words of organizations, places and business tools ("Customer Support", "Management Tool"). */
    private static final Set<String> ORGANIZATION_WORDS = words(
            "technologies", "technology", "investments", "services", "lines", "force", "inc", "corporation", "corp",
            "group", "systems", "solutions", "labs", "bank", "partners", "holdings", "international", "global",
            "university", "college", "school", "hospital", "foundation", "institute", "agency", "council",
            "department", "ministry", "association", "society", "club", "team", "media", "software", "networks",
            "capital", "consulting", "explorer", "data", "public", "united", "states", "kingdom", "republic",
            "airlines", "motors", "energy", "company", "industries", "enterprises", "ventures", "studios", "records",
            "press", "news", "times", "journal", "markets", "insurance", "financial", "pharmaceuticals", "health",
            "analytics", "digital", "communications", "logistics", "electric", "street", "avenue", "road", "city",
            "county", "river", "lake", "mount", "island", "islands", "beach", "park", "airport", "station", "hotel",
            "restaurant", "cafe", "centre", "center", "ltd", "llc", "gmbh", "ag", "sa", "plc", "co", "day",
            "service", "support", "saas", "platform", "tool", "tools", "management", "app", "cloud");
    /**
     * Software products and vendors that support and business texts name all the time. Some are in the datafaker
     * name lists ("Okta"), others follow a cue ("Contact Slack support", "Dear Zendesk team"); none is a person.
     * Product names that are also common surnames (Jenkins, Norton) stay out: a word here suppresses every
     * person name that contains it.
     */
    private static final Set<String> PRODUCTS = words(
            "okta", "microsoft", "slack", "zendesk", "hubspot", "salesforce", "jira", "confluence", "atlassian",
            "github", "gitlab", "bitbucket", "dropbox", "asana", "trello", "notion", "shopify", "stripe", "twilio",
            "intercom", "freshdesk", "servicenow", "workday", "docusign", "mailchimp", "quickbooks", "xero", "zoom",
            "outlook", "azure", "aws", "google", "gmail", "sap", "oracle", "adobe", "airtable", "figma", "datadog",
            "pagerduty", "splunk", "tableau", "snowflake", "databricks", "kubernetes", "docker", "linkedin", "paypal",
            "whatsapp", "youtube", "facebook", "instagram", "netflix", "spotify", "datarobot", "laravel", "macbook");
    /** Words that make a capitalized sequence an organization, a place or a product, not a person. */
    private static final Set<String> NOT_A_PERSON = union(ORGANIZATION_WORDS, PRODUCTS);
    private static final Set<String> LIST_WORDS = words("and", "or", "und", "oder", "et", "y", "to");
    private static final Set<String> PLACE_PREPOSITIONS = words(
            "in", "at", "from", "to", "near", "into", "via", "towards", "of", "on", "as", "nach", "aus", "bei", "im");
    /** "Jana Nerudy 894", "Luite tee 87": a name followed by a house number is a street. */
    private static final Pattern STREET_NAME_AFTER = Pattern.compile("\\.? (?:\\p{Ll}+\\.? )?\\d");
    /** "Marshall, Hernandez and Simpson": three single names joined by a comma and "and" are a firm's name. */
    private static final Pattern PARTNERS = Pattern.compile(
            "\\p{Lu}[\\p{L}'-]+, \\p{Lu}[\\p{L}'-]+,? (?:and|&|und) \\p{Lu}[\\p{L}'-]+");
    private static final Pattern TOKEN = Pattern.compile("[\\p{L}][\\p{L}'’\\-]*\\.?");

    @Override
    public List<PiiEntity> find(String text) {
        List<Token> tokens = tokenize(text);
        // one pass per cue list; a token is cued when a cue match ends where it starts
        BitSet cued = CUE.ends(text);
        BitSet honorifics = HONORIFIC.ends(text);
        BitSet strongCued = STRONG_CUE.ends(text);
        List<int[]> names = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            boolean cue = cued.get(t.start);
            boolean honorific = honorifics.get(t.start);
            boolean start;
            if (t.capitalized()) {
                String key = t.key();
                boolean known = NAMES.isFirstName(key) && !STOP.contains(key);
                boolean nextCapitalized = i + 1 < tokens.size() && sameLine(text, t, tokens.get(i + 1))
                        && (tokens.get(i + 1).capitalized() || tokens.get(i + 1).initial())
                        && !STOP.contains(tokens.get(i + 1).key());
                if (known && AMBIGUOUS.contains(key) && !nextCapitalized && !cue && !honorific) {
                    known = false;
                }
                Token next = nextCapitalized ? tokens.get(i + 1) : null;
                boolean surnamePair = next != null && !STOP.contains(key) && !t.allCaps()
                        && onlySpaceBetween(text, t, next) && !NOT_A_PERSON.contains(key)
                        && (SURNAME_ENDING.matcher(next.key()).matches() && next.text.length() > 4
                                && !sentenceStart(text, t.start) || NAMES.isLastName(next.key()) && !AMBIGUOUS.contains(next.key()));
                start = known || surnamePair || ((cue || honorific) && !STOP.contains(key) && !t.allCaps())
                        || bareSurname(text, tokens, i);
            } else {
                // lower-case names only right after an explicit cue ("my name is mika")
                start = strongCued.get(t.start) && t.lowercase() && NAMES.isFirstName(t.key()) && !STOP.contains(t.key())
                        && !AMBIGUOUS.contains(t.key());
            }
            if (!start) {
                continue;
            }
            int j = i;
            while (j + 1 < tokens.size() && j - i < 3 && sameLine(text, tokens.get(j), tokens.get(j + 1))) {
                Token next = tokens.get(j + 1);
                boolean follows = t.capitalized() ? (next.capitalized() || next.initial()) && !next.allCapsWord()
                        : next.lowercase() && !STOP.contains(next.key()) && next.text.length() > 2;
                if (!follows || STOP.contains(next.key()) || !onlySpaceBetween(text, tokens.get(j), next)) {
                    break;
                }
                j++;
            }
            if (anyOrganizationWord(tokens, i, Math.min(j + 1, tokens.size() - 1)) || STREET_NAME_AFTER.matcher(text)
                    .region(tokens.get(j).end, text.length()).lookingAt() || firmOfPartners(text, tokens, i, j)) {
                i = j;
                continue;
            }
            int end = tokens.get(j).end;
            if (text.charAt(end - 1) == '.' && !tokens.get(j).initial()) {
                end--; // a full stop after the surname is not part of the name
            }
            names.add(new int[] {t.start, end});
            i = j;
        }
        addListMembersAndRepeats(text, tokens, names);
        List<PiiEntity> out = new ArrayList<>(names.size());
        for (int[] n : names) {
            out.add(PiiEntity.of(PiiType.PERSON, text, n[0], n[1], 0.6));
        }
        return out;
    }

    /**
     * "Unlike the Christiansen novel": a known surname in the middle of a sentence, capitalized, standing alone
     * (no capitalized word before or after it, which would make it part of an organization or a longer name),
     * and not after a preposition of place ("in Jackson", "to Lincoln").
     */
    private static boolean bareSurname(String text, List<Token> tokens, int i) {
        Token t = tokens.get(i);
        String key = t.key();
        if (!NAMES.isLastName(key) || STOP.contains(key) || AMBIGUOUS.contains(key) || NOT_A_PERSON.contains(key)
                || t.allCaps() || sentenceStart(text, t.start) || t.text.endsWith(".")) {
            return false;
        }
        if (i > 0 && sameLine(text, tokens.get(i - 1), t)) {
            Token prev = tokens.get(i - 1);
            if (prev.capitalized() && onlySpaceBetween(text, prev, t) || PLACE_PREPOSITIONS.contains(prev.key())) {
                return false;
            }
        }
        return i + 1 >= tokens.size() || !tokens.get(i + 1).capitalized() || !sameLine(text, t, tokens.get(i + 1))
                || !onlySpaceBetween(text, t, tokens.get(i + 1));
    }

    /**
     * Whether tokens i..j sit inside a "A, B and C" triple that is not introduced by a colon: after a colon such
     * a triple enumerates people ("our founders: Kónya, Becker and Vasquez"), elsewhere it names a firm.
     */
    private static boolean firmOfPartners(String text, List<Token> tokens, int i, int j) {
        if (i != j) {
            return false;
        }
        int from = Math.max(0, tokens.get(i).start - 40);
        Matcher m = PARTNERS.matcher(text).region(from, Math.min(text.length(), tokens.get(j).end + 40));
        while (m.find()) {
            if (m.start() <= tokens.get(i).start && tokens.get(j).end <= m.end()) {
                String before = text.substring(Math.max(0, m.start() - 3), m.start()).strip();
                return !before.endsWith(":");
            }
        }
        return false;
    }

    /** "Kónya, Becker and Vasquez": capitalized words joined to a found name by a list separator are names too. */
    private static void addListMembersAndRepeats(String text, List<Token> tokens, List<int[]> names) {
        if (names.isEmpty()) {
            return;
        }
        Set<String> found = new HashSet<>();
        for (int[] n : names) {
            for (Token t : tokenize(text.substring(n[0], n[1]))) {
                if (t.text.length() > 2 && !t.initial()) {
                    found.add(t.key());
                }
            }
        }
        List<int[]> extra = new ArrayList<>();
        // forward, then backward: "Weber, Kowalski and Moreau" from any one of them
        for (int dir : new int[] {-1, 1}) {
            for (int k = 0; k < tokens.size(); k++) {
                int i = dir < 0 ? k : tokens.size() - 1 - k;
                Token t = tokens.get(i);
                if (!t.capitalized() || STOP.contains(t.key()) || NOT_A_PERSON.contains(t.key()) || covered(names, t)
                        || covered(extra, t)) {
                    continue;
                }
                Token neighbour = listNeighbour(text, tokens, i, dir);
                boolean listed = neighbour != null && (covered(names, neighbour) || covered(extra, neighbour));
                if (found.contains(t.key()) || listed) {
                    int end = t.text.endsWith(".") ? t.end - 1 : t.end;
                    extra.add(new int[] {t.start, end});
                }
            }
        }
        names.addAll(extra);
    }

    /**
     * The list member before ({@code dir} -1) or after (+1) token i: across ", " or " & ", or across a conjunction
     * ("Kowalski and Moreau", "Kowalski, and Moreau"); " to " counts backwards only ("said Erle to Maurice").
     */
    private static Token listNeighbour(String text, List<Token> tokens, int i, int dir) {
        int j = i + dir;
        if (j < 0 || j >= tokens.size()) {
            return null;
        }
        Token t = tokens.get(i);
        Token n = tokens.get(j);
        String gap = dir < 0 ? text.substring(n.end, t.start) : text.substring(t.end, n.start);
        if (gap.equals(", ") || gap.equals(" & ")) {
            return n.key().equals("and") ? listNeighbour(text, tokens, j, dir) : n;
        }
        if (gap.equals(" ") && LIST_WORDS.contains(n.key()) && (dir < 0 || !n.key().equals("to"))) {
            int k = j + dir;
            if (k >= 0 && k < tokens.size()) {
                Token m = tokens.get(k);
                String gap2 = dir < 0 ? text.substring(m.end, n.start) : text.substring(n.end, m.start);
                if (gap2.equals(" ") || gap2.equals(", ")) {
                    return m;
                }
            }
        }
        return null;
    }

    private static boolean anyOrganizationWord(List<Token> tokens, int from, int to) {
        for (int k = from; k <= to; k++) {
            if (NOT_A_PERSON.contains(tokens.get(k).key())) {
                return true;
            }
        }
        return false;
    }

    private static boolean covered(List<int[]> spans, Token t) {
        for (int[] s : spans) {
            if (s[0] <= t.start && t.start < s[1]) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameLine(String text, Token a, Token b) {
        return text.indexOf('\n', a.end) < 0 || text.indexOf('\n', a.end) >= b.start;
    }

    private static boolean onlySpaceBetween(String text, Token a, Token b) {
        String gap = text.substring(a.end, b.start);
        return gap.equals(" ") || gap.isEmpty() && a.text.endsWith(".");
    }

    private static boolean sentenceStart(String text, int start) {
        int i = start - 1;
        while (i >= 0 && text.charAt(i) == ' ') {
            i--;
        }
        return i < 0 || ".!?\n\"'(>:".indexOf(text.charAt(i)) >= 0;
    }

    private static List<Token> tokenize(String text) {
        List<Token> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            out.add(Token.of(m.group(), m.start(), m.end()));
        }
        return out;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    private static Set<String> words(String... words) {
        return Set.copyOf(new HashSet<>(List.of(words)));
    }

    static String fold(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        if (ascii(lower)) {
            return lower;
        }
        String decomposed = Normalizer.normalize(lower, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return decomposed.replace("ø", "o").replace("æ", "ae").replace("ß", "ss").replace("ł", "l")
                .replace("đ", "d").replace("ð", "d").replace("þ", "th").replace("ı", "i");
    }

    private static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 128) {
                return false;
            }
        }
        return true;
    }

    /** A word of the text; {@code key} is its folded form without a final full stop, computed once. */
    private record Token(String text, int start, int end, String key) {
        static Token of(String text, int start, int end) {
            String t = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
            return new Token(text, start, end, fold(t.replace("’", "'")));
        }

        boolean capitalized() {
            return Character.isUpperCase(text.codePointAt(0)) && text.length() > 1 && !initial() && !allCapsWord();
        }

        boolean lowercase() {
            return Character.isLowerCase(text.codePointAt(0));
        }

        boolean initial() {
            return text.length() <= 2 && Character.isUpperCase(text.charAt(0)) && (text.length() == 1 || text.endsWith("."));
        }

        boolean allCaps() {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (Character.isLetter(c) && !Character.isUpperCase(c)) {
                    return false;
                }
            }
            return true;
        }

        /** An all-capitals word of four or more letters: a city or an acronym, rarely a surname. */
        boolean allCapsWord() {
            return text.length() >= 4 && allCaps();
        }
    }
}
