package dev.steward.guardrails.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * What the engine derives from a call's arguments for policies to test (see {@code steward.cedarschema}):
 * the domains of the people a call reaches, from {@code to}, {@code cc} and {@code bcc} (an email's recipients) and
 * {@code attendees} (a calendar event's invitees, who get an invitation by email), and the {@code amount}. Derivation
 * fails closed: an address without a domain never matches an allowlist, an amount that is not a number is the largest
 * one.
 */
record CallFacts(Set<String> recipientDomains, Set<String> outsideAllowlist, Optional<BigDecimal> amount) {
    static final BigDecimal MAX_AMOUNT = new BigDecimal("922337203685477.5807");
    static final BigDecimal MIN_AMOUNT = new BigDecimal("-922337203685477.5808");
    private static final String[] RECIPIENT_FIELDS = {"to", "cc", "bcc", "attendees"};

    static CallFacts of(JsonNode arguments, Predicate<String> allowlisted) {
        Set<String> domains = new TreeSet<>();
        for (String field : RECIPIENT_FIELDS) {
            JsonNode v = arguments.get(field);
            if (v == null || v.isNull()) {
                continue;
            }
            if (v.isArray()) {
                v.forEach(e -> addDomains(e.isTextual() ? e.asText() : e.toString(), domains));
            } else {
                addDomains(v.isTextual() ? v.asText() : v.toString(), domains);
            }
        }
        Set<String> outside = new TreeSet<>();
        domains.stream().filter(allowlisted.negate()).forEach(outside::add);
        return new CallFacts(Set.copyOf(domains), Set.copyOf(outside), amount(arguments.get("amount")));
    }

    private static void addDomains(String field, Set<String> into) {
        for (String part : field.split("[,;]")) {
            String address = part.strip();
            int open = address.lastIndexOf('<');
            int close = address.lastIndexOf('>');
            if (open >= 0 && close > open) {
                address = address.substring(open + 1, close).strip();
            }
            if (address.isEmpty()) {
                continue;
            }
            int at = address.lastIndexOf('@');
            String domain = at < 0 ? address : address.substring(at + 1);
            domain = domain.toLowerCase(Locale.ROOT).replaceAll("\\.+$", "");
            into.add(domain.isEmpty() ? address.toLowerCase(Locale.ROOT) : domain);
        }
    }

    private static Optional<BigDecimal> amount(JsonNode v) {
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        BigDecimal value;
        if (v.isNumber()) {
            value = v.decimalValue();
        } else if (v.isTextual()) {
            try {
                value = new BigDecimal(v.asText().strip());
            } catch (NumberFormatException notANumber) {
                value = MAX_AMOUNT;
            }
        } else {
            value = MAX_AMOUNT;
        }
        // Cedar decimals have four fractional digits; rounding up keeps "amount > limit" true for any amount over it.
        value = value.max(MIN_AMOUNT).min(MAX_AMOUNT).setScale(4, RoundingMode.CEILING);
        return Optional.of(value);
    }
}
