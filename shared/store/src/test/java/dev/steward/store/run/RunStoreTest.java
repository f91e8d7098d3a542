package dev.steward.store.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.core.run.RunId;
import dev.steward.core.run.RunRecord;
import dev.steward.core.run.RunStatus;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.LocalTable;
import dev.steward.store.StewardTable;
import java.time.Instant;
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

/** The sweeper's view of runs: the sparse index of unfinished runs, and adding it to a table that predates it. */
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
