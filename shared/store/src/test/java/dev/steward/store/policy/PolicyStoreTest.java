package dev.steward.store.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.tenant.TenantId;
import dev.steward.store.LocalTable;
import dev.steward.store.StewardTable;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Versioned tenant policies against DynamoDB Local (embedded, in memory). */
class PolicyStoreTest {
    @RegisterExtension
    static final LocalTable DB = new LocalTable();
    static PolicyStore store;
    static final Instant T0 = Instant.parse("2026-05-01T00:00:00Z");

    @BeforeAll
    static void start() {
        StewardTable table = DB.table();
        store = new PolicyStore(table);
    }


    @Test
    void versionsCountFromOneAndEveryVersionIsKept() {
        TenantId t = TenantId.of("versions");
        assertThat(store.current(t)).isEmpty();
        PolicyVersion v1 = store.put(t, 0, "text one", List.of("example.com"), "key:admin", "first", T0);
        PolicyVersion v2 = store.put(t, 1, "text two", List.of(), "key:other", null, T0.plusSeconds(60));
        assertThat(v1.version()).isEqualTo(1);
        assertThat(v2.version()).isEqualTo(2);
        assertThat(store.current(t)).contains(v2);
        assertThat(store.version(t, 1)).contains(v1);
        assertThat(store.version(t, 1).orElseThrow().emailDomains()).containsExactly("example.com");
        assertThat(store.version(t, 2).orElseThrow().comment()).isEmpty();
        assertThat(store.version(t, 3)).isEmpty();
        assertThat(store.version(t, 0)).isEmpty();
        assertThat(store.versions(t, 10)).containsExactly(v2, v1);
        assertThat(store.versions(t, 1)).containsExactly(v2);
    }

    @Test
    void aSaveBasedOnAnOldOrUnknownVersionConflictsAndChangesNothing() {
        TenantId t = TenantId.of("conflicts");
        store.put(t, 0, "v1", List.of(), "a", "", T0);
        store.put(t, 1, "v2", List.of(), "b", "", T0);
        assertThatThrownBy(() -> store.put(t, 1, "stale", List.of(), "c", "", T0))
                .isInstanceOfSatisfying(PolicyStore.VersionConflictException.class, e -> assertThat(e.currentVersion()).isEqualTo(2))
                .hasMessage("the policy is at version 2, not 1; reload it and apply your change again");
        assertThatThrownBy(() -> store.put(t, 5, "ahead", List.of(), "c", "", T0))
                .isInstanceOf(PolicyStore.VersionConflictException.class);
        assertThatThrownBy(() -> store.put(t, 0, "again first", List.of(), "c", "", T0))
                .isInstanceOf(PolicyStore.VersionConflictException.class);
        assertThat(store.versions(t, 10)).extracting(PolicyVersion::source).containsExactly("v2", "v1");
    }

    @Test
    void ofConcurrentSavesOnTheSameVersionExactlyOneWins() throws Exception {
        TenantId t = TenantId.of("race");
        store.put(t, 0, "base", List.of(), "a", "", T0);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> saves = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                saves.add(() -> {
                    try {
                        store.put(t, 1, "writer " + n, List.of(), "w" + n, "", T0);
                        return true;
                    } catch (PolicyStore.VersionConflictException lost) {
                        return false;
                    }
                });
            }
            long wins = 0;
            for (Future<Boolean> f : pool.invokeAll(saves)) {
                wins += f.get() ? 1 : 0;
            }
            assertThat(wins).isEqualTo(1);
        } finally {
            pool.shutdown();
        }
        assertThat(store.versions(t, 10)).hasSize(2);
        assertThat(store.current(t).orElseThrow().source()).startsWith("writer ");
    }

    @Test
    void tenantBNeverSeesTenantAsPolicy() {
        TenantId a = TenantId.of("iso-a");
        TenantId b = TenantId.of("iso-b");
        store.put(a, 0, "a's secret policy", List.of("a.example"), "a-admin", "", T0);
        assertThat(store.current(b)).isEmpty();
        assertThat(store.version(b, 1)).isEmpty();
        assertThat(store.versions(b, 10)).isEmpty();
        // B's first save is its own version 1; A's stays as it was.
        PolicyVersion b1 = store.put(b, 0, "b's policy", List.of(), "b-admin", "", T0);
        assertThat(b1.tenant()).isEqualTo(b);
        assertThat(store.current(a).orElseThrow().source()).isEqualTo("a's secret policy");
        assertThat(store.current(b).orElseThrow().source()).isEqualTo("b's policy");
    }
}
