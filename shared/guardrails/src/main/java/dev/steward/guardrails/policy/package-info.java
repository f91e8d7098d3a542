/**
 * The tenant policy engine: decides ALLOW, ASK or DENY for every proposed tool call, outside the model, from the
 * tenant's policy (Cedar policies over {@code steward.cedarschema} plus an email domain allowlist).
 *
 * <p>Entry points: {@link dev.steward.guardrails.policy.TenantPolicy#compile} (validate a stored version; also what
 * the admin API runs before saving) or {@link dev.steward.guardrails.policy.TenantPolicy#baseline} (tenant with no
 * stored policy), then {@link dev.steward.guardrails.policy.PolicyEngine#decide}. Semantics are documented on
 * {@code PolicyEngine} and in {@code docs/POLICY.md}. Everything here is immutable or stateless and thread-safe; a
 * policy only ever decides calls of its own tenant. The Cedar native library loads on the first compile or decide.
 */
package dev.steward.guardrails.policy;
