package dev.steward.connectors.email;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the email connector reaches its mailbox: SMTP for {@code send_email}, IMAP for {@code read_inbox}, one
 * account. With {@code tls}, SMTP uses implicit TLS on port 465 and STARTTLS (required, never downgraded) on any
 * other port, and IMAP uses implicit TLS (IMAPS); server certificates and host names are checked. {@code timeout}
 * bounds connecting, each read and each write, so a dead server becomes a {@code TransientException} well inside
 * a Lambda's time limit. {@link #toString()} never shows the password.
 */
public record EmailConfig(
        String smtpHost,
        int smtpPort,
        String imapHost,
        int imapPort,
        String username,
        String password,
        String fromAddress,
        boolean tls,
        Duration timeout) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final String PREFIX = "STEWARD_EMAIL_";

    public EmailConfig {
        requireText("smtpHost", smtpHost);
        requireText("imapHost", imapHost);
        requirePort("smtpPort", smtpPort);
        requirePort("imapPort", imapPort);
        requireText("username", username);
        requireText("password", password);
        requireText("fromAddress", fromAddress);
        try {
            InternetAddress parsed = new InternetAddress(fromAddress, true);
            if (parsed.getPersonal() != null || !parsed.getAddress().contains("@")) {
                throw new AddressException("not a bare address", fromAddress);
            }
        } catch (AddressException e) {
            throw new IllegalArgumentException("fromAddress '" + fromAddress + "' is not an email address like agent@example.com");
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
    }

    /**
     * Reads {@code STEWARD_EMAIL_*}: {@code SMTP_HOST}, {@code IMAP_HOST}, {@code USERNAME}, {@code PASSWORD},
     * {@code FROM} are required; {@code TLS} (default true), {@code SMTP_PORT} (default 587 with TLS, else 25),
     * {@code IMAP_PORT} (993 with TLS, else 143) and {@code TIMEOUT_MS} (10000) are optional.
     *
     * @throws IllegalStateException naming every missing or malformed variable at once
     */
    public static EmailConfig fromEnvironment(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        String smtpHost = required(env, "SMTP_HOST", problems);
        String imapHost = required(env, "IMAP_HOST", problems);
        String username = required(env, "USERNAME", problems);
        String password = required(env, "PASSWORD", problems);
        String from = required(env, "FROM", problems);
        boolean tls = bool(env, "TLS", true, problems);
        int smtpPort = integer(env, "SMTP_PORT", tls ? 587 : 25, problems);
        int imapPort = integer(env, "IMAP_PORT", tls ? 993 : 143, problems);
        int timeoutMs = integer(env, "TIMEOUT_MS", (int) DEFAULT_TIMEOUT.toMillis(), problems);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("email connector configuration: " + String.join("; ", problems));
        }
        try {
            return new EmailConfig(smtpHost, smtpPort, imapHost, imapPort, username, password, from, tls, Duration.ofMillis(timeoutMs));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("email connector configuration: " + e.getMessage(), e);
        }
    }

    /** The domain of the from address; Message-IDs are minted under it. */
    public String fromDomain() {
        return fromAddress.substring(fromAddress.lastIndexOf('@') + 1);
    }

    @Override
    public String toString() {
        return "EmailConfig[smtp=" + smtpHost + ":" + smtpPort + ", imap=" + imapHost + ":" + imapPort
                + ", username=" + username + ", password=****, from=" + fromAddress + ", tls=" + tls + ", timeout=" + timeout + "]";
    }

    private static String required(Map<String, String> env, String name, List<String> problems) {
        String v = env.get(PREFIX + name);
        if (v == null || v.isBlank()) {
            problems.add(PREFIX + name + " is not set");
            return null;
        }
        return v.strip();
    }

    private static boolean bool(Map<String, String> env, String name, boolean fallback, List<String> problems) {
        String v = env.get(PREFIX + name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> {
                problems.add(PREFIX + name + " must be true or false, got '" + v + "'");
                yield fallback;
            }
        };
    }

    private static int integer(Map<String, String> env, String name, int fallback, List<String> problems) {
        String v = env.get(PREFIX + name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            problems.add(PREFIX + name + " must be a whole number, got '" + v + "'");
            return fallback;
        }
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
    }

    private static void requirePort(String field, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(field + " must be 1-65535, got " + port);
        }
    }
}
