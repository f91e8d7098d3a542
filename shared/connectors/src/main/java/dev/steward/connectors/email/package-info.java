/**
 * The email connector: {@link dev.steward.connectors.email.SendEmailTool send_email} (SMTP, effectively-once
 * through the idempotency store, deterministic Message-ID) and
 * {@link dev.steward.connectors.email.ReadInboxTool read_inbox} (IMAP, read-only), configured by
 * {@link dev.steward.connectors.email.EmailConfig}. Built on Jakarta Mail (Eclipse Angus).
 */
package dev.steward.connectors.email;
