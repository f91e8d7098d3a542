package dev.steward.store.usage;

import dev.steward.core.run.GuardVerdict;
import dev.steward.core.run.RunRecord;
import dev.steward.core.run.StepRecord;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.StewardTable;
import dev.steward.store.TableAccess;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Daily usage counters per tenant and agent, updated with atomic {@code ADD}s so concurrent steps never lose a
 * count. Keys: {@code pk = T#<tenant>#USAGE#<yyyy-mm-dd>}, {@code sk = AGENT#<name>}. A tenant's day total is the
 * sum of its agents' items, read with one query: one write per update instead of a second one to a total item,
 * and a day has one item per agent that ran, so the query stays small.
 */
public final class UsageStore {
    private final StewardTable table;

    public UsageStore(StewardTable table) {
        this.table = table;
    }

    private static final String VERDICT_PREFIX = "guard_";

    /**
     * A day's totals (zeros when nothing was counted yet). {@code verdicts} counts guardrail verdicts other than
     * ALLOW by checkpoint and verdict, keyed {@code STAGE.VERDICT} (e.g. {@code RETRIEVED_CHUNK.REDACT}).
     */
    public record Usage(long tokensIn, long tokensOut, long modelCalls, Map<String, Long> verdicts) {
        public Usage {
            verdicts = Map.copyOf(verdicts);
        }

        public long tokens() {
            return tokensIn + tokensOut;
        }
    }

    /**
     * Counts the verdicts other than ALLOW of every step of a run that has ended into its tenant's and agent's
     * {@code day}: once per run, whichever way it ended (answer, halt, failure, expired review). Call it after the
     * run's final commit: a crash in between under-counts, never double-counts.
     */
    public void countVerdicts(RunRecord run, LocalDate day) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (StepRecord step : run.steps()) {
            for (GuardVerdict v : step.verdicts()) {
                if (!v.verdict().equals("ALLOW")) {
                    counts.merge(v.stage() + "." + v.verdict(), 1L, Long::sum);
                }
            }
        }
        countVerdicts(run.tenant(), run.agent(), day, counts);
    }

    /** Adds {@code counts} (keys {@code STAGE.VERDICT}, letters and underscores) to the tenant's and agent's day. */
    public void countVerdicts(TenantId tenant, String agent, LocalDate day, Map<String, Long> counts) {
        if (counts.isEmpty()) {
            return;
        }
        StringBuilder expression = new StringBuilder("ADD ");
        Map<String, String> names = new java.util.HashMap<>();
        Map<String, AttributeValue> values = new java.util.HashMap<>();
        int i = 0;
        for (Map.Entry<String, Long> c : counts.entrySet()) {
            if (!c.getKey().matches("[A-Z_]+\\.[A-Z_]+")) {
                throw new IllegalArgumentException("verdict counter key must be STAGE.VERDICT: " + c.getKey());
            }
            expression.append(i == 0 ? "" : ", ").append("#n").append(i).append(" :v").append(i);
            names.put("#n" + i, VERDICT_PREFIX + c.getKey().replace('.', '_'));
            values.put(":v" + i, AttributeValue.fromN(Long.toString(c.getValue())));
            i++;
        }
        table.client().updateItem(b -> b.tableName(table.name()).key(key(tenant, day, agent))
                .updateExpression(expression.toString()).expressionAttributeNames(names).expressionAttributeValues(values));
    }

    public void add(TenantId tenant, String agent, LocalDate day, long tokensIn, long tokensOut) {
        table.client().updateItem(b -> b.tableName(table.name())
                .key(key(tenant, day, agent))
                .updateExpression("ADD tokensIn :i, tokensOut :o, modelCalls :one")
                .expressionAttributeValues(Map.of(
                        ":i", AttributeValue.fromN(Long.toString(tokensIn)),
                        ":o", AttributeValue.fromN(Long.toString(tokensOut)),
                        ":one", AttributeValue.fromN("1"))));
    }

    /**
     * Counts one run start of {@code tenant} into the minute of {@code now}, unless the minute already holds
     * {@code perMinute}: one conditional {@code ADD} on the item {@code T#<tenant>#RATE} / {@code RUNS#<epoch minute>},
     * so concurrent starts never exceed the limit. The item expires by the table's TTL two minutes after its minute.
     * A fixed window: a burst of up to twice the limit can straddle a minute's end, which the limit tolerates.
     *
     * @return true when the start is counted; false, with nothing counted, when the minute is full
     */
    public boolean tryStartRun(TenantId tenant, Instant now, long perMinute) {
        if (perMinute <= 0) {
            return false;
        }
        long minute = now.getEpochSecond() / 60;
        try {
            table.client().updateItem(b -> b.tableName(table.name())
                    .key(Map.of(StewardTable.PK, AttributeValue.fromS(TableAccess.listingKey(tenant, "RATE")),
                            StewardTable.SK, AttributeValue.fromS("RUNS#" + minute)))
                    .updateExpression("ADD #n :one SET #ttl = :ttl")
                    .conditionExpression("attribute_not_exists(#n) OR #n < :limit")
                    .expressionAttributeNames(Map.of("#n", "runs", "#ttl", "ttl"))
                    .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"),
                            ":limit", AttributeValue.fromN(Long.toString(perMinute)),
                            ":ttl", AttributeValue.fromN(Long.toString((minute + 3) * 60)))));
            return true;
        } catch (ConditionalCheckFailedException full) {
            return false;
        }
    }

    /** The tenant's day over all its agents (a strongly consistent query of the day's agent items). */
    public Usage today(TenantId tenant, LocalDate day) {
        QueryResponse r = table.client().query(b -> b.tableName(table.name()).consistentRead(true)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :agent)")
                .expressionAttributeNames(Map.of("#pk", StewardTable.PK, "#sk", StewardTable.SK))
                .expressionAttributeValues(Map.of(":pk", partition(tenant, day), ":agent", AttributeValue.fromS(AGENT))));
        if (r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty()) {
            // a day item is well under 1 KB, so 1 MB of them is thousands of agents: refuse rather than undercount
            throw new IllegalStateException("usage of " + tenant + " on " + day + " spans more than one query page");
        }
        return sum(r.items());
    }

    public Usage ofAgent(TenantId tenant, String agent, LocalDate day) {
        GetItemResponse r = table.client().getItem(b -> b.tableName(table.name()).key(key(tenant, day, agent)).consistentRead(true));
        return sum(r.hasItem() ? List.of(r.item()) : List.of());
    }

    private static Usage sum(List<Map<String, AttributeValue>> items) {
        long in = 0, out = 0, calls = 0;
        Map<String, Long> verdicts = new java.util.TreeMap<>();
        for (Map<String, AttributeValue> item : items) {
            in += number(item, "tokensIn");
            out += number(item, "tokensOut");
            calls += number(item, "modelCalls");
            item.forEach((name, value) -> {
                if (name.startsWith(VERDICT_PREFIX)) {
                    String key = name.substring(VERDICT_PREFIX.length());
                    int split = key.lastIndexOf('_', key.length() - 1);
                    // STAGE_VERDICT: the verdict is one word (ALLOW, REDACT, ASK, DENY), so the last '_' separates them.
                    verdicts.merge(key.substring(0, split) + "." + key.substring(split + 1), Long.parseLong(value.n()), Long::sum);
                }
            });
        }
        return new Usage(in, out, calls, verdicts);
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? 0 : Long.parseLong(v.n());
    }

    private static final String AGENT = "AGENT#";

    private static AttributeValue partition(TenantId tenant, LocalDate day) {
        return AttributeValue.fromS(TableAccess.tenantChildKey(tenant, "USAGE", day.toString()));
    }

    private static Map<String, AttributeValue> key(TenantId tenant, LocalDate day, String agent) {
        return Map.of(StewardTable.PK, partition(tenant, day), StewardTable.SK, AttributeValue.fromS(AGENT + agent));
    }
}
