package dev.steward.store.idempotency;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.error.PermanentException;
import dev.steward.core.error.TransientException;
import dev.steward.core.json.Json;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.AwsFailures;
import dev.steward.store.StewardTable;
import dev.steward.store.StoreException;
import dev.steward.store.TableAccess;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Idempotency records for external actions (ARCHITECTURE.md section 3, "Effectively-once side effects").
 *
 * <p>Protocol for a caller about to do something outside Steward (send an email, create a ticket):
 * <ol>
 *   <li>{@link #begin} with the action's {@link IdempotencyKey} and {@link PayloadHash}, before acting;</li>
 *   <li>on {@link BeginResult.Started}: act, then {@link #complete} with the outcome. If the action certainly did
 *       not happen (it failed before anything reached the vendor), {@link #abort} instead, so a retry may act;</li>
 *   <li>on {@link BeginResult.AlreadyCompleted}: return the stored outcome and do not act;</li>
 *   <li>on {@link BeginResult.InProgress}: do not act; the outcome is unknown and goes to human review.</li>
 * </ol>
 * A crash between acting and {@link #complete} therefore leaves the record in progress for ever (until its TTL),
 * and every later attempt gets {@code InProgress}: an unknown outcome is never retried blindly.
 *
 * <p>Item: {@code pk = T#<tenant>#IDEM#<key>}, {@code sk = META}, with {@code status}, {@code payloadHash},
 * {@code startedAt}, {@code owner} (the beginning attempt's random token), {@code completedAt}, {@code outcome}
 * (JSON) and {@code ttl} (epoch seconds, {@link #DEFAULT_RETENTION} ahead; the table's TTL attribute).
 *
 * <p>Thread-safe; every decision is a single conditional write, so any number of threads, processes or Lambdas
 * may race on one key and exactly one gets {@code Started}. Errors: {@link PermanentException} when the same key
 * comes with a different payload (a bug in key derivation or a caller), {@link StoreException} (permanent) when
 * {@code complete} finds no attempt in progress, {@link TransientException} when DynamoDB is unreachable or
 * throttling (retry the step).
 */
public final class IdempotencyStore {
    /** Long enough to outlive any retry, review or resumed segment of a run. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

    private static final String KIND = "IDEM";
    private static final String SK = "META";
    private static final String IN_PROGRESS = IdempotencyRecord.Status.IN_PROGRESS.name();
    private static final String COMPLETED = IdempotencyRecord.Status.COMPLETED.name();
    /** A begin can only lose the put to a record that is then aborted a few times in a row; give up after that. */
    private static final int BEGIN_ATTEMPTS = 3;

    private final StewardTable table;
    private final Duration retention;

    public IdempotencyStore(StewardTable table) {
        this(table, DEFAULT_RETENTION);
    }

    public IdempotencyStore(StewardTable table, Duration retention) {
        this.table = Objects.requireNonNull(table, "table");
        this.retention = Objects.requireNonNull(retention, "retention");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive");
        }
    }

    /** Records an attempt at the action unless one exists; see the class comment for what each result obliges. */
    public BeginResult begin(TenantId tenant, IdempotencyKey key, PayloadHash payloadHash, Instant now) {
        Objects.requireNonNull(payloadHash, "payloadHash");
        Objects.requireNonNull(now, "now");
        // A random token per begin: if the SDK retries our put after a lost response, the retry fails its condition
        // on our own item; the token tells "my write" from "someone else's" so that case still returns Started.
        String owner = UUID.randomUUID().toString();
        Map<String, AttributeValue> item = new HashMap<>(key(tenant, key));
        item.put("status", s(IN_PROGRESS));
        item.put("payloadHash", s(payloadHash.value()));
        item.put("startedAt", s(now.toString()));
        item.put("owner", s(owner));
        item.put("ttl", n(now.plus(retention).getEpochSecond()));
        for (int attempt = 0; attempt < BEGIN_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> existing;
            try {
                call(() -> table.client().putItem(r -> r.tableName(table.name())
                        .item(item)
                        .conditionExpression("attribute_not_exists(pk)")
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
                return new BeginResult.Started(key, now);
            } catch (ConditionalCheckFailedException exists) {
                existing = exists.hasItem() ? exists.item() : read(tenant, key);
            }
            if (existing == null || existing.isEmpty()) {
                continue; // aborted between our put and our read: the key is free again
            }
            if (!payloadHash.value().equals(str(existing, "payloadHash"))) {
                throw new PermanentException("idempotency key " + key + " of tenant " + tenant
                        + " was begun with a different payload: the same call id must always carry the same arguments");
            }
            if (owner.equals(str(existing, "owner"))) {
                return new BeginResult.Started(key, now);
            }
            return COMPLETED.equals(str(existing, "status"))
                    ? new BeginResult.AlreadyCompleted(Json.tree(str(existing, "outcome")), Instant.parse(str(existing, "completedAt")))
                    : new BeginResult.InProgress(Instant.parse(str(existing, "startedAt")));
        }
        throw new TransientException("idempotency key " + key + " was begun and aborted concurrently " + BEGIN_ATTEMPTS + " times");
    }

    /**
     * Records the action's outcome, so later attempts get {@link BeginResult.AlreadyCompleted} with it. Only the
     * caller that got {@code Started} may call this, once.
     *
     * @throws StoreException if no attempt is in progress under this key (never begun, aborted, or completed)
     */
    public void complete(TenantId tenant, IdempotencyKey key, JsonNode outcome, Instant now) {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(now, "now");
        try {
            call(() -> table.client().updateItem(r -> r.tableName(table.name())
                    .key(key(tenant, key))
                    .updateExpression("SET #s = :completed, outcome = :outcome, completedAt = :at, #ttl = :ttl")
                    .conditionExpression("attribute_exists(pk) AND #s = :inProgress")
                    .expressionAttributeNames(Map.of("#s", "status", "#ttl", "ttl"))
                    .expressionAttributeValues(Map.of(
                            ":completed", s(COMPLETED),
                            ":inProgress", s(IN_PROGRESS),
                            ":outcome", s(Json.write(outcome)),
                            ":at", s(now.toString()),
                            ":ttl", n(now.plus(retention).getEpochSecond())))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
        } catch (ConditionalCheckFailedException notInProgress) {
            String status = notInProgress.hasItem() ? str(notInProgress.item(), "status") : null;
            throw new StoreException("idempotency key " + key + " of tenant " + tenant + " has no attempt in progress ("
                    + (status == null ? "no record" : status) + "): complete() must follow a Started begin()");
        }
    }

    /**
     * Removes an in-progress record so that a retry may act. Call it only when the action certainly did not happen
     * (e.g. the vendor could not be reached at all); when in doubt leave the record, and the retry goes to review.
     *
     * @return true if an in-progress record was removed; false if there was none, or it is completed (a completed
     *     record is never removed)
     */
    public boolean abort(TenantId tenant, IdempotencyKey key) {
        try {
            call(() -> table.client().deleteItem(r -> r.tableName(table.name())
                    .key(key(tenant, key))
                    .conditionExpression("#s = :inProgress")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":inProgress", s(IN_PROGRESS)))));
            return true;
        } catch (ConditionalCheckFailedException notInProgress) {
            return false;
        }
    }

    /** The record under {@code key} in {@code tenant}'s partition, if any. */
    public Optional<IdempotencyRecord> find(TenantId tenant, IdempotencyKey key) {
        Map<String, AttributeValue> item = read(tenant, key);
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        boolean completed = COMPLETED.equals(str(item, "status"));
        return Optional.of(new IdempotencyRecord(
                tenant,
                key,
                IdempotencyRecord.Status.valueOf(str(item, "status")),
                new PayloadHash(str(item, "payloadHash")),
                Instant.parse(str(item, "startedAt")),
                completed ? Instant.parse(str(item, "completedAt")) : null,
                completed ? Json.tree(str(item, "outcome")) : null,
                Instant.ofEpochSecond(Long.parseLong(item.get("ttl").n()))));
    }

    private Map<String, AttributeValue> read(TenantId tenant, IdempotencyKey key) {
        return call(() -> table.client().getItem(r -> r.tableName(table.name()).key(key(tenant, key)).consistentRead(true)).item());
    }

    private static Map<String, AttributeValue> key(TenantId tenant, IdempotencyKey key) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(key, "key");
        return Map.of(
                StewardTable.PK, s(TableAccess.tenantChildKey(tenant, KIND, key.value())),
                StewardTable.SK, s(SK));
    }

    /** Maps DynamoDB being unreachable or throttling to {@link TransientException}; anything else is a bug and propagates. */
    private static <T> T call(Supplier<T> request) {
        try {
            return request.get();
        } catch (ConditionalCheckFailedException expected) {
            throw expected;
        } catch (SdkException e) {
            throw AwsFailures.classify("the idempotency store", e);
        }
    }

    private static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
