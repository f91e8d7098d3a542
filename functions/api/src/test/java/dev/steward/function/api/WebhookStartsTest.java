package dev.steward.function.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How a delivery's runs are started: side by side, outcomes in the events' order, failures after all have ended. */
class WebhookStartsTest {

    @Test
    void eightEventsAreStartedAtOnceAndAnswerInTheirOrder() {
        List<Integer> events = IntStream.range(0, 24).boxed().toList();
        // each start waits for seven others: started one after another, the first would wait in vain
        CyclicBarrier together = new CyclicBarrier(WebhooksApi.START_CONCURRENCY);

        List<String> outcomes = WebhooksApi.startAll(events, e -> {
            await(together);
            return "run-" + e;
        });

        assertThat(outcomes).containsExactlyElementsOf(events.stream().map(e -> "run-" + e).toList());
    }

    @Test
    void theFirstFailureIsThrownOnlyAfterEveryStartHasEnded() {
        AtomicInteger ended = new AtomicInteger();
        List<Integer> events = IntStream.range(0, 20).boxed().toList();

        assertThatThrownBy(() -> WebhooksApi.startAll(events, e -> {
            try {
                if (e % 7 == 3) {
                    throw new IllegalStateException("table unavailable for event " + e);
                }
                sleep(20);
                return e;
            } finally {
                ended.incrementAndGet();
            }
        })).isInstanceOf(IllegalStateException.class).hasMessage("table unavailable for event 3")
                .satisfies(t -> assertThat(t.getSuppressed()).hasSize(2));
        assertThat(ended.get()).isEqualTo(20);
    }

    @Test
    void aSingleEventIsStartedOnTheCallersThread() {
        Thread caller = Thread.currentThread();
        assertThat(WebhooksApi.startAll(List.of("only"), e -> Thread.currentThread() == caller)).containsExactly(true);
        assertThat(WebhooksApi.startAll(List.<String>of(), e -> e)).isEmpty();
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
            throw new AssertionError("the starts did not run side by side", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
