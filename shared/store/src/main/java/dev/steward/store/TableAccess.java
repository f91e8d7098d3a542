package dev.steward.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/** Small helpers over the document API shared by the stores, and the key layout. Every partition key starts with the tenant. */
public final class TableAccess {
    private TableAccess() {}

    public static EnhancedDocument.Builder item(String pk, String sk) {
        return EnhancedDocument.builder()
                .attributeConverterProviders(software.amazon.awssdk.enhanced.dynamodb.AttributeConverterProvider.defaultProvider())
                .putString(StewardTable.PK, pk)
                .putString(StewardTable.SK, sk);
    }

    public static Optional<EnhancedDocument> get(StewardTable table, String pk, String sk) {
        return Optional.ofNullable(table.documents()
                .getItem(r -> r.key(Key.builder().partitionValue(pk).sortValue(sk).build()).consistentRead(true)));
    }

    /** Puts the item only if no item with its key exists; false when one does. */
    public static boolean putIfAbsent(StewardTable table, EnhancedDocument doc) {
        return putIf(table, doc, absent());
    }

    /** Puts the item only if the stored one has {@code expectedVersion}; false when it changed meanwhile. */
    public static boolean putIfVersion(StewardTable table, EnhancedDocument doc, long expectedVersion) {
        return putIf(table, doc, Expression.builder()
                .expression("attribute_exists(pk) AND #v = :v")
                .putExpressionName("#v", "version")
                .putExpressionValue(":v", AttributeValue.fromN(Long.toString(expectedVersion)))
                .build());
    }

    /** Puts the item only if {@code condition} holds for the stored one; false when it does not. */
    public static boolean putIf(StewardTable table, EnhancedDocument doc, Expression condition) {
        try {
            table.documents().putItem(PutItemEnhancedRequest.builder(EnhancedDocument.class)
                    .item(doc)
                    .conditionExpression(condition)
                    .build());
            return true;
        } catch (ConditionalCheckFailedException conditionFailed) {
            return false;
        }
    }

    /** A transaction's put of {@code doc}, only if {@code condition} holds for the stored item (null: always). */
    public static TransactWriteItem transactPut(StewardTable table, EnhancedDocument doc, Expression condition) {
        Put.Builder put = Put.builder().tableName(table.name()).item(doc.toMap());
        if (condition != null) {
            put.conditionExpression(condition.expression());
            if (condition.expressionNames() != null && !condition.expressionNames().isEmpty()) {
                put.expressionAttributeNames(condition.expressionNames());
            }
            if (condition.expressionValues() != null && !condition.expressionValues().isEmpty()) {
                put.expressionAttributeValues(condition.expressionValues());
            }
        }
        return TransactWriteItem.builder().put(put.build()).build();
    }

    /** A transaction's delete of the item {@code pk}/{@code sk}, only if it exists. */
    public static TransactWriteItem transactDeleteExisting(StewardTable table, String pk, String sk) {
        return TransactWriteItem.builder().delete(Delete.builder().tableName(table.name())
                .key(Map.of(StewardTable.PK, AttributeValue.fromS(pk), StewardTable.SK, AttributeValue.fromS(sk)))
                .conditionExpression("attribute_exists(pk)")
                .build()).build();
    }

    /** The condition of {@link #putIfAbsent}: no item with the key exists. */
    public static Expression absent() {
        return Expression.builder().expression("attribute_not_exists(pk)").build();
    }

    public static String tenantKey(dev.steward.core.tenant.TenantId t) {
        return "T#" + t.value();
    }

    public static String tenantChildKey(dev.steward.core.tenant.TenantId t, String kind, String id) {
        return "T#" + t.value() + "#" + kind + "#" + id;
    }

    public static String listingKey(dev.steward.core.tenant.TenantId t, String kind) {
        return "T#" + t.value() + "#" + kind;
    }

    /**
     * The listing index's (and the sweeper index's) sort key for an item created at {@code createdAt}: the time in UTC with nine fraction
     * digits always, then the id, so that text order is time order. ({@code Instant.toString} drops trailing zeros,
     * and "…:05Z" sorts after "…:05.5Z" although it is earlier.) Items written before this kept that form; they sort
     * right against these except within one and the same second.
     */
    public static String listingSortKey(Instant createdAt, String id) {
        return LISTING_TIME.format(createdAt) + "#" + id;
    }

    private static final DateTimeFormatter LISTING_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.nnnnnnnnn'Z'").withZone(ZoneOffset.UTC);

    /**
     * Keys of the sparse index {@code gsi2} over {@code shards} partitions (named by {@code shardKey}), sorted by
     * {@code gsi2sk}, at most {@code limit}: the items a sweeper lists across all tenants without a table scan.
     */
    public static java.util.List<EnhancedDocument> sparseKeys(StewardTable table, int shards,
            java.util.function.IntFunction<String> shardKey, int limit) {
        java.util.List<EnhancedDocument> keys = new java.util.ArrayList<>();
        for (int shard = 0; shard < shards; shard++) {
            String key = shardKey.apply(shard);
            table.documents().index(StewardTable.GSI2)
                    .query(r -> r.queryConditional(software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional
                            .keyEqualTo(k -> k.partitionValue(key))).limit(Math.min(limit, 1000)))
                    .stream().flatMap(p -> p.items().stream()).limit(limit).forEach(keys::add);
        }
        return keys.stream()
                .sorted(java.util.Comparator.comparing((EnhancedDocument d) -> d.getString(StewardTable.GSI2_SK)))
                .limit(limit)
                .toList();
    }

    /**
     * Every tenant's {@code kind} items ({@code T#<tenant>#<kind>#<id>}, {@code META}) whose status is one of
     * {@code statuses}: a filtered scan of the whole table, for a one-off backfill or one machine's start-up only.
     */
    public static java.util.List<EnhancedDocument> scanByStatus(StewardTable table, String kind, java.util.List<String> statuses) {
        Expression.Builder filter = Expression.builder().putExpressionName("#s", "status")
                .putExpressionValue(":meta", AttributeValue.fromS("META"))
                .putExpressionValue(":t", AttributeValue.fromS("T#"))
                .putExpressionValue(":kind", AttributeValue.fromS("#" + kind + "#"));
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < statuses.size(); i++) {
            names.add(":s" + i);
            filter.putExpressionValue(":s" + i, AttributeValue.fromS(statuses.get(i)));
        }
        Expression expression = filter.expression("sk = :meta AND begins_with(pk, :t) AND contains(pk, :kind) AND #s IN ("
                + String.join(", ", names) + ")").build();
        return table.documents().scan(r -> r.filterExpression(expression)).items().stream().toList();
    }
}
