package dev.steward.store.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.core.tenant.TenantId;
import dev.steward.store.LocalTable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Daily counters against DynamoDB Local (embedded, in memory). */
class UsageStoreTest {
    @RegisterExtension
    static final LocalTable DB = new LocalTable();
    static UsageStore usage;
    static final LocalDate DAY = LocalDate.parse("2026-03-02");

    @BeforeAll
    static void start() {
        usage = new UsageStore(DB.table());
    }

    @Test
    void aTenantsDayIsTheSumOfItsAgents() {
        TenantId t = TenantId.of("usage-sum");
        usage.add(t, "support-agent", DAY, 100, 20);
        usage.add(t, "support-agent", DAY, 50, 5);
        usage.add(t, "sales-agent", DAY, 7, 3);
        usage.countVerdicts(t, "support-agent", DAY, Map.of("RETRIEVED_CHUNK.REDACT", 2L, "TOOL_ARGUMENTS.ASK", 1L));
        usage.countVerdicts(t, "sales-agent", DAY, Map.of("RETRIEVED_CHUNK.REDACT", 3L));

        UsageStore.Usage total = usage.today(t, DAY);
        assertThat(total.tokensIn()).isEqualTo(157);
        assertThat(total.tokensOut()).isEqualTo(28);
        assertThat(total.modelCalls()).isEqualTo(3);
        assertThat(total.verdicts()).isEqualTo(Map.of("RETRIEVED_CHUNK.REDACT", 5L, "TOOL_ARGUMENTS.ASK", 1L));

        UsageStore.Usage support = usage.ofAgent(t, "support-agent", DAY);
        assertThat(support.tokens()).isEqualTo(175);
        assertThat(support.modelCalls()).isEqualTo(2);
        assertThat(support.verdicts()).containsEntry("RETRIEVED_CHUNK.REDACT", 2L);
    }

    @Test
    void daysAndTenantsAreSeparateAndEmptyIsZero() {
        TenantId a = TenantId.of("usage-a");
        usage.add(a, "support-agent", DAY, 10, 1);
        assertThat(usage.today(a, DAY.plusDays(1)).tokens()).isZero();
        assertThat(usage.today(TenantId.of("usage-b"), DAY)).isEqualTo(new UsageStore.Usage(0, 0, 0, Map.of()));
        assertThat(usage.ofAgent(a, "sales-agent", DAY).tokens()).isZero();
    }

    @Test
    void concurrentUpdatesLoseNoCount() throws Exception {
        TenantId t = TenantId.of("usage-concurrent");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> work = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String agent = i % 2 == 0 ? "support-agent" : "sales-agent";
            work.add(pool.submit(() -> usage.add(t, agent, DAY, 1, 2)));
        }
        for (Future<?> f : work) {
            f.get();
        }
        pool.shutdown();
        assertThat(usage.today(t, DAY)).isEqualTo(new UsageStore.Usage(40, 80, 40, Map.of()));
    }
}
