package dev.steward.store.agent;

import dev.steward.core.agent.AgentTemplate;
import dev.steward.core.json.Json;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.StewardTable;
import dev.steward.store.TableAccess;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;

/** A tenant's agents. */
public final class AgentStore {
    private final StewardTable table;

    public AgentStore(StewardTable table) {
        this.table = table;
    }

    public void put(TenantId tenant, AgentTemplate agent) {
        table.documents().putItem(TableAccess.item(TableAccess.tenantKey(tenant), "AGENT#" + agent.name())
                .putString("body", Json.write(agent))
                .build());
    }

    public Optional<AgentTemplate> find(TenantId tenant, String name) {
        return TableAccess.get(table, TableAccess.tenantKey(tenant), "AGENT#" + name)
                .map(d -> Json.read(d.getString("body"), AgentTemplate.class));
    }

    public List<AgentTemplate> list(TenantId tenant) {
        return table.documents()
                .query(r -> r.queryConditional(QueryConditional.sortBeginsWith(
                        Key.builder().partitionValue(TableAccess.tenantKey(tenant)).sortValue("AGENT#").build())))
                .items().stream()
                .map(d -> Json.read(d.getString("body"), AgentTemplate.class))
                .toList();
    }
}
