/**
 * Connectors: each is a set of {@link dev.steward.connectors.Tool}s that an agent may call, described by a
 * {@link dev.steward.connectors.ToolSpec} (name, description, JSON Schema of the arguments, side-effect class).
 *
 * <p>Contract every tool keeps, and that the Act step may rely on:
 * <ul>
 *   <li>arguments are validated against the tool's schema before anything is done; invalid arguments, and any
 *       other failure the model can act on, come back as a {@link dev.steward.connectors.ToolResult.Failed}
 *       observation, never as an exception;</li>
 *   <li>{@link dev.steward.connectors.SideEffect#EXTERNAL_WRITE} tools are effectively-once per
 *       {@link dev.steward.connectors.ToolContext} (tenant, run, step, call id): a retry returns the first
 *       attempt's outcome, and an attempt whose outcome is unknown yields
 *       {@link dev.steward.connectors.ToolResult.NeedsReview} instead of acting again; a tool that can read the
 *       vendor's record of such an attempt also implements {@link dev.steward.connectors.Reconcilable};</li>
 *   <li>exceptions mean infrastructure: {@link dev.steward.core.error.TransientException} (retry the step),
 *       {@link dev.steward.core.error.PermanentException} (configuration or a bug; fail the run).</li>
 * </ul>
 * Tools are thread-safe and hold no per-call state. Whether a tenant may call a tool at all is policy
 * (guardrails), not decided here.
 *
 * <p>Connectors:
 * <ul>
 *   <li>{@link dev.steward.connectors.email email}: {@code send_email}, {@code read_inbox}, one mailbox for the process
 *       (present when configured);</li>
 *   <li>{@link dev.steward.connectors.zendesk zendesk}: {@code zendesk_comment}, {@code zendesk_read_ticket}; {@link dev.steward.connectors.hubspot
 *       hubspot}: {@code crm_add_note}, {@code crm_read_record}. Always present; each call uses the calling tenant's own connection (stored
 *       per tenant, {@link dev.steward.connectors.connection.Vendor}) and fails with {@code not_connected} for a tenant
 *       that has none. Their writes share {@link dev.steward.connectors.http.ExternalHttpWrite}, their reads
 *       {@link dev.steward.connectors.http.ExternalHttpRead};</li>
 *   <li>{@link dev.steward.connectors.webhook webhook}: inbound webhooks from Zendesk and HubSpot (no tools).</li>
 * </ul>
 */
package dev.steward.connectors;
