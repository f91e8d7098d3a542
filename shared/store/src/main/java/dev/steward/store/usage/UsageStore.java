package dev.steward.store.usage;

import dev.steward.core.tenant.TenantId;
import dev.steward.store.StewardTable;
import dev.steward.store.TableAccess;
import java.time.LocalDate;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * Daily usage counters per tenant (and per agent), updated with atomic {@code ADD}s so concurrent steps never lose a
 * count. Keys: {@code pk = T#<tenant>#USAGE#<yyyy-mm-dd>}, {@code sk = TOTAL} or {@code AGENT#<name>}.
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
        for (String sk : new String[] {"TOTAL", "AGENT#" + agent}) {
            table.client().updateItem(b -> b.tableName(table.name()).key(key(tenant, day, sk))
                    .updateExpression(expression.toString()).expressionAttributeNames(names).expressionAttributeValues(values));
        }
    }

    public void add(TenantId tenant, String agent, LocalDate day, long tokensIn, long tokensOut) {
        for (String sk : new String[] {"TOTAL", "AGENT#" + agent}) {
            table.client().updateItem(b -> b.tableName(table.name())
                    .key(key(tenant, day, sk))
                    .updateExpression("ADD tokensIn :i, tokensOut :o, modelCalls :one")
                    .expressionAttributeValues(Map.of(
                            ":i", AttributeValue.fromN(Long.toString(tokensIn)),
                            ":o", AttributeValue.fromN(Long.toString(tokensOut)),
                            ":one", AttributeValue.fromN("1"))));
        }
    }

    public Usage today(TenantId tenant, LocalDate day) {
        return read(tenant, day, "TOTAL");
    }

    public Usage ofAgent(TenantId tenant, String agent, LocalDate day) {
        return read(tenant, day, "AGENT#" + agent);
    }

    private Usage read(TenantId tenant, LocalDate day, String sk) {
        GetItemResponse r = table.client().getItem(b -> b.tableName(table.name()).key(key(tenant, day, sk)).consistentRead(true));
        if (!r.hasItem()) {
            return new Usage(0, 0, 0, Map.of());
        }
        Map<String, Long> verdicts = new java.util.TreeMap<>();
        r.item().forEach((name, value) -> {
            if (name.startsWith(VERDICT_PREFIX)) {
                String key = name.substring(VERDICT_PREFIX.length());
                int split = key.lastIndexOf('_', key.length() - 1);
                // STAGE_VERDICT: the verdict is one word (ALLOW, REDACT, ASK, DENY), so the last '_' separates them.
                verdicts.put(key.substring(0, split) + "." + key.substring(split + 1), Long.parseLong(value.n()));
            }
        });
        return new Usage(number(r.item(), "tokensIn"), number(r.item(), "tokensOut"), number(r.item(), "modelCalls"), verdicts);
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? 0 : Long.parseLong(v.n());
    }

    private static Map<String, AttributeValue> key(TenantId tenant, LocalDate day, String sk) {
        return Map.of(StewardTable.PK, AttributeValue.fromS(TableAccess.tenantChildKey(tenant, "USAGE", day.toString())),
                StewardTable.SK, AttributeValue.fromS(sk));
    }
}
