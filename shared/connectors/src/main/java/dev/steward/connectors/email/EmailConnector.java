package dev.steward.connectors.email;

import dev.steward.connectors.Connector;
import dev.steward.connectors.Tool;
import dev.steward.store.idempotency.IdempotencyStore;
import java.time.Clock;
import java.util.List;

/**
 * Email over SMTP and IMAP for one mailbox: {@code send_email} ({@link SendEmailTool}, an effectively-once
 * external write) and {@code read_inbox} ({@link ReadInboxTool}, a read). Thread-safe; build one per mailbox
 * configuration and reuse it.
 */
public final class EmailConnector implements Connector {
    private final List<Tool> tools;

    public EmailConnector(EmailConfig config, IdempotencyStore idempotency, Clock clock) {
        this.tools = List.of(new SendEmailTool(config, idempotency, clock), new ReadInboxTool(config));
    }

    @Override
    public String name() {
        return "email";
    }

    @Override
    public List<Tool> tools() {
        return tools;
    }
}
