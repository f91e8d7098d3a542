package dev.steward.connectors.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmailConfigTest {

    static Map<String, String> minimal() {
        Map<String, String> env = new HashMap<>();
        env.put("STEWARD_EMAIL_SMTP_HOST", "smtp.example.com");
        env.put("STEWARD_EMAIL_IMAP_HOST", "imap.example.com");
        env.put("STEWARD_EMAIL_USERNAME", "agent");
        env.put("STEWARD_EMAIL_PASSWORD", "s3cret-value");
        env.put("STEWARD_EMAIL_FROM", "agent@example.com");
        return env;
    }

    @Test
    void defaultsToTlsWithItsStandardPorts() {
        EmailConfig c = EmailConfig.fromEnvironment(minimal());
        assertThat(c.tls()).isTrue();
        assertThat(c.smtpPort()).isEqualTo(587);
        assertThat(c.imapPort()).isEqualTo(993);
        assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.fromDomain()).isEqualTo("example.com");
        assertThat(MailSessions.smtpImplicitTls(c)).isFalse();
        assertThat(MailSessions.imapProtocol(c)).isEqualTo("imaps");
        assertThat(MailSessions.smtp(c).getProperty("mail.smtp.starttls.required")).isEqualTo("true");
    }

    @Test
    void readsEveryOptionalValue() {
        Map<String, String> env = minimal();
        env.put("STEWARD_EMAIL_TLS", "false");
        env.put("STEWARD_EMAIL_SMTP_PORT", "2525");
        env.put("STEWARD_EMAIL_IMAP_PORT", "1143");
        env.put("STEWARD_EMAIL_TIMEOUT_MS", "1500");
        EmailConfig c = EmailConfig.fromEnvironment(env);
        assertThat(c).isEqualTo(new EmailConfig("smtp.example.com", 2525, "imap.example.com", 1143, "agent", "s3cret-value",
                "agent@example.com", false, Duration.ofMillis(1500)));
        assertThat(MailSessions.smtp(c).getProperty("mail.smtp.timeout")).isEqualTo("1500");
        assertThat(MailSessions.smtp(c).getProperty("mail.smtp.starttls.enable")).isNull();
    }

    @Test
    void port465MeansImplicitTls() {
        Map<String, String> env = minimal();
        env.put("STEWARD_EMAIL_SMTP_PORT", "465");
        EmailConfig c = EmailConfig.fromEnvironment(env);
        assertThat(MailSessions.smtpImplicitTls(c)).isTrue();
        assertThat(MailSessions.smtp(c).getProperty("mail.smtps.ssl.checkserveridentity")).isEqualTo("true");
    }

    @Test
    void namesEveryMissingOrMalformedVariableAtOnce() {
        Map<String, String> env = new HashMap<>();
        env.put("STEWARD_EMAIL_SMTP_HOST", "smtp.example.com");
        env.put("STEWARD_EMAIL_PASSWORD", " ");
        env.put("STEWARD_EMAIL_SMTP_PORT", "twenty-five");
        env.put("STEWARD_EMAIL_TLS", "maybe");
        assertThatThrownBy(() -> EmailConfig.fromEnvironment(env))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("STEWARD_EMAIL_IMAP_HOST is not set")
                .hasMessageContaining("STEWARD_EMAIL_USERNAME is not set")
                .hasMessageContaining("STEWARD_EMAIL_PASSWORD is not set")
                .hasMessageContaining("STEWARD_EMAIL_FROM is not set")
                .hasMessageContaining("STEWARD_EMAIL_SMTP_PORT must be a whole number")
                .hasMessageContaining("STEWARD_EMAIL_TLS must be true or false")
                .hasMessageNotContaining("SMTP_HOST is not set");
    }

    @Test
    void rejectsValuesThatCannotWork() {
        Map<String, String> env = minimal();
        env.put("STEWARD_EMAIL_FROM", "Agent <agent@example.com>");
        assertThatThrownBy(() -> EmailConfig.fromEnvironment(env)).hasMessageContaining("fromAddress");
        env.put("STEWARD_EMAIL_FROM", "agent@example.com");
        env.put("STEWARD_EMAIL_IMAP_PORT", "70000");
        assertThatThrownBy(() -> EmailConfig.fromEnvironment(env)).hasMessageContaining("imapPort");
        env.remove("STEWARD_EMAIL_IMAP_PORT");
        env.put("STEWARD_EMAIL_TIMEOUT_MS", "0");
        assertThatThrownBy(() -> EmailConfig.fromEnvironment(env)).hasMessageContaining("timeout");
    }

    @Test
    void neverPrintsThePassword() {
        EmailConfig c = EmailConfig.fromEnvironment(minimal());
        assertThat(c.toString()).doesNotContain("s3cret-value").contains("password=****").contains("agent@example.com");
    }
}
