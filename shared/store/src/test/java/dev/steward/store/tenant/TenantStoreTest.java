package dev.steward.store.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.tenant.TenantId;
import dev.steward.store.LocalTable;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A tenant's own daily token budget, set and cleared by the operator, against DynamoDB Local. */
class TenantStoreTest {
    @RegisterExtension
    static final LocalTable DB = new LocalTable();
    static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");

    @Test
    void aTenantGetsItsOwnDailyBudgetAndGoesBackToTheDeploymentsWithNothingElseChanged() {
        TenantStore tenants = new TenantStore(DB.table());
        TenantId acme = TenantId.of("budget-acme");
        TenantId other = TenantId.of("budget-other");
        assertThat(tenants.create(new TenantRecord(acme, "Acme", T0))).isTrue();
        assertThat(tenants.create(new TenantRecord(other, "Other", T0))).isTrue();
        assertThat(tenants.find(acme).orElseThrow().dailyTokens()).isNull();

        assertThat(tenants.setDailyTokens(acme, 50_000L)).contains(new TenantRecord(acme, "Acme", T0, 50_000L));
        assertThat(tenants.find(acme)).contains(new TenantRecord(acme, "Acme", T0, 50_000L));
        assertThat(tenants.find(acme).orElseThrow().dailyTokensOr(DailyTokens.DEFAULT)).isEqualTo(50_000L);
        assertThat(tenants.find(other).orElseThrow().dailyTokens()).as("another tenant keeps the default").isNull();

        assertThat(tenants.setDailyTokens(acme, 0L).orElseThrow().dailyTokens()).as("zero stops every model call").isZero();
        assertThat(tenants.setDailyTokens(acme, null)).contains(new TenantRecord(acme, "Acme", T0));
        assertThat(tenants.find(acme).orElseThrow().dailyTokensOr(DailyTokens.DEFAULT)).isEqualTo(DailyTokens.DEFAULT);
    }

    @Test
    void noTenantIsCreatedByABudgetAndABadBudgetIsRefusedBeforeAnyWrite() {
        TenantStore tenants = new TenantStore(DB.table());
        TenantId ghost = TenantId.of("budget-ghost");
        assertThat(tenants.setDailyTokens(ghost, 10L)).isEmpty();
        assertThat(tenants.find(ghost)).isEmpty();

        TenantId acme = TenantId.of("budget-bad");
        tenants.create(new TenantRecord(acme, "Bad", T0, 7L));
        assertThatThrownBy(() -> tenants.setDailyTokens(acme, -1L)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 to");
        assertThatThrownBy(() -> tenants.setDailyTokens(acme, DailyTokens.MAX + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(tenants.find(acme).orElseThrow().dailyTokens()).isEqualTo(7L);
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
