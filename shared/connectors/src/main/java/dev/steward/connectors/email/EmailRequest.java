package dev.steward.connectors.email;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/** The arguments of {@code send_email} after schema validation, with each address parsed strictly. */
record EmailRequest(List<InternetAddress> to, List<InternetAddress> cc, String subject, String body) {

    EmailRequest {
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        if (to.isEmpty()) {
            throw new IllegalArgumentException("to: at least one recipient is required");
        }
        // The schema cannot say "no line breaks" portably; a CR/LF in a header is an injection attempt or a mistake.
        if (subject.indexOf('\r') >= 0 || subject.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("subject: must be a single line");
        }
    }

    /** Parses schema-valid arguments; an address Jakarta Mail's strict parser refuses is an IllegalArgumentException. */
    static EmailRequest parse(JsonNode arguments) {
        return new EmailRequest(
                addresses("to", arguments.path("to")),
                addresses("cc", arguments.path("cc")),
                arguments.path("subject").asText(),
                arguments.path("body").asText());
    }

    private static List<InternetAddress> addresses(String field, JsonNode array) {
        List<InternetAddress> out = new ArrayList<>();
        for (JsonNode item : array) {
            String text = item.asText();
            try {
                InternetAddress address = new InternetAddress(text, true);
                // A bare address only: no display name, no group, no list smuggled into one item.
                if (address.getPersonal() != null || address.isGroup() || !address.getAddress().equals(text.strip())
                        || address.getAddress().indexOf('@') < 1) {
                    throw new AddressException("not a single bare address", text);
                }
                out.add(address);
            } catch (AddressException e) {
                throw new IllegalArgumentException(field + ": '" + text + "' is not an email address like name@example.com");
            }
        }
        return out;
    }

    List<String> recipients() {
        List<String> all = new ArrayList<>();
        to.forEach(a -> all.add(a.getAddress()));
        cc.forEach(a -> all.add(a.getAddress()));
        return all;
    }

    MimeMessage toMessage(Session session, String messageId, String from, Instant now) throws MessagingException {
        MimeMessage message = new FixedIdMessage(session, messageId);
        message.setFrom(new InternetAddress(from, true));
        message.setRecipients(Message.RecipientType.TO, to.toArray(InternetAddress[]::new));
        if (!cc.isEmpty()) {
            message.setRecipients(Message.RecipientType.CC, cc.toArray(InternetAddress[]::new));
        }
        message.setSubject(subject, "UTF-8");
        message.setText(body, "UTF-8");
        message.setSentDate(Date.from(now));
        message.saveChanges();
        return message;
    }

    /**
     * A message whose Message-ID is ours (derived from the idempotency key) rather than a random one: a retry that
     * reaches a provider deduplicating by Message-ID is recognised as the same message.
     */
    private static final class FixedIdMessage extends MimeMessage {
        private final String messageId;

        FixedIdMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
