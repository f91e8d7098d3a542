package dev.steward.local;

import com.almworks.sqlite4java.SQLiteBusyException;
import com.almworks.sqlite4java.SQLiteConnection;
import com.almworks.sqlite4java.SQLiteException;
import com.almworks.sqlite4java.SQLiteJob;
import com.almworks.sqlite4java.SQLiteQueue;
import com.almworks.sqlite4java.SQLiteStatement;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Puts DynamoDB Local's SQLite file in write-ahead-log mode with {@code synchronous=NORMAL}, SQLite's recommended
 * pairing for WAL. In its default rollback-journal mode every write costs several fsyncs, which on a small VM's disk
 * dominate the agent loop's step time; in WAL mode with NORMAL a commit costs none (the log is synced at
 * checkpoints). The journal mode is stored in the file, so it is set once (DynamoDB Local must not have the file
 * open) and kept; the synchronous level belongs to the connection and is set on each start.
 *
 * <p>Durability: a committed write survives a crash of the process ({@code kill -9}), which is what local mode's
 * crash recovery relies on; a power loss or kernel crash can roll back the last transactions before a checkpoint,
 * never corrupt the file (https://www.sqlite.org/wal.html#performance_considerations). Local mode is a
 * workstation stand-in; DynamoDB itself is the durable store on AWS. docs/DECISIONS.md has the trade-off.
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

    /**
     * Sets {@code synchronous=NORMAL} on DynamoDB Local's connection and returns the level SQLite then reports (1 for
     * NORMAL). DynamoDB Local runs every statement on one {@link SQLiteQueue} with one connection for its lifetime
     * and offers no setting for this, so the queue is found among its fields (by type, not by name).
     *
     * @throws IllegalStateException when this DynamoDB Local version keeps no such queue (then nothing changed)
     */
    static int relaxSync(Object dynamo) {
        SQLiteQueue queue = findQueue(dynamo, 4, new java.util.IdentityHashMap<>())
                .orElseThrow(() -> new IllegalStateException("no SQLite queue found inside " + dynamo.getClass().getName()));
        return queue.execute(new SQLiteJob<Integer>() {
            @Override
            protected Integer job(SQLiteConnection connection) throws SQLiteException {
                connection.exec("PRAGMA synchronous=NORMAL");
                SQLiteStatement level = connection.prepare("PRAGMA synchronous");
                try {
                    level.step();
                    return level.columnInt(0);
                } finally {
                    level.dispose();
                }
            }
        }).complete();
    }

    private static java.util.Optional<SQLiteQueue> findQueue(Object from, int depth, java.util.Map<Object, Boolean> seen) {
        if (from instanceof SQLiteQueue queue) {
            return java.util.Optional.of(queue);
        }
        if (from == null || depth == 0 || seen.put(from, Boolean.TRUE) != null) {
            return java.util.Optional.empty();
        }
        for (Class<?> c = from.getClass(); c != null && c.getName().startsWith("com.amazonaws.services.dynamodbv2.local"); c = c.getSuperclass()) {
            for (java.lang.reflect.Field field : c.getDeclaredFields()) {
                if (java.lang.reflect.Modifier.isStatic(field.getModifiers()) || field.getType().isPrimitive()) {
                    continue;
                }
                try {
                    field.setAccessible(true);
                    java.util.Optional<SQLiteQueue> found = findQueue(field.get(from), depth - 1, seen);
                    if (found.isPresent()) {
                        return found;
                    }
                } catch (ReflectiveOperationException | RuntimeException inaccessible) {
                    // not a path to the queue
                }
            }
        }
        return java.util.Optional.empty();
    }

    /** How long switching to WAL waits for a lock another connection still holds (see {@link #useWal}). */
    static final int LOCK_WAIT_MS = 10_000;

    /**
     * Switches the (closed) database file to WAL mode; the SQLite native library must already be loaded. DynamoDB Local
     * closes its connection on its own thread after {@code shutdown()} returns, so the switch may find the file still
     * locked for a moment: it waits up to {@link #LOCK_WAIT_MS} for the lock instead of failing. SQLite's busy timeout
     * does the waiting, and a busy answer that SQLite gives without waiting (it does so where waiting could deadlock,
     * and while another connection is still opening or closing the file) is tried again until the same deadline.
     */
    static void useWal(Path db) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(LOCK_WAIT_MS);
        while (true) {
            try {
                switchToWal(db);
                return;
            } catch (SQLiteBusyException busy) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not set WAL mode on " + db + " within " + LOCK_WAIT_MS + " ms: "
                            + busy.getMessage(), busy);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while setting WAL mode on " + db, e);
                }
            } catch (SQLiteException e) {
                throw new IllegalStateException("could not set WAL mode on " + db + ": " + e.getMessage(), e);
            }
        }
    }

    private static void switchToWal(Path db) throws SQLiteException {
        SQLiteConnection connection = new SQLiteConnection(db.toFile());
        try {
            connection.open(false);
            connection.setBusyTimeout(LOCK_WAIT_MS);
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
        } finally {
            connection.dispose();
        }
    }
}
