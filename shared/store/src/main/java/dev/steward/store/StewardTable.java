package dev.steward.store;

import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.enhanced.dynamodb.AttributeValueType;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Steward's one DynamoDB table. Keys: {@code pk}/{@code sk}; listing index {@code gsi1} on
 * {@code gsi1pk}/{@code gsi1sk}; sparse, keys-only index {@code gsi2} on {@code gsi2pk}/{@code gsi2sk} holding only
 * the runs that have not ended (for the sweeper, across tenants). Every partition key of the table starts with
 * {@code T#<tenant>} so an IAM {@code dynamodb:LeadingKeys} condition can confine a tenant's credentials.
 */
public final class StewardTable {
    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String GSI1 = "gsi1";
    public static final String GSI1_PK = "gsi1pk";
    public static final String GSI1_SK = "gsi1sk";
    public static final String GSI2 = "gsi2";
    public static final String GSI2_PK = "gsi2pk";
    public static final String GSI2_SK = "gsi2sk";

    private static final TableSchema<EnhancedDocument> SCHEMA = TableSchema.documentSchemaBuilder()
            .addIndexPartitionKey(TableMetadataNames.PRIMARY, PK, AttributeValueType.S)
            .addIndexSortKey(TableMetadataNames.PRIMARY, SK, AttributeValueType.S)
            .addIndexPartitionKey(GSI1, GSI1_PK, AttributeValueType.S)
            .addIndexSortKey(GSI1, GSI1_SK, AttributeValueType.S)
            .addIndexPartitionKey(GSI2, GSI2_PK, AttributeValueType.S)
            .addIndexSortKey(GSI2, GSI2_SK, AttributeValueType.S)
            .attributeConverterProviders(software.amazon.awssdk.enhanced.dynamodb.AttributeConverterProvider.defaultProvider())
            .build();

    private final DynamoDbClient client;
    private final String name;
    private final DynamoDbTable<EnhancedDocument> table;

    public StewardTable(DynamoDbClient client, String name) {
        this.client = Objects.requireNonNull(client, "client");
        this.name = Objects.requireNonNull(name, "name");
        this.table = DynamoDbEnhancedClient.builder().dynamoDbClient(client).build().table(name, SCHEMA);
    }

    public DynamoDbTable<EnhancedDocument> documents() {
        return table;
    }

    public DynamoDbClient client() {
        return client;
    }

    public String name() {
        return name;
    }

    /**
     * Creates the table with its indexes when it does not exist, and adds an index that a table created by an
     * earlier version lacks (local mode and tests; CDK owns the table on AWS).
     *
     * @return the indexes added to an existing table (their items written before are not in them yet)
     */
    public List<String> createIfMissing() {
        try {
            client.createTable(CreateTableRequest.builder()
                    .tableName(name)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(attr(PK), attr(SK), attr(GSI1_PK), attr(GSI1_SK), attr(GSI2_PK), attr(GSI2_SK))
                    .keySchema(key(PK, KeyType.HASH), key(SK, KeyType.RANGE))
                    .globalSecondaryIndexes(index(GSI1, GSI1_PK, GSI1_SK, ProjectionType.ALL),
                            index(GSI2, GSI2_PK, GSI2_SK, ProjectionType.KEYS_ONLY))
                    .build());
            client.waiter().waitUntilTableExists(b -> b.tableName(name));
            return List.of();
        } catch (ResourceInUseException alreadyThere) {
            // Created by an earlier start: the data on disk is kept.
            return addMissingIndexes();
        }
    }

    private List<String> addMissingIndexes() {
        var existing = client.describeTable(b -> b.tableName(name)).table().globalSecondaryIndexes().stream()
                .map(i -> i.indexName()).toList();
        if (existing.contains(GSI2)) {
            return List.of();
        }
        client.updateTable(b -> b.tableName(name)
                .attributeDefinitions(attr(GSI2_PK), attr(GSI2_SK))
                .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName(GSI2)
                        .keySchema(key(GSI2_PK, KeyType.HASH), key(GSI2_SK, KeyType.RANGE))
                        .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build()))));
        awaitActive(GSI2);
        return List.of(GSI2);
    }

    /** Waits (up to a minute) until a new index has been built; DynamoDB answers queries of it only then. */
    private void awaitActive(String index) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
        while (true) {
            boolean active = client.describeTable(b -> b.tableName(name)).table().globalSecondaryIndexes().stream()
                    .anyMatch(i -> i.indexName().equals(index) && i.indexStatus() == software.amazon.awssdk.services.dynamodb.model.IndexStatus.ACTIVE);
            if (active) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("index " + index + " of table " + name + " was not active within a minute");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while index " + index + " of table " + name + " was being built", e);
            }
        }
    }

    private static GlobalSecondaryIndex index(String name, String partitionKey, String sortKey, ProjectionType projection) {
        return GlobalSecondaryIndex.builder()
                .indexName(name)
                .keySchema(key(partitionKey, KeyType.HASH), key(sortKey, KeyType.RANGE))
                .projection(Projection.builder().projectionType(projection).build())
                .build();
    }

    private static AttributeDefinition attr(String n) {
        return AttributeDefinition.builder().attributeName(n).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String n, KeyType type) {
        return KeySchemaElement.builder().attributeName(n).keyType(type).build();
    }

    private static final class TableMetadataNames {
        static final String PRIMARY = software.amazon.awssdk.enhanced.dynamodb.TableMetadata.primaryIndexName();
    }
}
