package dev.steward.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

class SqliteJournalTest {
    @TempDir
    Path dir;

    @Test
    void theFileGoesToWalAndTheConnectionToNormalSyncAndWritesSurviveARestart() {
        Path db = dir.resolve("steward.db");
        AmazonDynamoDBLocal first = DynamoDBEmbedded.create(db.toFile(), false);
        assertThat(SqliteJournal.isWal(db)).isFalse();
        SqliteJournal.shutdown(first, db);
        SqliteJournal.useWal(db);
        assertThat(SqliteJournal.isWal(db)).isTrue();

        AmazonDynamoDBLocal second = DynamoDBEmbedded.create(db.toFile(), false);
        assertThat(SqliteJournal.relaxSync(second)).isEqualTo(1); // NORMAL
        second.dynamoDbClient().createTable(t -> t.tableName("notes").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
        second.dynamoDbClient().putItem(p -> p.tableName("notes").item(Map.of("pk", AttributeValue.fromS("a"), "v", AttributeValue.fromS("kept"))));
        SqliteJournal.shutdown(second, db);

        AmazonDynamoDBLocal third = DynamoDBEmbedded.create(db.toFile(), false);
        try {
            assertThat(SqliteJournal.isWal(db)).isTrue();
            assertThat(third.dynamoDbClient().getItem(g -> g.tableName("notes").key(Map.of("pk", AttributeValue.fromS("a")))).item().get("v").s())
                    .isEqualTo("kept");
        } finally {
            SqliteJournal.shutdown(third, db);
        }
    }

    @Test
    void anObjectWithoutASqliteQueueIsRefusedByName() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SqliteJournal.relaxSync(new Object()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("java.lang.Object");
    }
}
