package dev.steward.guardrails.pii;

import java.util.Locale;

/**
 * The kinds of personal data the scanner finds. {@link #label()} names the placeholder ({@code <EMAIL_1>});
 * {@link #priority()} decides which of two overlapping findings wins (higher wins: a checksum-validated card
 * number beats a phone-shaped reading of the same digits).
 */
public enum PiiType {
    EMAIL("EMAIL", 90),
    CREDIT_CARD("CREDIT_CARD", 80),
    IBAN("IBAN", 80),
    US_SSN("SSN", 70),
    IP_ADDRESS("IP", 60),
    PHONE("PHONE", 50),
    STREET_ADDRESS("ADDRESS", 20),
    PERSON("PERSON", 10);

    private final String label;
    private final int priority;

    PiiType(String label, int priority) {
        this.label = label;
        this.priority = priority;
    }

    public String label() {
        return label;
    }

    public int priority() {
        return priority;
    }

    /**
     * The form under which two spellings of one value count as the same value within a run (one placeholder):
     * digits only for numbers, upper case without spaces for IBANs, lower case for emails and names.
     */
    public String normalize(String value) {
        return switch (this) {
            case CREDIT_CARD, US_SSN -> value.replaceAll("\\D", "");
            case PHONE -> (value.strip().startsWith("+") ? "+" : "") + value.replaceAll("\\D", "");
            case IBAN -> value.replaceAll("\\s", "").toUpperCase(Locale.ROOT);
            case EMAIL, IP_ADDRESS -> value.strip().toLowerCase(Locale.ROOT);
            case STREET_ADDRESS, PERSON -> value.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        };
    }
}
