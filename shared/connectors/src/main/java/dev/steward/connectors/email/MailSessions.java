package dev.steward.connectors.email;

import jakarta.mail.Session;
import java.util.Properties;

/** Jakarta Mail sessions for one {@link EmailConfig}. A Session is thread-safe and is built once per tool. */
final class MailSessions {
    private MailSessions() {}

    /** Implicit TLS only on the SMTPS port; STARTTLS (required) on any other port when TLS is on. */
    static boolean smtpImplicitTls(EmailConfig config) {
        return config.tls() && config.smtpPort() == 465;
    }

    static String imapProtocol(EmailConfig config) {
        return config.tls() ? "imaps" : "imap";
    }

    static Session smtp(EmailConfig config) {
        Properties props = new Properties();
        String p = smtpImplicitTls(config) ? "smtps" : "smtp";
        timeouts(props, p, config);
        props.put("mail." + p + ".auth", "true");
        // The envelope sender (MAIL FROM) is the configured account, whatever the model asked for.
        props.put("mail." + p + ".from", config.fromAddress());
        if (config.tls()) {
            props.put("mail." + p + ".ssl.checkserveridentity", "true");
            if (!smtpImplicitTls(config)) {
                // required: a server that stops offering STARTTLS must not get the password in clear.
                props.put("mail.smtp.starttls.enable", "true");
                props.put("mail.smtp.starttls.required", "true");
            }
        }
        return Session.getInstance(props);
    }

    static Session imap(EmailConfig config) {
        Properties props = new Properties();
        String p = imapProtocol(config);
        timeouts(props, p, config);
        // Reading for context must not mark messages as read in the user's mailbox.
        props.put("mail." + p + ".peek", "true");
        if (config.tls()) {
            props.put("mail." + p + ".ssl.checkserveridentity", "true");
        }
        return Session.getInstance(props);
    }

    private static void timeouts(Properties props, String protocol, EmailConfig config) {
        String ms = Long.toString(config.timeout().toMillis());
        props.put("mail." + protocol + ".connectiontimeout", ms);
        props.put("mail." + protocol + ".timeout", ms);
        props.put("mail." + protocol + ".writetimeout", ms);
    }
}
