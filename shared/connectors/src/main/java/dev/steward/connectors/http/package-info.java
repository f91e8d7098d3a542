/**
 * Vendors' JSON APIs over the JDK HTTP client: effectively-once writes
 * ({@link dev.steward.connectors.http.ExternalHttpWrite}) and reads ({@link dev.steward.connectors.http.ExternalHttpRead}),
 * which share the client, the waiting out of a short {@code Retry-After} and what a vendor's refusal means, and the
 * tool shapes built on them ({@link dev.steward.connectors.http.VendorWriteTool}: validate, find the tenant's
 * connection, send once; {@link dev.steward.connectors.http.VendorReadTool}: validate, find the connection, read;
 * {@link dev.steward.connectors.http.ReconcilingWriteTool}: a write that can also look at the vendor for an attempt
 * whose answer was lost, through the vendor's own check).
 * What each vendor answer means for retries (transient, permanent, unknown outcome to review) is decided there.
 */
package dev.steward.connectors.http;
