package dev.steward.store.review;

import dev.steward.core.json.Json;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.Listing;
import dev.steward.store.StewardTable;
import dev.steward.store.StoreException;
import dev.steward.store.TableAccess;
import dev.steward.store.audit.AuditEvent;
import dev.steward.store.audit.AuditStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reviews. A decision is a conditional write on {@code status = PENDING}: of two concurrent decisions exactly one
 * is stored, the other gets {@link AlreadyDecidedException}. Listing is by status through {@code gsi1}.
 */
public final class ReviewStore {
    private static final String KIND = "REV";
    private final StewardTable table;

    public ReviewStore(StewardTable table) {
        this.table = table;
    }

    /** Thrown to the loser of a decision race, or for a decision on a review that is no longer pending. */
    public static final class AlreadyDecidedException extends RuntimeException {
        public AlreadyDecidedException(String message) {
            super(message);
        }
    }

    public void create(ReviewRecord review) {
        if (!TableAccess.putIfAbsent(table, toItem(review))) {
            throw new StoreException("review " + review.id() + " already exists");
        }
    }

    /**
     * Creates {@code review} unless a review with its id exists; returns false (and changes nothing) if it does.
     * With an id from {@link ReviewRecord#idFor}, a retried step that asks again gets the review it made before.
     */
    public boolean createIfAbsent(ReviewRecord review) {
        return TableAccess.putIfAbsent(table, toItem(review));
    }

    public Optional<ReviewRecord> find(TenantId tenant, String id) {
        if (!ReviewRecord.isValidId(id)) {
            return Optional.empty();
        }
        return TableAccess.get(table, TableAccess.tenantChildKey(tenant, KIND, id), "META")
                .map(d -> Json.read(d.getString("body"), ReviewRecord.class));
    }

    /** Stores the decision if the review is still pending (and not expired at {@code now}). */
    public ReviewRecord decide(ReviewRecord pending, ReviewStatus outcome, ReviewRecord.Decision decision, Instant now) {
        return decide(pending, outcome, decision, now, null);
    }

    /**
     * As {@link #decide(ReviewRecord, ReviewStatus, ReviewRecord.Decision, Instant)}, with {@code event} (null: none)
     * appended in the same transaction as the decision: the loser of a race writes neither.
     */
    public ReviewRecord decide(ReviewRecord pending, ReviewStatus outcome, ReviewRecord.Decision decision, Instant now, AuditEvent event) {
        if (pending.effectiveStatus(now) != ReviewStatus.PENDING) {
            throw new AlreadyDecidedException("review " + pending.id() + " is " + pending.effectiveStatus(now).wire());
        }
        return writeIfPending(pending.decided(outcome, decision), event);
    }

    /** Marks a pending review past its expiry as EXPIRED; false when it was decided meanwhile. */
    public boolean expire(ReviewRecord pending, Instant now) {
        if (pending.effectiveStatus(now) != ReviewStatus.EXPIRED) {
            throw new IllegalArgumentException("review " + pending.id() + " has not expired");
        }
        try {
            writeIfPending(pending.decided(ReviewStatus.EXPIRED, new ReviewRecord.Decision("expire", null, null, "sweeper", now)), null);
            return true;
        } catch (AlreadyDecidedException decided) {
            return false;
        }
    }

    /** The one conditional write every state change goes through: it succeeds only while the review is pending. */
    private ReviewRecord writeIfPending(ReviewRecord decided, AuditEvent event) {
        Expression pending = Expression.builder()
                .expression("#s = :pending")
                .putExpressionName("#s", "status")
                .putExpressionValue(":pending", AttributeValue.fromS(ReviewStatus.PENDING.name()))
                .build();
        boolean written = event == null ? TableAccess.putIf(table, toItem(decided), pending)
                : AuditStore.commit(table, event, TableAccess.transactPut(table, toItem(decided), pending));
        if (!written) {
            throw new AlreadyDecidedException("review " + decided.id() + " was decided by someone else first");
        }
        return decided;
    }

    /** Reviews with these statuses, newest first. */
    public List<ReviewRecord> list(TenantId tenant, List<ReviewStatus> statuses, int limit) {
        List<ReviewRecord> out = new ArrayList<>();
        for (ReviewStatus status : statuses) {
            Listing.newest(table, listing(tenant, status), limit)
                    .forEach(d -> out.add(Json.read(d.getString("body"), ReviewRecord.class)));
        }
        out.sort(Comparator.comparing(ReviewRecord::createdAt).reversed());
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    private static String listing(TenantId tenant, ReviewStatus status) {
        return TableAccess.listingKey(tenant, KIND + "#" + status.name());
    }

    private static EnhancedDocument toItem(ReviewRecord r) {
        return TableAccess.item(TableAccess.tenantChildKey(r.tenant(), KIND, r.id()), "META")
                .putString(StewardTable.GSI1_PK, listing(r.tenant(), r.status()))
                .putString(StewardTable.GSI1_SK, TableAccess.listingSortKey(r.createdAt(), r.id()))
                .putString("status", r.status().name())
                .putString("body", Json.write(r))
                .build();
    }

}
