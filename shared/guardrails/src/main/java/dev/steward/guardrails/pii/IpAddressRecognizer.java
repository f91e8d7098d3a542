package dev.steward.guardrails.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.apache.commons.validator.routines.InetAddressValidator;

/**
 * IPv4 and IPv6 literals: candidate patterns, validated by commons-validator's {@link InetAddressValidator}
 * (octet ranges, group counts, {@code ::} compression). Dotted version strings preceded by a letter or "v"
 * ("v1.2.3.4") are not addresses.
 */
final class IpAddressRecognizer implements PiiRecognizer {
    static final GatedPattern V4 = new GatedPattern(
            Pattern.compile("(?<![\\w.])(?:\\d{1,3}\\.){3}\\d{1,3}(?![\\w]|\\.\\d)"),
            (text, i) -> WordStarts.digitAfterNone(text, i, "") && (i == 0 || !WordStarts.word(text.charAt(i - 1))
                    && text.charAt(i - 1) != '.'));
    /** Tried only at a hex digit or colon with a colon among the first five characters. */
    static final GatedPattern V6 = new GatedPattern(
            Pattern.compile("(?<![\\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{0,4}|(?:\\d{1,3}\\.){3}\\d{1,3})(?![\\w:])"),
            (text, i) -> (Character.digit(text.charAt(i), 16) >= 0 && text.charAt(i) < 128 || text.charAt(i) == ':')
                    && (i == 0 || !WordStarts.word(text.charAt(i - 1)) && text.charAt(i - 1) != ':')
                    && text.indexOf(':', i) >= 0 && text.indexOf(':', i) <= i + 4);
    private static final InetAddressValidator VALIDATOR = InetAddressValidator.getInstance();

    @Override
    public List<PiiEntity> find(String text) {
        List<PiiEntity> out = new ArrayList<>();
        if (text.indexOf('.') >= 0) {
            for (MatchResult m : V4.find(text)) {
                if (VALIDATOR.isValidInet4Address(m.group())) {
                    out.add(PiiEntity.of(PiiType.IP_ADDRESS, text, m.start(), m.end(), 0.9));
                }
            }
        }
        if (text.indexOf(':') >= 0) {
            for (MatchResult m : V6.find(text)) {
                String candidate = m.group();
                // "12:30:45" and "::" alone are valid-looking but are times or punctuation, not addresses.
                if (candidate.chars().filter(c -> c == ':').count() >= 2
                        && candidate.chars().anyMatch(Character::isLetterOrDigit)
                        && !candidate.matches("[\\d:]{1,8}")
                        && VALIDATOR.isValidInet6Address(candidate)) {
                    out.add(PiiEntity.of(PiiType.IP_ADDRESS, text, m.start(), m.end(), 0.9));
                }
            }
        }
        return out;
    }
}
