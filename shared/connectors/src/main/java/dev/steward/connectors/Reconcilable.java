package dev.steward.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * An optional capability of an {@link SideEffect#EXTERNAL_WRITE} tool: telling, from the vendor's own records, whether
 * an earlier attempt of a call whose outcome Steward never learnt (a timeout or a 5xx after the request was sent) took
 * effect. The Act step asks before it turns such a call into a review, and again before it re-runs one a person
 * approved, so that a write the vendor did apply is recorded as done instead of being repeated.
 *
 * <p>Contract: {@link #reconcile} never acts on the vendor (it only reads), never throws for the vendor's failures
 * (they are {@link Reconciliation.Unknown}), and, when it returns {@link Reconciliation.Found}, has recorded the call as
 * done under {@code context}'s idempotency key, so every later attempt of that call replays the found outcome.
 * Thread-safe. A tool that cannot look (email) simply does not implement this.
 */
public interface Reconcilable {

    /**
     * Looks at the vendor for the effect an attempt of this call, begun at or after {@code since}, would have left.
     *
     * @param context the call being decided (its tenant's connection is used; its key is where a found outcome is recorded)
     * @param arguments the call's arguments, as the tool would send them
     * @param since no later than the start of the earliest attempt in doubt
     */
    Reconciliation reconcile(ToolContext context, JsonNode arguments, Instant since);
}
