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
 * {@code gsi1pk}/{@code gsi1sk}. Every partition key starts with {@code T#<tenant>} so an IAM
 * {@code dynamodb:LeadingKeys} condition can confine a tenant's credentials.
 */
public final class StewardTable {
    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String GSI1 = "gsi1";
    public static final String GSI1_PK = "gsi1pk";
    public static final String GSI1_SK = "gsi1sk";

    private static final TableSchema<EnhancedDocument> SCHEMA = TableSchema.documentSchemaBuilder()
            .addIndexPartitionKey(TableMetadataNames.PRIMARY, PK, AttributeValueType.S)
            .addIndexSortKey(TableMetadataNames.PRIMARY, SK, AttributeValueType.S)
            .addIndexPartitionKey(GSI1, GSI1_PK, AttributeValueType.S)
            .addIndexSortKey(GSI1, GSI1_SK, AttributeValueType.S)
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

    /** Creates the table with its index when it does not exist (local mode and tests; CDK owns it on AWS). */
    public void createIfMissing() {
        try {
            client.createTable(CreateTableRequest.builder()
                    .tableName(name)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            attr(PK), attr(SK), attr(GSI1_PK), attr(GSI1_SK))
                    .keySchema(key(PK, KeyType.HASH), key(SK, KeyType.RANGE))
                    .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                            .indexName(GSI1)
                            .keySchema(key(GSI1_PK, KeyType.HASH), key(GSI1_SK, KeyType.RANGE))
                            .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                            .build())
                    .build());
            client.waiter().waitUntilTableExists(b -> b.tableName(name));
        } catch (ResourceInUseException alreadyThere) {
            // Created by an earlier start: the data on disk is kept.
        }
    }

    private static AttributeDefinition attr(String n) {
        return AttributeDefinition.builder().attributeName(n).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String n, KeyType type) {
        return KeySchemaElement.builder().attributeName(n).keyType(type).build();
    }

    static List<String> keyAttributes() {
        return List.of(PK, SK, GSI1_PK, GSI1_SK);
    }

    private static final class TableMetadataNames {
        static final String PRIMARY = software.amazon.awssdk.enhanced.dynamodb.TableMetadata.primaryIndexName();
    }
}
