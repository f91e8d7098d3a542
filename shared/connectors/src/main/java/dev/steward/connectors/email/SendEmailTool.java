package dev.steward.connectors.email;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.steward.store.idempotency.BeginResult;
import dev.steward.store.idempotency.IdempotencyKey;
import dev.steward.store.idempotency.IdempotencyStore;
import dev.steward.store.idempotency.PayloadHash;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * {@code send_email}: sends a plain-text email over SMTP from the configured account, effectively once.
 *
 * <h2>Effectively-once</h2>
 * The call's {@link IdempotencyKey} (tenant, run, step, call id) is recorded with
 * {@link IdempotencyStore#begin} before anything is sent, and the outcome (the Message-ID and recipients) with
 * {@link IdempotencyStore#complete} once the server has accepted the message. Then:
 * <ul>
 *   <li>a retry of a call that completed returns the stored outcome ({@code Success}, {@code replayed = true})
 *       and sends nothing;</li>
 *   <li>a retry of a call whose first attempt began but recorded no outcome gets {@link ToolResult.NeedsReview}
 *       and sends nothing, because that attempt may have crashed after the server accepted the message;</li>
 *   <li>the Message-ID is {@code <key@from-domain>}, the same on every attempt, so a provider that deduplicates by
 *       Message-ID can also recognise a repeat.</li>
 * </ul>
 *
 * <h2>Failures</h2>
 * <ul>
 *   <li>Invalid arguments (schema, or an address the strict parser refuses): {@code Failed("invalid_arguments")},
 *       nothing recorded, nothing sent.</li>
 *   <li>Failure <em>before</em> the message content went out (connection refused or timed out, TLS or greeting
 *       failure, MAIL FROM / RCPT TO refused): the server holds no message, so the record is
 *       {@link IdempotencyStore#abort aborted} and a retry may send. A 5xx refusal is {@code Failed("rejected")}
 *       for the model; a login refusal is a {@link PermanentException} (configuration); anything else is a
 *       {@link TransientException}: retry the step.</li>
 *   <li>Failure <em>after</em> DATA was issued (connection lost or timed out while the content went out or
 *       while waiting for the final reply), or the store failing to record the outcome: the server may have
 *       accepted the message. The record stays in progress and a {@link TransientException} is thrown. When the
 *       step is retried, {@code begin} returns {@code InProgress} and the call ends in {@code NeedsReview}: this
 *       is the intended safe behaviour for an outcome unknown after a crash; a person checks and decides, the
 *       email is never sent twice blindly.</li>
 * </ul>
 * Thread-safe: any number of calls may run at once; identical concurrent calls send one message.
 */
public final class SendEmailTool implements Tool {
    public static final String NAME = "send_email";

    // Addresses are checked by a plain pattern here (portable to every model API's schema dialect) and then by
    // Jakarta Mail's strict parser. Not "format": "email": networknt checks it against a fixed list of top-level
    // domains, which refuses newer ones and reserved ones such as .test.
    private static final ToolSpec SPEC = new ToolSpec(NAME,
            "Send a plain-text email from the agent's mailbox. Each call sends at most once, even if retried.",
            Json.tree("""
                    {
                      "type": "object",
                      "additionalProperties": false,
                      "required": ["to", "subject", "body"],
                      "properties": {
                        "to": {
                          "type": "array", "minItems": 1, "maxItems": 50, "uniqueItems": true,
                          "items": {"type": "string", "pattern": "^[^@\\\\s<>,;]+@[^@\\\\s<>,;]+$", "maxLength": 254},
                          "description": "Recipient addresses, e.g. [\\"ana@example.com\\"]."
                        },
                        "cc": {
                          "type": "array", "maxItems": 50, "uniqueItems": true,
                          "items": {"type": "string", "pattern": "^[^@\\\\s<>,;]+@[^@\\\\s<>,;]+$", "maxLength": 254},
                          "description": "Optional copy recipients."
                        },
                        "subject": {"type": "string", "minLength": 1, "maxLength": 998, "description": "One line."},
                        "body": {"type": "string", "minLength": 1, "maxLength": 100000, "description": "Plain text."}
                      }
                    }
                    """),
            SideEffect.EXTERNAL_WRITE);

    private final EmailConfig config;
    private final IdempotencyStore idempotency;
    private final Clock clock;
    private final Session session;
    private final ArgumentValidator validator = new ArgumentValidator(SPEC.argumentsSchema());

    public SendEmailTool(EmailConfig config, IdempotencyStore idempotency, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.idempotency = Objects.requireNonNull(idempotency, "idempotency");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.session = MailSessions.smtp(config);
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
        EmailRequest request;
        try {
            request = EmailRequest.parse(arguments);
        } catch (IllegalArgumentException e) {
            return ToolResult.invalidArguments(List.of(e.getMessage()));
        }
        IdempotencyKey key = context.idempotencyKey();
        BeginResult begun = idempotency.begin(context.tenant(), key, PayloadHash.of(NAME, arguments), clock.instant());
        return switch (begun) {
            case BeginResult.Started started -> send(context, key, request);
            case BeginResult.AlreadyCompleted done -> new ToolResult.Success(done.outcome(), true);
            case BeginResult.InProgress pending -> new ToolResult.NeedsReview(key, pending.since(),
                    "An earlier attempt of this send_email call started at " + pending.since()
                            + " and did not record whether the mail server accepted the message, so it was not sent"
                            + " again. A person must check whether it arrived and decide.");
        };
    }

    private ToolResult send(ToolContext context, IdempotencyKey key, EmailRequest request) {
        String messageId = "<" + key.value() + "@" + config.fromDomain() + ">";
        MimeMessage message;
        try {
            message = request.toMessage(session, messageId, config.fromAddress(), clock.instant());
        } catch (MessagingException e) {
            idempotency.abort(context.tenant(), key);
            throw new PermanentException("could not compose the email: " + e.getMessage(), e);
        }
        TrackingSmtpTransport transport = new TrackingSmtpTransport(session, MailSessions.smtpImplicitTls(config));
        try {
            try {
                transport.connect(config.smtpHost(), config.smtpPort(), config.username(), config.password());
                transport.sendMessage(message, message.getAllRecipients());
            } catch (MessagingException | RuntimeException e) {
                return failed(context, key, transport, e);
            }
            // The server replied 250 to the end of DATA: the message is accepted. Record that before anything else.
            ObjectNode outcome = Json.object();
            outcome.put("status", "sent");
            outcome.put("messageId", messageId);
            outcome.set("recipients", Json.mapper().valueToTree(request.recipients()));
            outcome.put("sentAt", clock.instant().toString());
            idempotency.complete(context.tenant(), key, outcome, clock.instant());
            return new ToolResult.Success(outcome, false);
        } finally {
            closeQuietly(transport);
        }
    }

    /** Classifies a failed send; returns a result for the model or throws (see the class comment). */
    private ToolResult failed(ToolContext context, IdempotencyKey key, TrackingSmtpTransport transport, Exception e) {
        String server = config.smtpHost() + ":" + config.smtpPort();
        if (transport.messageMayHaveReachedServer()) {
            // Outcome unknown: keep the record in progress, so the retry this exception triggers goes to review.
            throw new TransientException("lost " + server + " after the email content was handed over (" + e.getMessage()
                    + "); whether it was accepted is unknown, so idempotency record " + key
                    + " stays in progress and a retry of this call returns needs_review instead of sending again", e);
        }
        try {
            idempotency.abort(context.tenant(), key); // nothing reached the server: a retry may send
        } catch (RuntimeException abortFailed) {
            e.addSuppressed(abortFailed); // the record stays in progress: the retry goes to review, still safe
        }
        if (e instanceof RuntimeException bug) {
            throw bug;
        }
        if (e instanceof AuthenticationFailedException) {
            throw new PermanentException("the SMTP server " + server + " refused the login of " + config.username()
                    + ": check STEWARD_EMAIL_USERNAME and STEWARD_EMAIL_PASSWORD", e);
        }
        int code = replyCode(e);
        if (code >= 500) {
            return new ToolResult.Failed("rejected", "the mail server refused the email; nothing was sent", serverReplies(e));
        }
        throw new TransientException("could not hand the email to " + server + " (nothing was sent, a retry may send): "
                + e.getMessage(), e);
    }

    /** The highest SMTP reply code in the exception chain (the RCPT refusals are chained as next exceptions), or -1. */
    private static int replyCode(Exception e) {
        int code = -1;
        Exception current = e;
        for (int depth = 0; current != null && depth < 100; depth++) {
            if (current instanceof SMTPSendFailedException sf) {
                code = Math.max(code, sf.getReturnCode());
            } else if (current instanceof SMTPAddressFailedException af) {
                code = Math.max(code, af.getReturnCode());
            }
            current = current instanceof MessagingException me ? me.getNextException() : null;
        }
        return code;
    }

    /** What the server said, per refused address where it refused addresses, for the model to act on. */
    private static List<String> serverReplies(Exception e) {
        List<String> replies = new java.util.ArrayList<>();
        Exception current = e;
        for (int depth = 0; current != null && depth < 100; depth++) {
            if (current instanceof SMTPAddressFailedException af) {
                replies.add(af.getAddress() + ": " + af.getMessage().strip());
            } else if (current instanceof SMTPSendFailedException sf) {
                replies.add(sf.getMessage().strip());
            }
            current = current instanceof MessagingException me ? me.getNextException() : null;
        }
        return replies.isEmpty() ? List.of(String.valueOf(e.getMessage())) : replies;
    }

    private static void closeQuietly(TrackingSmtpTransport transport) {
        try {
            transport.close();
        } catch (MessagingException | RuntimeException ignored) {
            // QUIT after an accepted message changes nothing; after a failure there is nothing left to tell.
        }
    }
}
