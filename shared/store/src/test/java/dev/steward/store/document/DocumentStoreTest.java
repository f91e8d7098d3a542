package dev.steward.store.document;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.core.knowledge.DocumentId;
import dev.steward.core.knowledge.DocumentStatus;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.LocalTable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Document records, their name and content pointers, and conditional updates, against DynamoDB Local. */
class DocumentStoreTest {
    @RegisterExtension
    static final LocalTable DB = new LocalTable();
    static DocumentStore documents;
    static final TenantId ACME = TenantId.of("acme");
    static final Instant T0 = Instant.parse("2026-02-01T00:00:00Z");

    @BeforeAll
    static void start() {
        documents = new DocumentStore(DB.table());
    }

    private static String hash(String text) {
        return DocumentRecord.contentHashOf(text.getBytes(StandardCharsets.UTF_8));
    }

    private static DocumentRecord uploaded(String name, String text) {
        DocumentId id = DocumentId.random();
        DocumentRecord d = DocumentRecord.queued(ACME, id, name, text.length(), "tenants/acme/documents/" + id.value() + "/" + name,
                hash(text), null, T0);
        documents.put(d);
        return d;
    }

    @Test
    void onlyDocumentsStillQueuedAreListedForTheSweeperLongestWaitingFirst() {
        DocumentRecord older = uploaded("older.txt", "queued first");
        DocumentId laterId = DocumentId.random();
        DocumentRecord later = DocumentRecord.queued(TenantId.of("globex"), laterId, "later.txt", 5,
                "tenants/globex/documents/" + laterId.value() + "/later.txt", hash("later"), null, T0.plusSeconds(60));
        documents.put(later);
        DocumentRecord indexed = uploaded("indexed.txt", "indexed since");
        documents.update(indexed.indexed("Indexed", 1, java.util.List.of(), T0.plusSeconds(5)));
        DocumentRecord failed = uploaded("failed.txt", "failed since");
        documents.update(failed.failed("unsupported", T0.plusSeconds(5)));
        DocumentRecord deleted = uploaded("deleted.txt", "deleted since");
        documents.delete(ACME, deleted.id());

        var mine = java.util.Set.of(older.id(), later.id(), indexed.id(), failed.id(), deleted.id());
        assertThat(documents.listQueued(1000)).filteredOn(d -> mine.contains(d.id()))
                .extracting(DocumentRecord::id).containsExactly(older.id(), later.id());
        // the scan local mode's start-up uses finds the same documents, whole
        assertThat(documents.scanQueued()).filteredOn(d -> mine.contains(d.id())).containsExactlyInAnyOrder(older, later);
    }

    @Test
    void aNameLeadsToItsDocumentUntilItIsDeleted() {
        DocumentRecord d = uploaded("handbook.txt", "version one");
        assertThat(documents.findByName(ACME, "handbook.txt")).contains(d);
        assertThat(documents.findByName(ACME, "other.txt")).isEmpty();
        assertThat(documents.findByName(TenantId.of("globex"), "handbook.txt")).isEmpty();
        documents.delete(ACME, d.id());
        assertThat(documents.findByName(ACME, "handbook.txt")).isEmpty();
    }

    @Test
    void aReplacedDocumentNoLongerMatchesItsOldBytes() {
        DocumentRecord v1 = uploaded("prices.txt", "nine euros");
        assertThat(documents.findSame(ACME, "prices.txt", hash("nine euros"), null)).contains(v1);
        DocumentRecord v2 = v1.indexed("Prices", 3, List.of(), T0).requeued(12, v1.objectKey(), hash("twelve euros"), null, T0.plusSeconds(5));
        documents.put(v2);

        assertThat(documents.findSame(ACME, "prices.txt", hash("nine euros"), null)).isEmpty();
        assertThat(documents.findSame(ACME, "prices.txt", hash("twelve euros"), null)).contains(v2);
        assertThat(v2.id()).isEqualTo(v1.id());
        assertThat(v2.createdAt()).isEqualTo(v1.createdAt());
        assertThat(v2.chunks()).as("the previous version's chunks until the new one is indexed").isEqualTo(3);
        DocumentRecord failed = v2.failed("the file is empty", T0.plusSeconds(9));
        assertThat(failed.chunks()).isEqualTo(3);
        assertThat(failed.reason()).isEqualTo("the file is empty; the previous version (3 chunks) is still indexed");
        assertThat(v1.failed("the file is empty", T0).chunks()).isZero();
    }

    @Test
    void anUpdateLandsOnlyWhileTheRecordStillDescribesTheSameBytes() {
        DocumentRecord v1 = uploaded("faq.txt", "old answers");
        DocumentRecord v2 = v1.requeued(11, v1.objectKey(), hash("new answers"), null, T0.plusSeconds(1));
        documents.put(v2);

        assertThat(documents.updateIfSameBytes(v1.indexed("FAQ", 2, List.of(), T0), v1.contentHash()))
                .isEqualTo(DocumentStore.UpdateOutcome.REPLACED);
        assertThat(documents.find(ACME, v1.id()).orElseThrow().status()).isEqualTo(DocumentStatus.QUEUED);
        assertThat(documents.updateIfSameBytes(v2.indexed("FAQ", 2, List.of(), T0), v2.contentHash()))
                .isEqualTo(DocumentStore.UpdateOutcome.UPDATED);
        assertThat(documents.find(ACME, v1.id()).orElseThrow().status()).isEqualTo(DocumentStatus.INDEXED);

        documents.delete(ACME, v1.id());
        assertThat(documents.updateIfSameBytes(v2.indexed("FAQ", 2, List.of(), T0), v2.contentHash()))
                .isEqualTo(DocumentStore.UpdateOutcome.DELETED);
        assertThat(documents.find(ACME, v1.id())).isEmpty();
    }
}
