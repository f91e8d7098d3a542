package dev.steward.store.audit;

import dev.steward.core.error.TransientException;
import dev.steward.core.json.Json;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.Listing;
import dev.steward.store.StewardTable;
import dev.steward.store.StoreException;
import dev.steward.store.TableAccess;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The append-only audit trail: one item per {@link AuditEvent} in the tenant's own partition {@code T#<tenant>#AUDIT}
 * (so an IAM {@code dynamodb:LeadingKeys} condition can single it out), sort key the event's time with nine fraction
 * digits then its random id ({@link TableAccess#listingSortKey}), so text order is time order and two events of one
 * instant do not share a key (and if they did, the second write would fail, not overwrite). Every write is a put conditional on the key being free, and this class has no update or
 * delete: nothing in the code changes or removes an event.
 *
 * <p>A change that is one DynamoDB write is written with its event in one transaction ({@link #commit}): either both
 * land or neither does, so no change is without its event and no event is without its change.
 */
public final class AuditStore {
    static final String KIND = "AUDIT";
    private final StewardTable table;

    public AuditStore(StewardTable table) {
        this.table = table;
    }

    /**
     * Writes {@code changes} and {@code event} in one transaction. Returns false, having written nothing, when a
     * change's own condition does not hold (the item it expects is missing, or was changed by someone else); throws a
     * {@link TransientException} when another transaction held one of the items at the same moment (worth a retry).
     */
    public static boolean commit(StewardTable table, AuditEvent event, TransactWriteItem... changes) {
        List<TransactWriteItem> items = new ArrayList<>(List.of(changes));
        items.add(TableAccess.transactPut(table, toItem(event), TableAccess.absent()));
        try {
            table.client().transactWriteItems(r -> r.transactItems(items));
            return true;
        } catch (TransactionCanceledException cancelled) {
            List<CancellationReason> reasons = cancelled.hasCancellationReasons() ? cancelled.cancellationReasons() : List.of();
            for (int i = 0; i < reasons.size(); i++) {
                if ("ConditionalCheckFailed".equals(reasons.get(i).code())) {
                    if (i == changes.length) {
                        throw new StoreException("audit event key " + sortKey(event) + " is taken", cancelled);
                    }
                    return false;
                }
            }
            if (reasons.stream().anyMatch(r -> "TransactionConflict".equals(r.code()))) {
                throw new TransientException("the change met another one to the same item at the same moment; retry it", cancelled);
            }
            throw cancelled;
        }
    }

    /**
     * Appends {@code event} on its own, for a change that is not one DynamoDB write (it is written right after the
     * change: a failure between the two leaves the change without its event).
     */
    public void append(AuditEvent event) {
        if (!TableAccess.putIfAbsent(table, toItem(event))) {
            throw new StoreException("audit event key " + sortKey(event) + " is taken");
        }
    }

    /**
     * One page of the tenant's events, newest first, from {@code since} (inclusive) to {@code until} (exclusive) when
     * given, only {@code action}'s when given. The time range is a key condition; the action a filter over the
     * {@code limit} events a page reads, so a filtered page may hold fewer than {@code limit} events (even none) and
     * still have a next one.
     *
     * @throws Listing.InvalidCursorException when {@code cursor} was not given out for this tenant's trail and range
     */
    public Listing.Page<AuditEvent> list(TenantId tenant, int limit, String cursor, AuditAction action, Instant since, Instant until) {
        Expression filter = action == null ? null : Expression.builder().expression("#action = :action")
                .putExpressionName("#action", "action").putExpressionValue(":action", AttributeValue.fromS(action.name())).build();
        // "<time>#" sorts before every key of that instant ("<time>#<suffix>"): from it on includes them, up to it excludes them
        String from = since == null ? null : TableAccess.listingSortKey(since, "");
        String to = until == null ? null : TableAccess.listingSortKey(until, "");
        return Listing.partitionPage(table, partition(tenant), from, to, limit, cursor, filter)
                .map(d -> Json.read(d.getString("body"), AuditEvent.class));
    }

    private static EnhancedDocument toItem(AuditEvent event) {
        return TableAccess.item(partition(event.tenant()), sortKey(event))
                .putString("action", event.action().name())
                .putString("body", Json.write(event))
                .build();
    }

    /** The event's key in its partition: its time, then its random id. */
    private static String sortKey(AuditEvent event) {
        return TableAccess.listingSortKey(event.at(), event.id());
    }

    /** The tenant's audit partition, {@code T#<tenant>#AUDIT}. */
    public static String partition(TenantId tenant) {
        return TableAccess.listingKey(tenant, KIND);
    }
}
