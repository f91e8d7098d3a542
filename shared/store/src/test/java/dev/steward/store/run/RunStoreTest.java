package dev.steward.store.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.run.RunId;
import dev.steward.core.run.RunRecord;
import dev.steward.core.run.RunStatus;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.ConcurrentChangeException;
import dev.steward.store.Listing;
import dev.steward.store.LocalTable;
import dev.steward.store.StewardTable;
import dev.steward.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * A tenant's listing of its runs (order, pages, isolation, filters), and the sweeper's view: the sparse index of
 * unfinished runs, and adding it to a table that predates it.
 */
class RunStoreTest {
    @RegisterExtension
    static final LocalTable DB = new LocalTable();

    private static final Instant T0 = Instant.parse("2026-11-24T08:00:00Z");

    @Test
    void onlyRunsThatHaveNotEndedAreListedAcrossTenantsOldestFirst() {
        RunStore runs = new RunStore(DB.table());
        RunRecord older = created(runs, "north", "q1", T0);
        RunRecord newer = created(runs, "south", "q2", T0.plusSeconds(60));
        RunRecord ended = created(runs, "north", "q3", T0.plusSeconds(30));

        assertThat(idsOf(runs.listUnfinished(1000))).containsSubsequence(older.id(), newer.id()).contains(ended.id());

        runs.update(ended.next(T0.plusSeconds(90)).status(RunStatus.SUCCEEDED).build());
        assertThat(idsOf(runs.listUnfinished(1000))).contains(older.id(), newer.id()).doesNotContain(ended.id());

        // Waiting for a person is not ended: the sweeper expires such runs.
        RunRecord waiting = runs.update(newer.next(T0.plusSeconds(120)).status(RunStatus.WAITING_FOR_REVIEW).build());
        assertThat(runs.listUnfinished(1000)).filteredOn(r -> r.id().equals(newer.id()))
                .singleElement().satisfies(r -> {
                    assertThat(r.status()).isEqualTo(RunStatus.WAITING_FOR_REVIEW);
                    assertThat(r.version()).isEqualTo(waiting.version());
                });
        assertThat(runs.listUnfinished(1)).hasSize(1);
    }

    @Test
    void aTableFromBeforeTheIndexGetsItAndItsUnfinishedRunsAreIndexedOnce() {
        var client = DB.table().client();
        String name = "steward-before-gsi2";
        client.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attr("pk"), attr("sk"), attr("gsi1pk"), attr("gsi1sk"))
                .keySchema(key("pk", KeyType.HASH), key("sk", KeyType.RANGE))
                .globalSecondaryIndexes(g -> g.indexName("gsi1").keySchema(key("gsi1pk", KeyType.HASH), key("gsi1sk", KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.ALL))));
        StewardTable old = new StewardTable(client, name);
        RunStore runs = new RunStore(old);
        RunRecord running = created(runs, "north", "q", T0);
        RunRecord done = created(runs, "north", "q", T0);
        runs.update(done.next(T0.plusSeconds(5)).status(RunStatus.FAILED).build());
        // An item written by a version without the index has no gsi2 keys.
        client.updateItem(b -> b.tableName(name)
                .key(Map.of("pk", AttributeValue.fromS("T#north#RUN#" + running.id().value()), "sk", AttributeValue.fromS("META")))
                .updateExpression("REMOVE gsi2pk, gsi2sk"));

        assertThat(old.createIfMissing()).containsExactly(StewardTable.GSI2);
        assertThat(runs.listUnfinished(1000)).isEmpty();

        assertThat(runs.indexUnfinished()).isEqualTo(1);
        assertThat(idsOf(runs.listUnfinished(1000))).containsExactly(running.id());
        assertThat(old.createIfMissing()).isEmpty();
    }

    @Test
    void aTenantListsItsOwnRunsNewestFirstPageByPage() {
        RunStore runs = new RunStore(DB.table());
        List<RunId> made = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            made.add(created(runs, "lister", "question " + i, T0.plusSeconds(i)).id());
        }
        created(runs, "lister-other", "not yours", T0.plusSeconds(10)); // a tenant whose name starts the same
        created(runs, "other", "not yours either", T0.plusSeconds(3));
        TenantId tenant = TenantId.of("lister");

        Listing.Page<RunSummary> first = runs.list(tenant, 2, null, null, null);
        Listing.Page<RunSummary> second = runs.list(tenant, 2, first.nextCursor(), null, null);
        Listing.Page<RunSummary> third = runs.list(tenant, 2, second.nextCursor(), null, null);

        assertThat(summaryIds(first)).containsExactly(made.get(4), made.get(3));
        assertThat(summaryIds(second)).containsExactly(made.get(2), made.get(1));
        assertThat(summaryIds(third)).containsExactly(made.get(0));
        assertThat(first.nextCursor()).isNotNull().isNotEqualTo(second.nextCursor());
        // A short page is the last one (a full last page may be followed by one empty page).
        assertThat(third.nextCursor()).isNull();
        assertThat(runs.list(tenant, 100, null, null, null).items()).extracting(RunSummary::inputPreview)
                .containsExactly("question 4", "question 3", "question 2", "question 1", "question 0");
        assertThat(first.items().getFirst()).satisfies(s -> {
            assertThat(s.agent()).isEqualTo("assistant");
            assertThat(s.status()).isEqualTo(RunStatus.QUEUED);
            assertThat(s.createdAt()).isEqualTo(T0.plusSeconds(4));
            assertThat(s.reviewId()).isNull();
        });
    }

    @Test
    void aCursorWorksOnlyForTheListingThatGaveItOut() {
        RunStore runs = new RunStore(DB.table());
        for (int i = 0; i < 3; i++) {
            created(runs, "cursor-a", "a" + i, T0.plusSeconds(i));
            created(runs, "cursor-b", "b" + i, T0.plusSeconds(i));
        }
        String cursorOfA = runs.list(TenantId.of("cursor-a"), 1, null, null, null).nextCursor();

        assertThatThrownBy(() -> runs.list(TenantId.of("cursor-b"), 1, cursorOfA, null, null))
                .isInstanceOf(Listing.InvalidCursorException.class).hasMessageContaining("another listing");
        // Rewritten to name b's listing while keeping a's run keys: it positions within b's runs and never reads a's.
        String forged = Base64.getUrlEncoder().encodeToString(new String(Base64.getUrlDecoder().decode(cursorOfA),
                StandardCharsets.UTF_8).replace("T#cursor-a#RUN\"", "T#cursor-b#RUN\"").getBytes(StandardCharsets.UTF_8));
        assertThat(new String(Base64.getUrlDecoder().decode(forged), StandardCharsets.UTF_8))
                .contains("\"gsi1pk\":\"T#cursor-b#RUN\"").contains("T#cursor-a#RUN#");
        assertThat(runs.list(TenantId.of("cursor-b"), 100, forged, null, null).items()).isNotEmpty()
                .extracting(RunSummary::inputPreview).allMatch(input -> input.startsWith("b"));
        assertThatThrownBy(() -> runs.list(TenantId.of("cursor-a"), 1, forged, null, null))
                .isInstanceOf(Listing.InvalidCursorException.class);
        for (String bad : List.of("not base64!", "e30", Base64.getUrlEncoder().encodeToString("[1,2]".getBytes(StandardCharsets.UTF_8)))) {
            assertThatThrownBy(() -> runs.list(TenantId.of("cursor-a"), 1, bad, null, null)).as(bad)
                    .isInstanceOf(Listing.InvalidCursorException.class).hasMessageContaining("malformed");
        }
    }

    @Test
    void aStatusOrAgentFilterKeepsTheOrderAndAPageMayHoldFewerThanTheLimit() {
        RunStore runs = new RunStore(DB.table());
        TenantId tenant = TenantId.of("filtered");
        RunRecord done = created(runs, "filtered", "done", T0);
        runs.update(done.next(T0.plusSeconds(1)).status(RunStatus.SUCCEEDED).build());
        RunRecord waiting = created(runs, "filtered", "waits", T0.plusSeconds(2));
        runs.update(waiting.next(T0.plusSeconds(3)).status(RunStatus.WAITING_FOR_REVIEW).reviewId("rev_1").build());
        RunRecord other = RunRecord.queued(tenant, RunId.random(), "triage", "other agent", T0.plusSeconds(4));
        runs.create(other);
        RunRecord alsoDone = created(runs, "filtered", "also done", T0.plusSeconds(5));
        runs.update(alsoDone.next(T0.plusSeconds(6)).status(RunStatus.SUCCEEDED).build());

        assertThat(summaryIds(runs.list(tenant, 100, null, RunStatus.SUCCEEDED, null))).containsExactly(alsoDone.id(), done.id());
        assertThat(runs.list(tenant, 100, null, RunStatus.WAITING_FOR_REVIEW, null).items()).singleElement()
                .satisfies(s -> assertThat(s.reviewId()).isEqualTo("rev_1"));
        assertThat(summaryIds(runs.list(tenant, 100, null, null, "triage"))).containsExactly(other.id());
        assertThat(runs.list(tenant, 100, null, RunStatus.QUEUED, "assistant").items()).isEmpty();

        // The newest two runs read hold one that succeeded: a page of one, and the rest on the next.
        Listing.Page<RunSummary> first = runs.list(tenant, 2, null, RunStatus.SUCCEEDED, null);
        assertThat(summaryIds(first)).containsExactly(alsoDone.id());
        assertThat(summaryIds(runs.list(tenant, 2, first.nextCursor(), RunStatus.SUCCEEDED, null))).containsExactly(done.id());
    }

    @Test
    void aLongInputIsPreviewedOnOneLineAndCut() {
        String input = "Line one\n\n  line two " + "é".repeat(200);
        String preview = RunSummary.preview(input);
        assertThat(preview).startsWith("Line one line two é").endsWith("…").doesNotContain("\n");
        assertThat(preview.codePointCount(0, preview.length())).isEqualTo(RunSummary.PREVIEW_CODE_POINTS);
        assertThat(RunSummary.preview("short")).isEqualTo("short");
    }

    private static List<RunId> summaryIds(Listing.Page<RunSummary> page) {
        return page.items().stream().map(RunSummary::id).toList();
    }

    @Test
    void runsOfOneSecondListInTimeOrderWhateverTheirFractionOfASecond() {
        RunStore runs = new RunStore(DB.table());
        // Instant.toString writes these as "...:00Z", "...:00.000001Z", "...:00.500Z": compared as text, the whole
        // second would sort after both and the microsecond after the half
        RunRecord whole = created(runs, "fractions", "whole second", T0);
        RunRecord micro = created(runs, "fractions", "a microsecond later", T0.plusNanos(1_000));
        RunRecord half = created(runs, "fractions", "half a second later", T0.plusMillis(500));

        assertThat(runs.list(TenantId.of("fractions"), 10, null, null, null).items()).extracting(RunSummary::id)
                .containsExactly(half.id(), micro.id(), whole.id());
        // the sweeper's index too: oldest first
        assertThat(idsOf(runs.listUnfinished(1000))).filteredOn(java.util.Set.of(whole.id(), micro.id(), half.id())::contains)
                .containsExactly(whole.id(), micro.id(), half.id());
    }

    @Test
    void aRecordOverTheItemLimitIsRefusedWithItsSizeAndTheStoredRunStays() {
        RunStore runs = new RunStore(DB.table());
        RunRecord run = created(runs, "oversize", "q", T0);
        RunRecord huge = run.withStep("act", "x".repeat(RunStore.MAX_BODY_BYTES), 0, T0.plusSeconds(1), null);

        assertThatThrownBy(() -> runs.update(huge)).isInstanceOf(StoreException.class)
                .isNotInstanceOf(ConcurrentChangeException.class)
                .hasMessageContaining("over the store's limit of " + RunStore.MAX_BODY_BYTES + " bytes");
        assertThat(runs.get(run.tenant(), run.id()).version()).isEqualTo(run.version());
    }

    private static RunRecord created(RunStore runs, String tenant, String input, Instant at) {
        RunRecord run = RunRecord.queued(TenantId.of(tenant), RunId.random(), "assistant", input, at);
        runs.create(run);
        return runs.get(run.tenant(), run.id());
    }

    private static List<RunId> idsOf(List<RunRecord> runs) {
        return runs.stream().map(RunRecord::id).toList();
    }

    private static AttributeDefinition attr(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
