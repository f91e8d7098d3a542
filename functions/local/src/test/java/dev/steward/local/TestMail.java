package dev.steward.local;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import java.util.Map;

/** GreenMail (real SMTP and IMAP on loopback) for one test class, and the environment that points local mode at it. */
final class TestMail {
    private TestMail() {}

    /** One server for the whole class, on free ports, with the agent's mailbox. */
    static GreenMailExtension server() {
        return new GreenMailExtension(new ServerSetup[] {
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)})
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("agent@example.test", "agent", "secret"))
                .withPerMethodLifecycle(false);
    }

    /** The email settings local mode reads (plain SMTP/IMAP on loopback). */
    static Map<String, String> environment(GreenMailExtension mail) {
        return Map.of(
                "STEWARD_EMAIL_SMTP_HOST", "127.0.0.1",
                "STEWARD_EMAIL_SMTP_PORT", Integer.toString(mail.getSmtp().getPort()),
                "STEWARD_EMAIL_IMAP_HOST", "127.0.0.1",
                "STEWARD_EMAIL_IMAP_PORT", Integer.toString(mail.getImap().getPort()),
                "STEWARD_EMAIL_USERNAME", "agent",
                "STEWARD_EMAIL_PASSWORD", "secret",
                "STEWARD_EMAIL_FROM", "agent@example.test",
                "STEWARD_EMAIL_TLS", "false");
    }
}
