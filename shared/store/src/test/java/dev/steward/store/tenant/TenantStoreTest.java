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

    @Test
    void aTenantGetsItsOwnDailyBudgetAndGoesBackToTheDeploymentsWithNothingElseChangedAndEachChangeAudited() {
        Stores stores = Stores.over(DB.table());
        TenantStore tenants = stores.tenants();
        TenantId acme = TenantId.of("budget-acme");
        TenantId other = TenantId.of("budget-other");
        assertThat(create(tenants, new TenantRecord(acme, "Acme", T0))).isTrue();
        assertThat(create(tenants, new TenantRecord(other, "Other", T0))).isTrue();
        assertThat(tenants.find(acme).orElseThrow().dailyTokens()).isNull();

        assertThat(tenants.setDailyTokens(acme, 50_000L, budgetSet(acme, "50000"))).contains(new TenantRecord(acme, "Acme", T0, 50_000L));
        assertThat(tenants.find(acme)).contains(new TenantRecord(acme, "Acme", T0, 50_000L));
        assertThat(tenants.find(acme).orElseThrow().dailyTokensOr(DailyTokens.DEFAULT)).isEqualTo(50_000L);
        assertThat(tenants.find(other).orElseThrow().dailyTokens()).as("another tenant keeps the default").isNull();

        assertThat(tenants.setDailyTokens(acme, 0L, budgetSet(acme, "0")).orElseThrow().dailyTokens()).as("zero stops every model call").isZero();
        assertThat(tenants.setDailyTokens(acme, null, budgetSet(acme, "deployment default"))).contains(new TenantRecord(acme, "Acme", T0));
        assertThat(tenants.find(acme).orElseThrow().dailyTokensOr(DailyTokens.DEFAULT)).isEqualTo(DailyTokens.DEFAULT);

        assertThat(stores.audit().list(acme, 10, null, AuditAction.TENANT_BUDGET_SET, null, null).items())
                .extracting(e -> e.detail().get("budget")).containsExactlyInAnyOrder("50000", "0", "deployment default");
        assertThat(stores.audit().list(other, 10, null, AuditAction.TENANT_BUDGET_SET, null, null).items()).isEmpty();
    }

    @Test
    void noTenantIsCreatedByABudgetNorAnEventWrittenAndABadBudgetIsRefusedBeforeAnyWrite() {
        Stores stores = Stores.over(DB.table());
        TenantStore tenants = stores.tenants();
        TenantId ghost = TenantId.of("budget-ghost");
        assertThat(tenants.setDailyTokens(ghost, 10L, budgetSet(ghost, "10"))).isEmpty();
        assertThat(tenants.find(ghost)).isEmpty();
        assertThat(stores.audit().list(ghost, 10, null, null, null, null).items()).isEmpty();

        TenantId acme = TenantId.of("budget-bad");
        create(tenants, new TenantRecord(acme, "Bad", T0, 7L));
        assertThat(tenants.find(acme).orElseThrow().dailyTokens()).as("a budget given at creation is kept").isEqualTo(7L);
        assertThatThrownBy(() -> tenants.setDailyTokens(acme, -1L, budgetSet(acme, "-1"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 to");
        assertThatThrownBy(() -> tenants.setDailyTokens(acme, DailyTokens.MAX + 1, budgetSet(acme, "x"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(tenants.find(acme).orElseThrow().dailyTokens()).isEqualTo(7L);
        assertThat(stores.audit().list(acme, 10, null, AuditAction.TENANT_BUDGET_SET, null, null).items()).isEmpty();
    }

    @Test
    void theDeploymentDefaultComesFromItsVariableAndAnUnreadableOneNamesIt() {
        assertThat(DailyTokens.deploymentDefault(Map.of())).isEqualTo(DailyTokens.DEFAULT);
        assertThat(DailyTokens.deploymentDefault(Map.of(DailyTokens.VARIABLE, " 300000 "))).isEqualTo(300_000L);
        for (String bad : new String[] {"lots", "-5", "1e6"}) {
            assertThatThrownBy(() -> DailyTokens.deploymentDefault(Map.of(DailyTokens.VARIABLE, bad)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(DailyTokens.VARIABLE + " must be");
        }
    }
}
