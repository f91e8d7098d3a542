package dev.steward.guardrails.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.tenant.TenantId;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyCacheTest {
    static final TenantId A = TenantId.of("tenant-a");
    static final TenantId B = TenantId.of("tenant-b");
    static final String TEXT = "@id(\"all\") permit (principal, action, resource);";

    @Test
    void compilesEachTenantVersionOnceAndNeverSharesAcrossTenants() {
        PolicyCache cache = new PolicyCache(8);
        TenantPolicy a1 = cache.get(A, 1, TEXT, List.of());
        assertThat(cache.get(A, 1, TEXT, List.of())).isSameAs(a1);
        TenantPolicy b1 = cache.get(B, 1, TEXT, List.of());
        assertThat(b1).isNotSameAs(a1);
        assertThat(b1.tenant()).isEqualTo(B);
        assertThat(cache.baseline(B).tenant()).isEqualTo(B);
        assertThat(cache.baseline(B).version()).isZero();
        assertThat(cache.baseline(A)).isNotSameAs(cache.baseline(B));
    }

    @Test
    void evictsTheLeastRecentlyUsed() {
        PolicyCache cache = new PolicyCache(2);
        TenantPolicy v1 = cache.get(A, 1, TEXT, List.of());
        TenantPolicy v2 = cache.get(A, 2, TEXT, List.of());
        cache.get(A, 1, TEXT, List.of());
        cache.get(A, 3, TEXT, List.of());
        assertThat(cache.get(A, 1, TEXT, List.of())).isSameAs(v1);
        assertThat(cache.get(A, 2, TEXT, List.of())).isNotSameAs(v2);
    }

    @Test
    void anInvalidStoredTextIsNotCached() {
        PolicyCache cache = new PolicyCache(2);
        assertThatThrownBy(() -> cache.get(A, 1, "permit", List.of())).isInstanceOf(InvalidPolicyException.class);
        assertThatThrownBy(() -> new PolicyCache(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
