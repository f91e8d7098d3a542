package dev.steward.store.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.tenant.TenantId;
import dev.steward.store.LocalTable;
import dev.steward.store.Stores;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Vendor connections per tenant and vendor, against DynamoDB Local. */
class ConnectionStoreTest {
    @RegisterExtension
    static final LocalTable DB = new LocalTable();
    static Stores stores;
    static final Instant T0 = Instant.parse("2026-05-01T00:00:00Z");

    @BeforeAll
    static void start() {
        stores = Stores.over(DB.table());
    }

    @Test
    void connectionsAreKeptPerTenantAndVendorAndReplacedOnSave() {
        TenantId acme = TenantId.of("acme");
        TenantId other = TenantId.of("other");
        ConnectionSettings zendesk = new ConnectionSettings("zendesk", Map.of("subdomain", "acme", "email", "agent@acme.test"),
                "zd-token-1", T0, "key:admin");
        stores.connections().put(acme, zendesk);
        stores.connections().put(acme, new ConnectionSettings("hubspot", null, "pat-na1-1", T0, "key:admin"));

        assertThat(stores.connections().find(acme, "zendesk")).contains(zendesk);
        assertThat(stores.connections().find(acme, "zendesk").orElseThrow().field("subdomain")).isEqualTo("acme");
        assertThat(stores.connections().find(other, "zendesk")).isEmpty();
        assertThat(stores.connections().list(acme)).extracting(ConnectionSettings::vendor).containsExactlyInAnyOrder("zendesk", "hubspot");
        assertThat(stores.connections().list(other)).isEmpty();
        // the webhook settings of the same tenant live beside them and are not listed as connections
        assertThat(stores.webhooks().list(acme)).isEmpty();

        ConnectionSettings rotated = new ConnectionSettings("zendesk", Map.of("subdomain", "acme2", "email", "agent@acme.test"),
                "zd-token-2", T0.plusSeconds(60), "key:admin2");
        stores.connections().put(acme, rotated);
        assertThat(stores.connections().find(acme, "zendesk")).contains(rotated);

        assertThat(stores.connections().delete(other, "zendesk")).isFalse();
        assertThat(stores.connections().delete(acme, "zendesk")).isTrue();
        assertThat(stores.connections().find(acme, "zendesk")).isEmpty();
        assertThat(stores.connections().list(acme)).extracting(ConnectionSettings::vendor).containsExactly("hubspot");
    }

    @Test
    void theTokenIsRequiredAndNeverPrinted() {
        ConnectionSettings s = new ConnectionSettings("hubspot", Map.of(), "pat-na1-secret", T0, "x");
        assertThat(s.toString()).doesNotContain("pat-na1-secret").contains("token=****");
        assertThatThrownBy(() -> new ConnectionSettings("hubspot", Map.of(), " ", T0, "x")).hasMessageContaining("API token");
        assertThatThrownBy(() -> new ConnectionSettings("", Map.of(), "t", T0, "x")).hasMessageContaining("vendor");
    }
}
