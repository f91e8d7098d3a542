package dev.steward.store.run;

import dev.steward.core.json.Json;
import dev.steward.core.run.RunId;
import dev.steward.core.run.RunRecord;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.StewardTable;
import dev.steward.store.StoreException;
import dev.steward.store.TableAccess;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import dev.steward.core.run.RunStatus;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;

/**
 * Runs. Each write is conditional on the version read, so two steps (or a step and a retry of it) can never
 * silently overwrite each other: the loser gets a {@link StoreException} and the state machine retries or fails.
 */
public final class RunStore {
    private static final String KIND = "RUN";
    private final StewardTable table;

    public RunStore(StewardTable table) {
        this.table = table;
    }

    public void create(RunRecord run) {
        if (!TableAccess.putIfAbsent(table, toItem(run.atVersion(1)))) {
            throw new StoreException("run " + run.id() + " already exists");
        }
    }

    public Optional<RunRecord> find(TenantId tenant, RunId id) {
        return TableAccess.get(table, TableAccess.tenantChildKey(tenant, KIND, id.value()), "META")
                .map(d -> Json.read(d.getString("body"), RunRecord.class).atVersion(d.getNumber("version").longValue()));
    }

    public RunRecord get(TenantId tenant, RunId id) {
        return find(tenant, id).orElseThrow(() -> new StoreException("run " + id + " of tenant " + tenant + " does not exist"));
    }

    /** Writes {@code run} if the stored version is still {@code run.version()}; returns the stored state. */
    public RunRecord update(RunRecord run) {
        RunRecord next = run.atVersion(run.version() + 1);
        if (!TableAccess.putIfVersion(table, toItem(next), run.version())) {
            throw new StoreException("run " + run.id() + " changed concurrently (expected version " + run.version() + ")");
        }
        return next;
    }

    /**
     * Runs not yet ended (QUEUED, RUNNING, WAITING_FOR_REVIEW) across all tenants, for the sweeper. A filtered scan:
     * fine for local mode and small tables; a sparse status index replaces it when tables grow.
     */
    public List<RunRecord> listUnfinished(int limit) {
        List<RunRecord> out = new ArrayList<>();
        table.documents().scan(r -> r.filterExpression(Expression.builder()
                        .expression("sk = :meta AND begins_with(pk, :t) AND contains(pk, :run) AND #s IN (:q, :r, :w)")
                        .putExpressionName("#s", "status")
                        .putExpressionValue(":meta", AttributeValue.fromS("META"))
                        .putExpressionValue(":t", AttributeValue.fromS("T#"))
                        .putExpressionValue(":run", AttributeValue.fromS("#" + KIND + "#"))
                        .putExpressionValue(":q", AttributeValue.fromS(RunStatus.QUEUED.name()))
                        .putExpressionValue(":r", AttributeValue.fromS(RunStatus.RUNNING.name()))
                        .putExpressionValue(":w", AttributeValue.fromS(RunStatus.WAITING_FOR_REVIEW.name()))
                        .build()))
                .items().stream()
                .limit(limit)
                .forEach(d -> out.add(Json.read(d.getString("body"), RunRecord.class).atVersion(d.getNumber("version").longValue())));
        return out;
    }

    private static EnhancedDocument toItem(RunRecord run) {
        return TableAccess.item(TableAccess.tenantChildKey(run.tenant(), KIND, run.id().value()), "META")
                .putString(StewardTable.GSI1_PK, TableAccess.listingKey(run.tenant(), KIND))
                .putString(StewardTable.GSI1_SK, run.createdAt() + "#" + run.id().value())
                .putString("status", run.status().name())
                .putString("agent", run.agent())
                .putNumber("version", run.version())
                .putString("body", Json.write(run))
                .build();
    }
}
