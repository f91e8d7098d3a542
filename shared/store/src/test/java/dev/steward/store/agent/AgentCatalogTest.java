package dev.steward.store.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.agent.AgentTemplate;
import dev.steward.core.json.Json;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.LocalTable;
import dev.steward.store.StewardTable;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cached agent reads against DynamoDB Local (embedded, in memory). */
class AgentCatalogTest {
    @RegisterExtension
    static final LocalTable DB = new LocalTable();
    static AgentStore store;
    static final TenantId TENANT = TenantId.of("catalog");

    @BeforeAll
    static void start() {
        StewardTable table = DB.table();
        store = new AgentStore(table);
    }


    private static AgentTemplate agent(String name, String instructions) {
        return new AgentTemplate(name, "test agent", instructions, 4, 8, Json.object().put("type", "object"));
    }

    @Test
    void keepsATemplateForItsTtlButSeesANewAgentAtOnce() {
        AgentCatalog cached = new AgentCatalog(store, Duration.ofMinutes(10));
        assertThat(cached.find(TENANT, "helper")).isEmpty();
        store.put(TENANT, agent("helper", "first"));
        // a missing agent was not remembered
        assertThat(cached.find(TENANT, "helper")).map(AgentTemplate::instructions).contains("first");
        store.put(TENANT, agent("helper", "second"));
        assertThat(cached.find(TENANT, "helper")).map(AgentTemplate::instructions).contains("first");
        assertThat(new AgentCatalog(store, Duration.ZERO).find(TENANT, "helper")).map(AgentTemplate::instructions).contains("second");
        assertThat(cached.find(TenantId.of("other-tenant"), "helper")).isEmpty();
    }

    @Test
    void readsItsTtlFromTheEnvironment() {
        assertThat(AgentCatalog.ttlFrom(Map.of())).isEqualTo(AgentCatalog.DEFAULT_TTL);
        assertThat(AgentCatalog.ttlFrom(Map.of("STEWARD_AGENT_CACHE_SECONDS", " 5 "))).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> AgentCatalog.ttlFrom(Map.of("STEWARD_AGENT_CACHE_SECONDS", "soon")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("STEWARD_AGENT_CACHE_SECONDS").hasMessageContaining("soon");
    }
}
