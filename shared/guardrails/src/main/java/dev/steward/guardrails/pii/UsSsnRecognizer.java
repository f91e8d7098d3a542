package dev.steward.guardrails.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/**
 * US Social Security numbers written AAA-GG-SSSS or AAA GG SSSS (one separator style throughout; spaced groups
 * not part of a longer run of groups such as "+992 372 12 3456", a phone number), or nine bare
 * digits right after an "SSN"/"social security" keyword. SSA rules since the 2011 randomization: area 000, 666
 * and 900-999, group 00 and serial 0000 are never issued; a few numbers from advertising are known to be void.
 * No library here covers SSNs (commons-validator has none), so these few lines are ours.
 */
final class UsSsnRecognizer implements PiiRecognizer {
    static final GatedPattern SEPARATED = new GatedPattern(
            Pattern.compile("(?<![\\d-])(\\d{3})([- ])(\\d{2})\\2(\\d{4})(?![\\d-])"),
            (text, i) -> WordStarts.digitAfterNone(text, i, "0123456789-"));
    static final GatedPattern BARE = new GatedPattern(
            Pattern.compile("(?<!\\d)(\\d{3})(\\d{2})(\\d{4})(?!\\d)"),
            (text, i) -> WordStarts.digitAfterNone(text, i, "0123456789"));
    private static final Pattern KEYWORD = Pattern.compile("(?i)(?:ssn|social security(?: number| no\\.?)?)\\W{0,4}$");

    @Override
    public List<PiiEntity> find(String text) {
        List<PiiEntity> out = new ArrayList<>();
        for (MatchResult m : SEPARATED.find(text)) {
            if (isValid(m.group(1), m.group(3), m.group(4)) && !spacedRunContinues(text, m)) {
                out.add(PiiEntity.of(PiiType.US_SSN, text, m.start(), m.end(), 0.85));
            }
        }
        for (MatchResult m : BARE.find(text)) {
            String before = text.substring(Math.max(0, m.start() - 30), m.start());
            if (KEYWORD.matcher(before).find() && isValid(m.group(1), m.group(2), m.group(3))) {
                out.add(PiiEntity.of(PiiType.US_SSN, text, m.start(), m.end(), 0.8));
            }
        }
        return out;
    }

    /** "+992 372 12 3456": space-separated groups that another digit group joins, before or after, are a longer number. */
    private static boolean spacedRunContinues(String text, MatchResult m) {
        if (!m.group(2).equals(" ")) {
            return false;
        }
        int s = m.start();
        int e = m.end();
        return s >= 2 && text.charAt(s - 1) == ' ' && Character.isDigit(text.charAt(s - 2))
                || e + 1 < text.length() && text.charAt(e) == ' ' && Character.isDigit(text.charAt(e + 1));
    }

    static boolean isValid(String area, String group, String serial) {
        int a = Integer.parseInt(area);
        if (a == 0 || a == 666 || a >= 900 || group.equals("00") || serial.equals("0000")) {
            return false;
        }
        String whole = area + group + serial;
        // Woolworth's wallet card (078-05-1120), the 1962 ad number (219-09-9999) and the usual dummy.
        return !whole.equals("078051120") && !whole.equals("219099999") && !whole.equals("123456789");
    }
}
