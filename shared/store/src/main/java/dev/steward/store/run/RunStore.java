package dev.steward.store.run;

import dev.steward.core.json.Json;
import dev.steward.core.run.RunId;
import dev.steward.core.run.RunRecord;
import dev.steward.core.run.RunStatus;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.Listing;
import dev.steward.store.StewardTable;
import dev.steward.store.ConcurrentChangeException;
import dev.steward.store.StoreException;
import dev.steward.store.TableAccess;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Runs. Each write is conditional on the version read, so two steps (or a step and a retry of it) can never
 * silently overwrite each other: the loser gets a {@link StoreException} and the state machine retries or fails.
 * A tenant lists its runs through {@code gsi1} ({@link #list}), the sweeper the unfinished ones through {@code gsi2}.
 */
public final class RunStore {
    private static final String KIND = "RUN";
    static final int UNFINISHED_SHARDS = 16;
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
                .map(RunStore::fromItem);
    }

    public RunRecord get(TenantId tenant, RunId id) {
        return find(tenant, id).orElseThrow(() -> new StoreException("run " + id + " of tenant " + tenant + " does not exist"));
    }

    /** Writes {@code run} if the stored version is still {@code run.version()}; returns the stored state. */
    public RunRecord update(RunRecord run) {
        RunRecord next = run.atVersion(run.version() + 1);
        if (!TableAccess.putIfVersion(table, toItem(next), run.version())) {
            throw new ConcurrentChangeException("run " + run.id() + " changed concurrently (expected version " + run.version() + ")");
        }
        return next;
    }

    /**
     * One page of the tenant's runs, newest first (through {@code gsi1}, whose partition is the tenant's, so no other
     * tenant's run is ever read), optionally only those with {@code status} and/or of {@code agent}. The filters are
     * applied to the {@code limit} runs a page reads, so a filtered page may hold fewer than {@code limit} runs, even
     * none, and still have a next page; without filters a page is full unless it is the last (which may be empty).
     *
     * @param cursor the {@link Listing.Page#nextCursor} of the previous page of this tenant's runs, or null
     * @throws Listing.InvalidCursorException when {@code cursor} was not given out for this tenant's runs
     */
    public Listing.Page<RunSummary> list(TenantId tenant, int limit, String cursor, RunStatus status, String agent) {
        List<String> conditions = new ArrayList<>();
        Expression.Builder filter = Expression.builder();
        if (status != null) {
            conditions.add("#status = :status");
            filter.putExpressionName("#status", "status").putExpressionValue(":status", AttributeValue.fromS(status.name()));
        }
        if (agent != null) {
            conditions.add("#agent = :agent");
            filter.putExpressionName("#agent", "agent").putExpressionValue(":agent", AttributeValue.fromS(agent));
        }
        Expression expression = conditions.isEmpty() ? null : filter.expression(String.join(" AND ", conditions)).build();
        return Listing.page(table, TableAccess.listingKey(tenant, KIND), limit, cursor, expression)
                .map(d -> RunSummary.of(fromItem(d)));
    }

    /**
     * Runs not yet ended (QUEUED, RUNNING, WAITING_FOR_REVIEW) across all tenants, oldest first, for the sweeper:
     * queries of the sparse index {@code gsi2}, which holds a run's keys only while it has not ended, then a read of
     * each run. The index is spread over {@value #UNFINISHED_SHARDS} partitions so that busy tenants' commits do not
     * all write one index partition; its sort key is the run's creation, which no commit changes, and it holds keys
     * only, so a step's commit costs the index one small write.
     */
    public List<RunRecord> listUnfinished(int limit) {
        return TableAccess.sparseKeys(table, UNFINISHED_SHARDS, RunStore::unfinishedShard, limit).stream()
                .map(d -> TableAccess.get(table, d.getString(StewardTable.PK), d.getString(StewardTable.SK)))
                .flatMap(Optional::stream)
                .map(RunStore::fromItem)
                .filter(run -> !run.status().terminal()) // ended between the query and the read
                .toList();
    }

    /**
     * Writes every unfinished run again so that the index {@code gsi2}, when just added to a table that already held
     * runs, lists them too: a filtered scan of the whole table, once. Returns how many runs were written.
     */
    public int indexUnfinished() {
        int written = 0;
        List<RunRecord> unfinished = TableAccess.scanByStatus(table, KIND, List.of(RunStatus.QUEUED.name(),
                        RunStatus.RUNNING.name(), RunStatus.WAITING_FOR_REVIEW.name()))
                .stream().map(RunStore::fromItem).toList();
        for (RunRecord run : unfinished) {
            if (TableAccess.putIfVersion(table, toItem(run), run.version())) {
                written++;
            }
        }
        return written;
    }

    private static RunRecord fromItem(EnhancedDocument d) {
        return Json.read(d.getString("body"), RunRecord.class).atVersion(d.getNumber("version").longValue());
    }

    static String unfinishedShard(int shard) {
        return "UNFINISHED#" + String.format(java.util.Locale.ROOT, "%02d", shard);
    }

    /**
     * DynamoDB's item limit, less room for the keys and index attributes beside the body: a record over it is refused
     * here with its size, not by the store's "Item size has exceeded" (the agent loop bounds runs well below it).
     */
    static final int MAX_BODY_BYTES = 400 * 1024 - 1024;

    private static EnhancedDocument toItem(RunRecord run) {
        String body = Json.write(run);
        int bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > MAX_BODY_BYTES) {
            throw new StoreException("the run's record would be " + bytes + " bytes, over the store's limit of "
                    + MAX_BODY_BYTES + " bytes for one run");
        }
        EnhancedDocument.Builder item = TableAccess.item(TableAccess.tenantChildKey(run.tenant(), KIND, run.id().value()), "META")
                .putString(StewardTable.GSI1_PK, TableAccess.listingKey(run.tenant(), KIND))
                .putString(StewardTable.GSI1_SK, TableAccess.listingSortKey(run.createdAt(), run.id().value()))
                .putString("status", run.status().name())
                .putString("agent", run.agent())
                .putNumber("version", run.version())
                .putString("body", body);
        if (!run.status().terminal()) {
            // Sparse: an ended run's item has no gsi2 keys, so it leaves the index with the write that ends it.
            item.putString(StewardTable.GSI2_PK, unfinishedShard(Math.floorMod(run.id().value().hashCode(), UNFINISHED_SHARDS)))
                    .putString(StewardTable.GSI2_SK, TableAccess.listingSortKey(run.createdAt(), run.tenant().value() + "#" + run.id().value()));
        }
        return item.build();
    }
}
