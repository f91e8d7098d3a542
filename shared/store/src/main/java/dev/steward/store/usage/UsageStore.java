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

    /** Today's totals for a tenant (zeros when nothing was counted yet). */
    public record Usage(long tokensIn, long tokensOut, long modelCalls) {
        public long tokens() {
            return tokensIn + tokensOut;
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
            return new Usage(0, 0, 0);
        }
        return new Usage(number(r.item(), "tokensIn"), number(r.item(), "tokensOut"), number(r.item(), "modelCalls"));
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
