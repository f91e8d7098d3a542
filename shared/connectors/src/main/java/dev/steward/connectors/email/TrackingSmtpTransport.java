package dev.steward.connectors.email;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import java.io.OutputStream;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Angus's SMTP transport, noting when the message content starts to go to the server (DATA, or BDAT with
 * CHUNKING). Before that point a failure proves the server holds no message (SMTP discards a transaction
 * without its data), so the send may be retried; from that point on, a lost connection leaves the outcome
 * unknown. One instance per send; not shared between threads.
 */
final class TrackingSmtpTransport extends SMTPTransport {
    private volatile boolean contentStarted;

    TrackingSmtpTransport(Session session, boolean implicitTls) {
        super(session, new URLName(implicitTls ? "smtps" : "smtp", null, -1, null, null, null), implicitTls ? "smtps" : "smtp", implicitTls);
    }

    @Override
    protected OutputStream data() throws MessagingException {
        contentStarted = true; // set before the command: a DATA whose reply was lost counts as started
        return super.data();
    }

    @Override
    protected OutputStream bdat() throws MessagingException {
        contentStarted = true;
        return super.bdat();
    }

    /** True once DATA/BDAT was issued: from then on the server may have accepted the message. */
    boolean messageMayHaveReachedServer() {
        return contentStarted;
    }
}
