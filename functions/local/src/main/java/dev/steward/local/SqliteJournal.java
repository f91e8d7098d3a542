package dev.steward.local;

import com.almworks.sqlite4java.SQLiteConnection;
import com.almworks.sqlite4java.SQLiteException;
import com.almworks.sqlite4java.SQLiteStatement;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Puts DynamoDB Local's SQLite file in write-ahead-log mode. In its default rollback-journal mode every write costs
 * several fsyncs, which on a small VM's disk dominate the agent loop's step time; in WAL mode a commit costs one.
 * The mode is stored in the file, so it is set once (DynamoDB Local must not have the file open) and kept. It does
 * not weaken durability: committed writes survive a crash of the process or of the machine as before.
 */
final class SqliteJournal {
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(SqliteJournal.class.getName());
    private SqliteJournal() {}

    /** True when the database file exists and is in WAL mode (bytes 18 and 19 of the SQLite header are 2). */
    static boolean isWal(Path db) {
        if (!Files.isRegularFile(db)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(db)) {
            byte[] header = in.readNBytes(20);
            return header.length == 20 && header[18] == 2 && header[19] == 2;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Shuts DynamoDB Local down and waits until SQLite has closed the file: closing a WAL-mode database checkpoints
     * the log and deletes {@code -wal} and {@code -shm}; a new instance opening the file before that finds it locked.
     */
    static void shutdown(com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal dynamo, Path db) {
        dynamo.shutdown();
        Path wal = db.resolveSibling(db.getFileName() + "-wal");
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (Files.exists(wal)) {
            if (System.nanoTime() > deadline) {
                LOG.warning("DynamoDB Local did not close " + db + " within 10 s of shutting down; its write-ahead log is still there");
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Switches the (closed) database file to WAL mode; the SQLite native library must already be loaded. */
    static void useWal(Path db) {
        SQLiteConnection connection = new SQLiteConnection(db.toFile());
        try {
            connection.open(false);
            SQLiteStatement pragma = connection.prepare("PRAGMA journal_mode=WAL");
            try {
                pragma.step();
                String mode = pragma.columnString(0);
                if (!"wal".equalsIgnoreCase(mode)) {
                    throw new IllegalStateException("SQLite refused WAL mode for " + db + ": journal mode is " + mode);
                }
            } finally {
                pragma.dispose();
            }
        } catch (SQLiteException e) {
            throw new IllegalStateException("could not set WAL mode on " + db + ": " + e.getMessage(), e);
        } finally {
            connection.dispose();
        }
    }
}
