package dev.steward.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.almworks.sqlite4java.SQLiteConnection;
import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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
    void switchingToWalWaitsForALockThatIsStillHeldInsteadOfFailing() throws Exception {
        Path db = dir.resolve("locked.db");
        SqliteJournal.shutdown(DynamoDBEmbedded.create(db.toFile(), false), db); // creates the file, loads SQLite
        // Another connection holds the file for a moment, as DynamoDB Local's closing connection can after shutdown().
        // SQLite connections belong to the thread that opened them, so the holder lives on its own thread.
        CountDownLatch locked = new CountDownLatch(1);
        AtomicReference<Exception> holderFailed = new AtomicReference<>();
        Thread holder = Thread.ofPlatform().start(() -> {
            SQLiteConnection connection = new SQLiteConnection(db.toFile());
            try {
                connection.open(false);
                connection.setBusyTimeout(SqliteJournal.LOCK_WAIT_MS); // the closing DynamoDB Local may still hold it
                connection.exec("BEGIN EXCLUSIVE");
                locked.countDown();
                Thread.sleep(500);
                connection.exec("COMMIT");
            } catch (Exception e) {
                holderFailed.set(e);
                locked.countDown();
            } finally {
                connection.dispose();
            }
        });
        assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
        long start = System.nanoTime();
        SqliteJournal.useWal(db);
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        holder.join();
        assertThat(holderFailed.get()).isNull();
        assertThat(SqliteJournal.isWal(db)).isTrue();
        assertThat(waitedMs).as("useWal returned while the other connection still held the lock").isGreaterThanOrEqualTo(300);
    }

    @Test
    void anObjectWithoutASqliteQueueIsRefusedByName() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SqliteJournal.relaxSync(new Object()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("java.lang.Object");
    }
}
