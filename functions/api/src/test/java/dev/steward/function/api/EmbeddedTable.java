package dev.steward.function.api;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import dev.steward.store.StewardTable;
import dev.steward.store.Stores;

/** Steward's table in an in-process DynamoDB Local, for tests that go through the real stores. */
record EmbeddedTable(AmazonDynamoDBLocal dynamo, Stores stores) implements AutoCloseable {
    static EmbeddedTable start() {
        AmazonDynamoDBLocal dynamo = DynamoDBEmbedded.create(false);
        StewardTable table = new StewardTable(dynamo.dynamoDbClient(), "steward-test");
        table.createIfMissing();
        return new EmbeddedTable(dynamo, Stores.over(table));
    }

    @Override
    public void close() {
        dynamo.shutdown();
    }
}
