package dev.steward.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The SQS stand-in and its poller behave like a Lambda event source mapping. */
class LocalQueueIT {

    @Test
    void failedItemsAreRedeliveredAndGoToTheDlqAfterMaxReceives() throws Exception {
        try (LocalQueue queue = LocalQueue.start("semantics", 1)) {
            Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
            queue.subscribe(event -> {
                List<SQSBatchResponse.BatchItemFailure> failures = event.getRecords().stream()
                        .peek(m -> deliveries.computeIfAbsent(m.getBody(), k -> new AtomicInteger()).incrementAndGet())
                        .filter(m -> m.getBody().startsWith("poison"))
                        .map(m -> SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(m.getMessageId()).build())
                        .toList();
                return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
            });
            for (String body : List.of("ok-1", "poison-1", "ok-2")) {
                queue.client().sendMessage(b -> b.queueUrl(queue.queueUrl()).messageBody(body));
            }
            long deadline = System.currentTimeMillis() + 30_000;
            while (queue.approximateDepth(queue.dlqUrl()) < 1 && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            assertThat(queue.approximateDepth(queue.dlqUrl())).isEqualTo(1);
            assertThat(deliveries.get("ok-1").get()).isEqualTo(1);
            assertThat(deliveries.get("ok-2").get()).isEqualTo(1);
            assertThat(deliveries.get("poison-1").get()).isEqualTo(LocalQueue.MAX_RECEIVE_COUNT);
            String moved = queue.client().receiveMessage(b -> b.queueUrl(queue.dlqUrl())).messages().getFirst().body();
            assertThat(moved).isEqualTo("poison-1");
        }
    }

    @Test
    void aHandlerThatThrowsLeavesTheWholeBatchForRedelivery() throws Exception {
        try (LocalQueue queue = LocalQueue.start("throwing", 1)) {
            AtomicInteger calls = new AtomicInteger();
            queue.subscribe((SQSEvent event) -> {
                if (calls.incrementAndGet() == 1) {
                    throw new IllegalStateException("first delivery fails");
                }
                return SQSBatchResponse.builder().withBatchItemFailures(List.of()).build();
            });
            queue.client().sendMessage(b -> b.queueUrl(queue.queueUrl()).messageBody("once"));
            long deadline = System.currentTimeMillis() + 15_000;
            while (calls.get() < 2 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertThat(calls.get()).isGreaterThanOrEqualTo(2);
            Thread.sleep(1500);
            assertThat(queue.approximateDepth(queue.queueUrl())).isZero();
            assertThat(queue.approximateDepth(queue.dlqUrl())).isZero();
        }
    }
}
