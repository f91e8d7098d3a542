package dev.steward.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.knowledge.DocumentId;
import dev.steward.core.knowledge.DocumentStatus;
import dev.steward.core.run.RunId;
import dev.steward.core.run.RunRecord;
import dev.steward.core.run.RunStatus;
import dev.steward.core.tenant.Role;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.audit.AuditAction;
import dev.steward.store.audit.AuditEvent;
import dev.steward.store.document.DocumentRecord;
import dev.steward.store.tenant.ApiKeyRecord;
import dev.steward.store.tenant.ApiKeys;
import dev.steward.store.tenant.TenantRecord;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The repositories against DynamoDB Local (embedded, in memory). */
class StoresTest {
    @RegisterExtension
    static final LocalTable DB = new LocalTable();
    static Stores stores;
    static final TenantId A = TenantId.of("tenant-a");
    static final TenantId B = TenantId.of("tenant-b");
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @BeforeAll
    static void start() {
        StewardTable table = DB.table();
        table.createIfMissing(); // idempotent
        stores = Stores.over(table);
    }


    @Test
    void tenantCreationIsConditionalAndTheLoserWritesNeitherKeyNorEvent() {
        TenantId t = TenantId.of("conditional");
        assertThat(stores.tenants().create(new TenantRecord(t, "first", T0), key(t, "k00000000001"), created(t))).isTrue();
        assertThat(stores.tenants().create(new TenantRecord(t, "second", T0), key(t, "k00000000002"), created(t))).isFalse();
        assertThat(stores.tenants().find(t).orElseThrow().displayName()).isEqualTo("first");
        assertThat(stores.tenants().findKey(t, "k00000000001")).isPresent();
        assertThat(stores.tenants().findKey(t, "k00000000002")).isEmpty();
        assertThat(stores.audit().list(t, 10, null, null, null, null).items()).hasSize(1);
    }

    private static ApiKeyRecord key(TenantId t, String keyId) {
        return new ApiKeyRecord(t, keyId, "hash", Role.ADMIN, "test", T0);
    }

    private static AuditEvent created(TenantId t) {
        return AuditEvent.of(t, T0, "arn:aws:iam::1:user/op", "operator", AuditAction.TENANT_CREATED, t.value(), Map.of(), null);
    }

    @Test
    void apiKeysAreStoredAsHashesAndOnlyTheRightKeyMatches() {
        ApiKeys keys = new ApiKeys("0123456789abcdef0123".getBytes());
        ApiKeys.NewKey key = keys.generate(A);
        stores.tenants().putKey(new ApiKeyRecord(A, key.keyId(), keys.hash(key.key()), Role.ADMIN, "test", T0),
                AuditEvent.of(A, T0, "operator", "operator", AuditAction.API_KEY_CREATED, key.keyId(), Map.of(), null));

        ApiKeys.ParsedKey parsed = ApiKeys.parse(key.key()).orElseThrow();
        assertThat(parsed.tenant()).isEqualTo(A);
        ApiKeyRecord stored = stores.tenants().findKey(A, parsed.keyId()).orElseThrow();
        assertThat(stored.hash()).doesNotContain(key.key().substring(key.key().length() - 32));
        assertThat(keys.matches(key.key(), stored.hash())).isTrue();
        String tampered = key.key().substring(0, key.key().length() - 1) + (key.key().endsWith("a") ? "b" : "a");
        assertThat(keys.matches(tampered, stored.hash())).isFalse();
        assertThat(new ApiKeys("another-pepper-of-20b".getBytes()).matches(key.key(), stored.hash())).isFalse();
        // The same key id under another tenant does not exist.
        assertThat(stores.tenants().findKey(B, parsed.keyId())).isEmpty();
    }

    @Test
    void malformedKeysDoNotParse() {
        assertThat(ApiKeys.parse(null)).isEmpty();
        assertThat(ApiKeys.parse("stw_a_b_c")).isEmpty();
        assertThat(ApiKeys.parse("stw_Upper_AAAAAAAAAAAA_" + "x".repeat(32))).isEmpty();
        assertThat(ApiKeys.parse("stw_ok-tenant_AAAAAAAAAAAA_" + "x".repeat(32))).isPresent();
    }

    @Test
    void runUpdatesAreOptimisticallyLocked() {
        RunRecord run = RunRecord.queued(A, RunId.random(), "agent", "question", T0);
        stores.runs().create(run);
        RunRecord read = stores.runs().get(A, run.id());
        RunRecord written = stores.runs().update(read.withStatus(RunStatus.RUNNING, T0));
        assertThat(written.version()).isEqualTo(read.version() + 1);
        // A second writer holding the old version loses and changes nothing.
        assertThatThrownBy(() -> stores.runs().update(read.withStatus(RunStatus.FAILED, T0)))
                .isInstanceOf(StoreException.class).hasMessageContaining("changed concurrently");
        assertThat(stores.runs().get(A, run.id()).status()).isEqualTo(RunStatus.RUNNING);
        assertThatThrownBy(() -> stores.runs().create(run)).isInstanceOf(StoreException.class);
    }

    @Test
    void tenantBNeverSeesTenantAsRunsOrDocuments() {
        Random random = new Random(42);
        for (int i = 0; i < 20; i++) {
            TenantId owner = random.nextBoolean() ? A : B;
            TenantId other = owner.equals(A) ? B : A;
            RunRecord run = RunRecord.queued(owner, RunId.random(), "agent", "q" + i, T0);
            stores.runs().create(run);
            DocumentRecord doc = DocumentRecord.queued(owner, DocumentId.random(), "f" + i + ".txt", 10, "k", null, null, T0.plusSeconds(i));
            stores.documents().put(doc);
            assertThat(stores.runs().find(other, run.id())).isEmpty();
            assertThat(stores.documents().find(other, doc.id())).isEmpty();
            assertThat(stores.documents().list(other, 1000)).noneMatch(d -> d.id().equals(doc.id()));
            assertThat(stores.documents().list(owner, 1000)).anyMatch(d -> d.id().equals(doc.id()));
        }
    }

    @Test
    void documentsListNewestFirstWithTheirStatus() {
        TenantId t = TenantId.of("listing");
        DocumentRecord older = DocumentRecord.queued(t, DocumentId.random(), "a.txt", 1, "k1", null, null, T0);
        DocumentRecord newer = DocumentRecord.queued(t, DocumentId.random(), "b.txt", 1, "k2", null, null, T0.plusSeconds(5));
        stores.documents().put(older);
        stores.documents().put(newer);
        stores.documents().put(older.failed("unreadable", T0.plusSeconds(9)));
        assertThat(stores.documents().list(t, 10)).extracting(DocumentRecord::name).containsExactly("b.txt", "a.txt");
        DocumentRecord failed = stores.documents().find(t, older.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(DocumentStatus.FAILED);
        assertThat(failed.reason()).isEqualTo("unreadable");
    }

    @Test
    void sameNameBytesAndMappingFindTheDocumentUntilItIsDeleted() {
        TenantId t = TenantId.of("dedup");
        String hash = "a".repeat(64);
        DocumentRecord doc = DocumentRecord.queued(t, DocumentId.random(), "tickets.csv", 9, "k", hash, "{\"text\":[\"body\"]}", T0);
        stores.documents().put(doc);

        assertThat(stores.documents().findSame(t, "tickets.csv", hash, "{\"text\":[\"body\"]}")).map(DocumentRecord::id)
                .contains(doc.id());
        assertThat(stores.documents().findSame(t, "tickets.csv", hash, null)).isEmpty();
        assertThat(stores.documents().findSame(t, "other.csv", hash, "{\"text\":[\"body\"]}")).isEmpty();
        assertThat(stores.documents().findSame(t, "tickets.csv", "b".repeat(64), "{\"text\":[\"body\"]}")).isEmpty();
        assertThat(stores.documents().findSame(B, "tickets.csv", hash, "{\"text\":[\"body\"]}")).isEmpty();

        DocumentRecord indexed = doc.indexed("tickets", 3, java.util.List.of("1 of 4 records were not indexed", "line 3: x"),
                T0.plusSeconds(1));
        assertThat(stores.documents().update(indexed)).isTrue();
        assertThat(stores.documents().find(t, doc.id()).orElseThrow().warnings()).containsExactly(
                "1 of 4 records were not indexed", "line 3: x");

        assertThat(stores.documents().delete(B, doc.id())).isFalse();
        assertThat(stores.documents().find(t, doc.id())).isPresent();
        assertThat(stores.documents().delete(t, doc.id())).isTrue();
        assertThat(stores.documents().find(t, doc.id())).isEmpty();
        assertThat(stores.documents().findSame(t, "tickets.csv", hash, "{\"text\":[\"body\"]}")).isEmpty();
        assertThat(stores.documents().list(t, 10)).isEmpty();
        // A worker finishing after the delete does not bring the document back.
        assertThat(stores.documents().update(indexed)).isFalse();
        assertThat(stores.documents().find(t, doc.id())).isEmpty();
        assertThat(stores.documents().delete(t, doc.id())).isFalse();
    }
}
