/**
 * Effectively-once writes to vendors' JSON APIs over the JDK HTTP client
 * ({@link dev.steward.connectors.http.ExternalHttpWrite}), and the tool shape every such write shares
 * ({@link dev.steward.connectors.http.VendorWriteTool}: validate, find the tenant's connection, send once). What each
 * vendor answer means for retries (transient, permanent, unknown outcome to review) is decided in one place there.
 */
package dev.steward.connectors.http;
