package dev.steward.connectors.email;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.connectors.ArgumentValidator;
import dev.steward.connectors.SideEffect;
import dev.steward.connectors.Tool;
import dev.steward.connectors.ToolContext;
import dev.steward.connectors.ToolResult;
import dev.steward.connectors.ToolSpec;
import dev.steward.core.error.PermanentException;
import dev.steward.core.error.TransientException;
import dev.steward.core.json.Json;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * {@code read_inbox}: the latest messages of the configured mailbox's INBOX over IMAP (newest first: sender,
 * subject, date, Message-ID, plain-text body cut to {@code maxBodyChars}). Read-only: the folder is opened
 * read-only and bodies are peeked, so nothing is marked as read. Message content is untrusted input (it may carry
 * instructions aimed at the model); the guardrails that scan tool results apply to it.
 *
 * <p>Thread-safe. Errors: server unreachable or timed out is a {@link TransientException} (retry the step);
 * login refused is a {@link PermanentException} (configuration).
 */
public final class ReadInboxTool implements Tool {
    public static final String NAME = "read_inbox";
    static final int DEFAULT_LIMIT = 10;
    static final int DEFAULT_MAX_BODY_CHARS = 2000;
    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final Pattern SPACE = Pattern.compile("[ \\t\\x0B\\f]+");

    private static final ToolSpec SPEC = new ToolSpec(NAME,
            "Read the latest messages in the agent's email inbox (newest first), for context. Does not mark them read.",
            Json.tree("""
                    {
                      "type": "object",
                      "additionalProperties": false,
                      "properties": {
                        "limit": {"type": "integer", "minimum": 1, "maximum": 50, "default": 10,
                                  "description": "How many of the latest messages to return."},
                        "maxBodyChars": {"type": "integer", "minimum": 100, "maximum": 20000, "default": 2000,
                                         "description": "Each body is cut to this many characters."}
                      }
                    }
                    """),
            SideEffect.READ);

    private final EmailConfig config;
    private final Session session;
    private final ArgumentValidator validator = new ArgumentValidator(SPEC.argumentsSchema());

    public ReadInboxTool(EmailConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.session = MailSessions.imap(config);
    }

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public ToolResult execute(ToolContext context, JsonNode arguments) {
        List<String> violations = validator.violations(arguments);
        if (!violations.isEmpty()) {
            return ToolResult.invalidArguments(violations);
        }
        int limit = arguments.path("limit").asInt(DEFAULT_LIMIT);
        int maxBodyChars = arguments.path("maxBodyChars").asInt(DEFAULT_MAX_BODY_CHARS);
        String server = config.imapHost() + ":" + config.imapPort();
        Store store;
        try {
            store = session.getStore(MailSessions.imapProtocol(config));
            store.connect(config.imapHost(), config.imapPort(), config.username(), config.password());
        } catch (AuthenticationFailedException e) {
            throw new PermanentException("the IMAP server " + server + " refused the login of " + config.username()
                    + ": check STEWARD_EMAIL_USERNAME and STEWARD_EMAIL_PASSWORD", e);
        } catch (MessagingException e) {
            throw new TransientException("could not reach the IMAP server " + server + ": " + e.getMessage(), e);
        }
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            try {
                int count = inbox.getMessageCount();
                ArrayNode messages = Json.mapper().createArrayNode();
                if (count > 0) {
                    Message[] latest = inbox.getMessages(Math.max(1, count - limit + 1), count);
                    // Sequence numbers follow arrival, so the last is the newest.
                    for (int i = latest.length - 1; i >= 0; i--) {
                        messages.add(describe(latest[i], maxBodyChars));
                    }
                }
                ObjectNode output = Json.object();
                output.put("mailbox", config.username());
                output.put("total", count);
                output.set("messages", messages);
                return new ToolResult.Success(output, false);
            } finally {
                inbox.close(false);
            }
        } catch (MessagingException e) {
            throw new TransientException("reading the inbox on " + server + " failed: " + e.getMessage(), e);
        } finally {
            try {
                store.close();
            } catch (MessagingException ignored) {
                // Logging out of a read-only session has no effect worth reporting.
            }
        }
    }

    private static ObjectNode describe(Message message, int maxBodyChars) throws MessagingException {
        ObjectNode o = Json.object();
        Address[] from = message.getFrom();
        o.put("from", from == null || from.length == 0 ? ""
                : from[0] instanceof InternetAddress ia ? ia.toUnicodeString() : from[0].toString());
        o.put("subject", Objects.requireNonNullElse(message.getSubject(), ""));
        Date date = message.getSentDate() != null ? message.getSentDate() : message.getReceivedDate();
        if (date != null) {
            o.put("date", date.toInstant().toString());
        }
        String[] ids = message.getHeader("Message-ID");
        if (ids != null && ids.length > 0) {
            o.put("messageId", ids[0]);
        }
        String body;
        try {
            body = text(message, false);
            if (body == null) {
                body = Objects.requireNonNullElse(text(message, true), "");
            }
        } catch (IOException | MessagingException e) {
            // One undecodable message (unknown charset, broken MIME) must not hide the others.
            body = "";
            o.put("bodyError", "the body could not be decoded: " + e.getMessage());
        }
        body = body.strip();
        boolean truncated = body.length() > maxBodyChars;
        if (truncated) {
            int end = Character.isHighSurrogate(body.charAt(maxBodyChars - 1)) ? maxBodyChars - 1 : maxBodyChars;
            body = body.substring(0, end);
        }
        o.put("body", body);
        o.put("bodyTruncated", truncated);
        return o;
    }

    /** The first text/plain part (or, with {@code html}, the first text/html part as text), skipping attachments. */
    private static String text(Part part, boolean html) throws MessagingException, IOException {
        if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
            return null;
        }
        if (part.isMimeType("text/plain") && !html) {
            return String.valueOf(part.getContent());
        }
        if (part.isMimeType("text/html") && html) {
            String markup = String.valueOf(part.getContent());
            return SPACE.matcher(TAG.matcher(markup).replaceAll(" ")).replaceAll(" ");
        }
        if (part.isMimeType("multipart/*") && part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                String found = text(multipart.getBodyPart(i), html);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
