package dev.steward.store;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The Steward table in an embedded, in-memory DynamoDB Local for one test class:
 * {@code @RegisterExtension static final LocalTable DB = new LocalTable();}, then {@code DB.table()} from
 * {@code @BeforeAll} on (static extensions start before the class's own {@code @BeforeAll}).
 */
public final class LocalTable implements BeforeAllCallback, AfterAllCallback {
    private AmazonDynamoDBLocal dynamo;
    private StewardTable table;

    @Override
    public void beforeAll(ExtensionContext context) {
        dynamo = DynamoDBEmbedded.create(false); // false: no telemetry
        table = new StewardTable(dynamo.dynamoDbClient(), "steward-test");
        table.createIfMissing();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        dynamo.shutdown();
    }

    public StewardTable table() {
        if (table == null) {
            throw new IllegalStateException("LocalTable is used before its test class started; register it as a static extension");
        }
        return table;
    }
}
