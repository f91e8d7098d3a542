package dev.steward.guardrails.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.validator.routines.InetAddressValidator;

/**
 * IPv4 and IPv6 literals: candidate patterns, validated by commons-validator's {@link InetAddressValidator}
 * (octet ranges, group counts, {@code ::} compression). Dotted version strings preceded by a letter or "v"
 * ("v1.2.3.4") are not addresses.
 */
final class IpAddressRecognizer implements PiiRecognizer {
    private static final Pattern V4 = Pattern.compile("(?<![\\w.])(?:\\d{1,3}\\.){3}\\d{1,3}(?![\\w]|\\.\\d)");
    private static final Pattern V6 =
            Pattern.compile("(?<![\\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{0,4}|(?:\\d{1,3}\\.){3}\\d{1,3})(?![\\w:])");
    private static final InetAddressValidator VALIDATOR = InetAddressValidator.getInstance();

    @Override
    public List<PiiEntity> find(String text) {
        List<PiiEntity> out = new ArrayList<>();
        if (text.indexOf('.') >= 0) {
            Matcher m = V4.matcher(text);
            while (m.find()) {
                if (VALIDATOR.isValidInet4Address(m.group())) {
                    out.add(PiiEntity.of(PiiType.IP_ADDRESS, text, m.start(), m.end(), 0.9));
                }
            }
        }
        if (text.indexOf(':') >= 0) {
            Matcher m = V6.matcher(text);
            while (m.find()) {
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
