package dev.steward.store.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.tenant.TenantId;
import dev.steward.core.json.Json;
import dev.steward.store.LocalTable;
import dev.steward.store.RawItems;
import dev.steward.store.Stores;
import dev.steward.store.secret.SecretSealingException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Vendor connections per tenant and vendor, their tokens sealed in the table, against DynamoDB Local. */
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
        assertThat(stores.connections().listSealed(acme)).extracting(ConnectionSettings::vendor).containsExactlyInAnyOrder("zendesk", "hubspot");
        assertThat(stores.connections().listSealed(other)).isEmpty();
        // the webhook settings of the same tenant live beside them and are not listed as connections
        assertThat(stores.webhooks().listSealed(acme)).isEmpty();

        ConnectionSettings rotated = new ConnectionSettings("zendesk", Map.of("subdomain", "acme2", "email", "agent@acme.test"),
                "zd-token-2", T0.plusSeconds(60), "key:admin2");
        stores.connections().put(acme, rotated);
        assertThat(stores.connections().find(acme, "zendesk")).contains(rotated);

        assertThat(stores.connections().delete(other, "zendesk")).isFalse();
        assertThat(stores.connections().delete(acme, "zendesk")).isTrue();
        assertThat(stores.connections().find(acme, "zendesk")).isEmpty();
        assertThat(stores.connections().listSealed(acme)).extracting(ConnectionSettings::vendor).containsExactly("hubspot");
    }

    @Test
    void theTableHoldsTheTokenSealedForTheTenantAndVendorOnly() {
        TenantId acme = TenantId.of("sealed");
        String token = "zd-token-only-in-the-clear-for-the-vendor";
        stores.connections().put(acme, new ConnectionSettings("zendesk", Map.of("subdomain", "acme"), token, T0, "key:admin"));

        assertThat(RawItems.item(DB.table(), acme, "CONNECTION#zendesk")).doesNotContain(token).contains("acme");
        assertThat(Json.tree(RawItems.body(DB.table(), acme, "CONNECTION#zendesk")).path("token").asText())
                .startsWith("steward:sealed:v1:aes-gcm:");
        assertThat(stores.connections().find(acme, "zendesk").orElseThrow().token()).isEqualTo(token);
        // another process with another key reads the same table and cannot open it
        assertThatThrownBy(() -> Stores.over(DB.table()).connections().find(acme, "zendesk"))
                .isInstanceOf(SecretSealingException.class);
    }

    @Test
    void aTokenStoredInPlaintextBeforeSealingStillReadsAndIsSealedOnTheNextSave() {
        TenantId acme = TenantId.of("legacy");
        ConnectionSettings plain = new ConnectionSettings("hubspot", Map.of(), "pat-na1-legacy-token", T0, "key:admin");
        RawItems.putBody(DB.table(), acme, "CONNECTION#hubspot", plain);

        assertThat(stores.connections().find(acme, "hubspot")).contains(plain);
        assertThat(stores.connections().listSealed(acme)).containsExactly(plain);

        stores.connections().put(acme, stores.connections().find(acme, "hubspot").orElseThrow());
        assertThat(RawItems.body(DB.table(), acme, "CONNECTION#hubspot")).doesNotContain("pat-na1-legacy-token");
        assertThat(stores.connections().find(acme, "hubspot")).contains(plain);
    }

    @Test
    void anItemCopiedToAnotherTenantOrVendorDoesNotOpen() {
        TenantId acme = TenantId.of("victim");
        TenantId thief = TenantId.of("thief");
        stores.connections().put(acme, new ConnectionSettings("zendesk", Map.of("subdomain", "victim"), "zd-victim-token", T0, "x"));

        RawItems.copy(DB.table(), acme, "CONNECTION#zendesk", thief, "CONNECTION#zendesk");
        assertThatThrownBy(() -> stores.connections().find(thief, "zendesk")).isInstanceOf(SecretSealingException.class)
                .hasMessageContaining("tenant 'thief', purpose 'connection/zendesk'").hasMessageNotContaining("zd-victim-token");
        // a listing opens no token, so the copy lists (sealed, useless) rather than failing the whole list
        assertThat(stores.connections().listSealed(thief)).singleElement()
                .satisfies(c -> assertThat(c.token()).startsWith("steward:sealed:v1:").doesNotContain("zd-victim-token"));

        // under another vendor's name of the same tenant: bound to the key's name, not to what the body says
        RawItems.copy(DB.table(), acme, "CONNECTION#zendesk", acme, "CONNECTION#hubspot");
        assertThatThrownBy(() -> stores.connections().find(acme, "hubspot")).isInstanceOf(SecretSealingException.class)
                .hasMessageContaining("purpose 'connection/hubspot'");
    }

    @Test
    void theTokenIsRequiredAndNeverPrinted() {
        ConnectionSettings s = new ConnectionSettings("hubspot", Map.of(), "pat-na1-secret", T0, "x");
        assertThat(s.toString()).doesNotContain("pat-na1-secret").contains("token=****");
        assertThatThrownBy(() -> new ConnectionSettings("hubspot", Map.of(), " ", T0, "x")).hasMessageContaining("API token");
        assertThatThrownBy(() -> new ConnectionSettings("", Map.of(), "t", T0, "x")).hasMessageContaining("vendor");
    }
}
