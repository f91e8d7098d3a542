/**
 * Tenants' connections to vendors: which vendors exist and what an admin may store for each
 * ({@link dev.steward.connectors.connection.Vendor}), and where the operator sends their calls
 * ({@link dev.steward.connectors.connection.VendorEndpoints}). A tenant supplies credentials and names its own account
 * (a Zendesk subdomain), never a host: the platform cannot be pointed at an arbitrary address by tenant input.
 */
package dev.steward.connectors.connection;
