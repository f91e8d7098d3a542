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
 *       {@link dev.steward.connectors.ToolResult.NeedsReview} instead of acting again;</li>
 *   <li>exceptions mean infrastructure: {@link dev.steward.core.error.TransientException} (retry the step),
 *       {@link dev.steward.core.error.PermanentException} (configuration or a bug; fail the run).</li>
 * </ul>
 * Tools are thread-safe and hold no per-call state. Whether a tenant may call a tool at all is policy
 * (guardrails), not decided here.
 */
package dev.steward.connectors;
