/**
 * Idempotency records that make Steward's external actions effectively-once: a conditional write before the
 * action, its outcome after, and an unknown outcome (a crash in between) routed to review rather than retried.
 * Start at {@link dev.steward.store.idempotency.IdempotencyStore}. Keys are tenant-first like every other item,
 * and every method takes the {@link dev.steward.core.tenant.TenantId} and applies it itself.
 */
package dev.steward.store.idempotency;
