package dev.steward.store.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.tenant.Role;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.LocalTable;
import dev.steward.store.Stores;
import dev.steward.store.audit.AuditAction;
import dev.steward.store.audit.AuditEvent;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A tenant's own daily token budget, set and cleared by the operator with its audit event, against DynamoDB Local. */
class TenantStoreTest {
    @RegisterExtension
    static final LocalTable DB = new LocalTable();
    static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");

    /** Creates {@code tenant} as the operator does: with a first key and its event. */
    static boolean create(TenantStore tenants, TenantRecord tenant) {
        TenantId t = tenant.id();
        return tenants.create(tenant, new ApiKeyRecord(t, "k" + t.value().replace("-", "").substring(0, 8) + "0001", "hash", Role.ADMIN, "test", T0),
                AuditEvent.of(t, T0, "operator", "operator", AuditAction.TENANT_CREATED, t.value(), Map.of(), null));
    }

    static AuditEvent budgetSet(TenantId t, String value) {
        return AuditEvent.of(t, T0, "arn:aws:iam::1:user/op", "operator", AuditAction.TENANT_BUDGET_SET, t.value(), Map.of("budget", value), null);
    }

    static Map<TenantLimit, Long> limits(TenantLimit limit, Long value) {
        Map<TenantLimit, Long> m = new java.util.EnumMap<>(TenantLimit.class);
        m.put(limit, value);
        return m;
    }

    @Test
    void aTenantGetsItsOwnLimitsAndGoesBackToTheDeploymentsWithNothingElseChangedAndEachChangeAudited() {
        Stores stores = Stores.over(DB.table());
        TenantStore tenants = stores.tenants();
        TenantId acme = TenantId.of("budget-acme");
        TenantId other = TenantId.of("budget-other");
        assertThat(create(tenants, new TenantRecord(acme, "Acme", T0))).isTrue();
        assertThat(create(tenants, new TenantRecord(other, "Other", T0))).isTrue();
        assertThat(tenants.find(acme).orElseThrow().own()).isEmpty();

        assertThat(tenants.setLimits(acme, limits(TenantLimit.DAILY_TOKENS, 50_000L), budgetSet(acme, "50000")))
                .contains(new TenantRecord(acme, "Acme", T0, Map.of(TenantLimit.DAILY_TOKENS, 50_000L)));
        assertThat(tenants.find(acme).orElseThrow().limit(TenantLimit.DAILY_TOKENS, 2_000_000)).isEqualTo(50_000L);
        assertThat(tenants.find(acme).orElseThrow().limit(TenantLimit.RUNS_PER_MINUTE, 60)).as("the other limit stays the default").isEqualTo(60);
        assertThat(tenants.find(other).orElseThrow().own()).as("another tenant keeps the defaults").isEmpty();

        // both at once, one to zero and one set: one write, the first limit kept as it was
        Map<TenantLimit, Long> both = limits(TenantLimit.RUNS_PER_MINUTE, 0L);
        assertThat(tenants.setLimits(acme, both, budgetSet(acme, "runs 0")).orElseThrow().own())
                .isEqualTo(Map.of(TenantLimit.DAILY_TOKENS, 50_000L, TenantLimit.RUNS_PER_MINUTE, 0L));
        assertThat(tenants.setLimits(acme, limits(TenantLimit.DAILY_TOKENS, null), budgetSet(acme, "deployment default")))
                .contains(new TenantRecord(acme, "Acme", T0, Map.of(TenantLimit.RUNS_PER_MINUTE, 0L)));

        assertThat(stores.audit().list(acme, 10, null, AuditAction.TENANT_BUDGET_SET, null, null).items())
                .extracting(e -> e.detail().get("budget")).containsExactlyInAnyOrder("50000", "runs 0", "deployment default");
        assertThat(stores.audit().list(other, 10, null, AuditAction.TENANT_BUDGET_SET, null, null).items()).isEmpty();
    }

    @Test
    void noTenantIsCreatedByALimitNorAnEventWrittenAndABadLimitIsRefusedBeforeAnyWrite() {
        Stores stores = Stores.over(DB.table());
        TenantStore tenants = stores.tenants();
        TenantId ghost = TenantId.of("budget-ghost");
        assertThat(tenants.setLimits(ghost, limits(TenantLimit.DAILY_TOKENS, 10L), budgetSet(ghost, "10"))).isEmpty();
        assertThat(tenants.find(ghost)).isEmpty();
        assertThat(stores.audit().list(ghost, 10, null, null, null, null).items()).isEmpty();

        TenantId acme = TenantId.of("budget-bad");
        create(tenants, new TenantRecord(acme, "Bad", T0, Map.of(TenantLimit.DAILY_TOKENS, 7L)));
        assertThat(tenants.find(acme).orElseThrow().own()).as("a limit given at creation is kept").isEqualTo(Map.of(TenantLimit.DAILY_TOKENS, 7L));
        assertThatThrownBy(() -> tenants.setLimits(acme, limits(TenantLimit.DAILY_TOKENS, -1L), budgetSet(acme, "-1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'dailyTokens' is 0 to");
        assertThatThrownBy(() -> tenants.setLimits(acme, limits(TenantLimit.RUNS_PER_MINUTE, TenantLimit.RUNS_PER_MINUTE.max() + 1),
                budgetSet(acme, "x"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'runsPerMinute' is 0 to");
        assertThat(tenants.find(acme).orElseThrow().own()).isEqualTo(Map.of(TenantLimit.DAILY_TOKENS, 7L));
        assertThat(stores.audit().list(acme, 10, null, AuditAction.TENANT_BUDGET_SET, null, null).items()).isEmpty();
    }

    @Test
    void theDeploymentDefaultsComeFromTheirVariablesAndAnUnreadableOneNamesIt() {
        assertThat(TenantLimit.deploymentDefaults(Map.of())).isEqualTo(Map.of(TenantLimit.DAILY_TOKENS, 2_000_000L, TenantLimit.RUNS_PER_MINUTE, 60L));
        assertThat(TenantLimit.DAILY_TOKENS.deploymentDefault(Map.of("STEWARD_TENANT_DAILY_TOKENS", " 300000 "))).isEqualTo(300_000L);
        assertThat(TenantLimit.RUNS_PER_MINUTE.deploymentDefault(Map.of("STEWARD_TENANT_RUNS_PER_MINUTE", "5"))).isEqualTo(5L);
        for (String bad : new String[] {"lots", "-5", "1e6"}) {
            assertThatThrownBy(() -> TenantLimit.DAILY_TOKENS.deploymentDefault(Map.of("STEWARD_TENANT_DAILY_TOKENS", bad)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("STEWARD_TENANT_DAILY_TOKENS must be");
        }
    }

    @Test
    void runStartsAreCountedPerTenantAndMinuteUpToTheLimit() {
        Stores stores = Stores.over(DB.table());
        TenantId busy = TenantId.of("rate-busy");
        TenantId calm = TenantId.of("rate-calm");
        Instant minute = Instant.parse("2026-11-25T08:00:10Z");
        for (int i = 0; i < 3; i++) {
            assertThat(stores.usage().tryStartRun(busy, minute.plusSeconds(i), 3)).as("start " + (i + 1)).isTrue();
        }
        assertThat(stores.usage().tryStartRun(busy, minute.plusSeconds(40), 3)).as("the fourth in the minute").isFalse();
        assertThat(stores.usage().tryStartRun(calm, minute, 3)).as("another tenant's minute").isTrue();
        assertThat(stores.usage().tryStartRun(busy, minute.plusSeconds(60), 3)).as("the next minute").isTrue();
        assertThat(stores.usage().tryStartRun(busy, minute.plusSeconds(120), 0)).as("a limit of 0 allows none").isFalse();
        // concurrent starts never exceed the limit
        Instant later = Instant.parse("2026-11-25T09:00:00Z");
        long counted = java.util.stream.IntStream.range(0, 20).parallel().filter(i -> stores.usage().tryStartRun(busy, later, 7)).count();
        assertThat(counted).isEqualTo(7);
    }
}
