package dev.steward.store.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.error.PermanentException;
import dev.steward.core.json.Json;
import dev.steward.core.run.RunId;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.LocalTable;
import dev.steward.store.StewardTable;
import dev.steward.store.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The idempotency protocol against DynamoDB Local (embedded, in memory). */
class IdempotencyStoreTest {
    @RegisterExtension
    static final LocalTable DB = new LocalTable();
    static IdempotencyStore store;
    static final TenantId A = TenantId.of("tenant-a");
    static final TenantId B = TenantId.of("tenant-b");
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final PayloadHash PAYLOAD = PayloadHash.of("send_email", Json.tree("{\"to\":[\"a@example.test\"],\"subject\":\"hi\"}"));

    @BeforeAll
    static void start() {
        StewardTable table = DB.table();
        store = new IdempotencyStore(table);
    }


    static IdempotencyKey freshKey(TenantId tenant) {
        return IdempotencyKey.of(tenant, RunId.random(), 3, "call_1");
    }

    @Test
    void secondBeginSeesTheFirstInProgress() {
        IdempotencyKey key = freshKey(A);
        assertThat(store.begin(A, key, PAYLOAD, T0)).isEqualTo(new BeginResult.Started(key, T0));
        assertThat(store.begin(A, key, PAYLOAD, T0.plusSeconds(5))).isEqualTo(new BeginResult.InProgress(T0));

        IdempotencyRecord stored = store.find(A, key).orElseThrow();
        assertThat(stored.status()).isEqualTo(IdempotencyRecord.Status.IN_PROGRESS);
        assertThat(stored.payloadHash()).isEqualTo(PAYLOAD);
        assertThat(stored.expiresAt()).isEqualTo(T0.plus(Duration.ofDays(30)));
    }

    @Test
    void beginAfterCompleteReturnsTheStoredOutcomeEveryTime() {
        IdempotencyKey key = freshKey(A);
        assertThat(store.begin(A, key, PAYLOAD, T0)).isInstanceOf(BeginResult.Started.class);
        JsonNode outcome = Json.tree("{\"messageId\":\"<x@example.test>\",\"accepted\":[\"a@example.test\"]}");
        store.complete(A, key, outcome, T0.plusSeconds(2));

        for (int i = 0; i < 3; i++) {
            assertThat(store.begin(A, key, PAYLOAD, T0.plusSeconds(10 + i)))
                    .isEqualTo(new BeginResult.AlreadyCompleted(outcome, T0.plusSeconds(2)));
        }
        IdempotencyRecord stored = store.find(A, key).orElseThrow();
        assertThat(stored.status()).isEqualTo(IdempotencyRecord.Status.COMPLETED);
        assertThat(stored.outcome()).isEqualTo(outcome);
        assertThat(stored.expiresAt()).isEqualTo(T0.plusSeconds(2).plus(Duration.ofDays(30)));
    }

    @Test
    void exactlyOneOfEightConcurrentBeginsStarts() throws Exception {
        for (int round = 0; round < 5; round++) {
            IdempotencyKey key = freshKey(A);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<BeginResult>> results = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    results.add(pool.submit(() -> {
                        go.await();
                        return store.begin(A, key, PAYLOAD, T0);
                    }));
                }
                go.countDown();
                AtomicInteger started = new AtomicInteger();
                AtomicInteger inProgress = new AtomicInteger();
                for (Future<BeginResult> f : results) {
                    switch (f.get()) {
                        case BeginResult.Started s -> started.incrementAndGet();
                        case BeginResult.InProgress p -> inProgress.incrementAndGet();
                        case BeginResult.AlreadyCompleted c -> throw new AssertionError("nobody completed " + c);
                    }
                }
                assertThat(started).hasValue(1);
                assertThat(inProgress).hasValue(7);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void tenantBNeverSeesTenantAsRecord() {
        // Even the very same key value under tenant B is a different item (the tenant leads the partition key).
        IdempotencyKey key = freshKey(A);
        store.begin(A, key, PAYLOAD, T0);
        store.complete(A, key, Json.tree("{\"messageId\":\"a\"}"), T0);

        assertThat(store.find(B, key)).isEmpty();
        assertThat(store.abort(B, key)).isFalse();
        assertThatThrownBy(() -> store.complete(B, key, Json.tree("{}"), T0)).isInstanceOf(StoreException.class);
        assertThat(store.begin(B, key, PAYLOAD, T0)).isInstanceOf(BeginResult.Started.class);
        // ... and tenant B's activity changed nothing of A's.
        assertThat(store.begin(A, key, PAYLOAD, T0)).isInstanceOf(BeginResult.AlreadyCompleted.class);
        assertThat(store.find(A, key).orElseThrow().outcome()).isEqualTo(Json.tree("{\"messageId\":\"a\"}"));
    }

    @Test
    void aDifferentPayloadUnderTheSameKeyIsABug() {
        IdempotencyKey key = freshKey(A);
        store.begin(A, key, PAYLOAD, T0);
        PayloadHash other = PayloadHash.of("send_email", Json.tree("{\"to\":[\"b@example.test\"],\"subject\":\"hi\"}"));
        assertThatThrownBy(() -> store.begin(A, key, other, T0))
                .isInstanceOf(PermanentException.class).hasMessageContaining("different payload");
        store.complete(A, key, Json.tree("{}"), T0);
        assertThatThrownBy(() -> store.begin(A, key, other, T0)).isInstanceOf(PermanentException.class);
    }

    @Test
    void abortFreesAnInProgressKeyButNeverACompletedOne() {
        IdempotencyKey key = freshKey(A);
        assertThat(store.abort(A, key)).isFalse(); // nothing to abort
        store.begin(A, key, PAYLOAD, T0);
        assertThat(store.abort(A, key)).isTrue();
        assertThat(store.find(A, key)).isEmpty();
        assertThat(store.abort(A, key)).isFalse();

        assertThat(store.begin(A, key, PAYLOAD, T0.plusSeconds(1))).isEqualTo(new BeginResult.Started(key, T0.plusSeconds(1)));
        store.complete(A, key, Json.tree("{\"ok\":true}"), T0.plusSeconds(2));
        assertThat(store.abort(A, key)).isFalse();
        assertThat(store.begin(A, key, PAYLOAD, T0.plusSeconds(3))).isInstanceOf(BeginResult.AlreadyCompleted.class);
    }

    @Test
    void completeNeedsAnAttemptInProgress() {
        IdempotencyKey key = freshKey(A);
        assertThatThrownBy(() -> store.complete(A, key, Json.tree("{}"), T0))
                .isInstanceOf(StoreException.class).hasMessageContaining("no record");
        store.begin(A, key, PAYLOAD, T0);
        store.complete(A, key, Json.tree("{\"n\":1}"), T0);
        assertThatThrownBy(() -> store.complete(A, key, Json.tree("{\"n\":2}"), T0))
                .isInstanceOf(StoreException.class).hasMessageContaining("COMPLETED");
        assertThat(store.find(A, key).orElseThrow().outcome()).isEqualTo(Json.tree("{\"n\":1}"));
    }

    @Test
    void retentionIsConfigurable() {
        IdempotencyStore shortLived = new IdempotencyStore(
                DB.table(), Duration.ofDays(2));
        IdempotencyKey key = freshKey(A);
        shortLived.begin(A, key, PAYLOAD, T0);
        assertThat(shortLived.find(A, key).orElseThrow().expiresAt()).isEqualTo(T0.plus(Duration.ofDays(2)));
        assertThatThrownBy(() -> new IdempotencyStore(DB.table(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
