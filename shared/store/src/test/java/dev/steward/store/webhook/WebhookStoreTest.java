package dev.steward.store.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.run.RunId;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.LocalTable;
import dev.steward.store.RawItems;
import dev.steward.store.Stores;
import dev.steward.store.secret.SecretSealingException;
import dev.steward.store.vault.VaultStore;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Webhook settings per tenant and vendor, their secrets sealed in the table, and a run vault's first write, against DynamoDB Local. */
class WebhookStoreTest {
    @RegisterExtension
    static final LocalTable DB = new LocalTable();
    static Stores stores;
    static final Instant T0 = Instant.parse("2026-05-01T00:00:00Z");

    @BeforeAll
    static void start() {
        stores = Stores.over(DB.table());
    }

    @Test
    void settingsAreKeptPerTenantAndVendorAndReplacedOnSave() {
        TenantId acme = TenantId.of("acme");
        TenantId other = TenantId.of("other");
        WebhookSettings zendesk = new WebhookSettings("zendesk", "triage", "s1", List.of("zen:event-type:ticket.created"), T0, "key:admin");
        stores.webhooks().put(acme, zendesk);
        stores.webhooks().put(acme, new WebhookSettings("hubspot", "sales", "s2", null, T0, "key:admin"));

        assertThat(stores.webhooks().find(acme, "zendesk")).contains(zendesk);
        assertThat(stores.webhooks().find(other, "zendesk")).isEmpty();
        assertThat(stores.webhooks().listSealed(acme)).extracting(WebhookSettings::source).containsExactlyInAnyOrder("zendesk", "hubspot");
        assertThat(stores.webhooks().listSealed(other)).isEmpty();

        WebhookSettings rotated = new WebhookSettings("zendesk", "triage", "s3", List.of(), T0.plusSeconds(60), "key:admin2");
        stores.webhooks().put(acme, rotated);
        assertThat(stores.webhooks().find(acme, "zendesk")).contains(rotated);

        assertThat(stores.webhooks().delete(other, "zendesk")).isFalse();
        assertThat(stores.webhooks().delete(acme, "zendesk")).isTrue();
        assertThat(stores.webhooks().find(acme, "zendesk")).isEmpty();
        assertThat(stores.webhooks().listSealed(acme)).extracting(WebhookSettings::source).containsExactly("hubspot");
    }

    @Test
    void theTableHoldsTheSecretSealedAndAPlaintextOneFromBeforeStillReads() {
        TenantId acme = TenantId.of("sealed");
        stores.webhooks().put(acme, new WebhookSettings("zendesk", "triage", "zendesk-signing-secret-1", List.of(), T0, "x"));

        assertThat(RawItems.item(DB.table(), acme, "WEBHOOK#zendesk")).doesNotContain("zendesk-signing-secret-1").contains("triage");
        assertThat(stores.webhooks().find(acme, "zendesk").orElseThrow().secret()).isEqualTo("zendesk-signing-secret-1");

        WebhookSettings plain = new WebhookSettings("hubspot", "sales", "hubspot-client-secret", null, T0, "x");
        RawItems.putBody(DB.table(), acme, "WEBHOOK#hubspot", plain);
        assertThat(stores.webhooks().find(acme, "hubspot")).contains(plain);
        // a listing shows each secret as stored and opens none
        assertThat(stores.webhooks().listSealed(acme)).extracting(WebhookSettings::secret)
                .anySatisfy(secret -> assertThat(secret).startsWith("steward:sealed:v1:").doesNotContain("zendesk-signing-secret-1"))
                .contains("hubspot-client-secret");
    }

    @Test
    void aSecretCopiedToAnotherTenantOrSourceDoesNotOpen() {
        TenantId acme = TenantId.of("victim");
        TenantId thief = TenantId.of("thief");
        stores.webhooks().put(acme, new WebhookSettings("zendesk", "triage", "victim-signing-secret", List.of(), T0, "x"));

        RawItems.copy(DB.table(), acme, "WEBHOOK#zendesk", thief, "WEBHOOK#zendesk");
        assertThatThrownBy(() -> stores.webhooks().find(thief, "zendesk")).isInstanceOf(SecretSealingException.class)
                .hasMessageContaining("tenant 'thief', purpose 'webhook/zendesk'");
        RawItems.copy(DB.table(), acme, "WEBHOOK#zendesk", acme, "WEBHOOK#hubspot");
        assertThatThrownBy(() -> stores.webhooks().find(acme, "hubspot")).isInstanceOf(SecretSealingException.class)
                .hasMessageContaining("purpose 'webhook/hubspot'");
        // the copy does not hide the real setting from a listing, which opens nothing
        assertThat(stores.webhooks().listSealed(acme)).hasSize(2);
        assertThat(stores.webhooks().find(acme, "zendesk").orElseThrow().secret()).isEqualTo("victim-signing-secret");
    }

    @Test
    void anEmptyEventListAcceptsEveryType() {
        assertThat(new WebhookSettings("hubspot", "a", "s", List.of(), T0, "x").accepts("ticket.creation")).isTrue();
        WebhookSettings some = new WebhookSettings("hubspot", "a", "s", List.of("ticket.creation"), T0, "x");
        assertThat(some.accepts("ticket.creation")).isTrue();
        assertThat(some.accepts("contact.creation")).isFalse();
    }

    @Test
    void aVaultIsCreatedOnceSoARedeliveryCannotResetIt() {
        TenantId acme = TenantId.of("acme");
        RunId run = RunId.random();
        List<VaultStore.Entry> first = List.of(new VaultStore.Entry("EMAIL", "<EMAIL_1>", "ana@example.com"));

        assertThat(stores.vaults().create(acme, run, first)).isTrue();
        stores.vaults().put(acme, run, List.of(first.getFirst(), new VaultStore.Entry("PHONE", "<PHONE_1>", "+1 202 555 0100")));
        assertThat(stores.vaults().create(acme, run, first)).isFalse();
        assertThat(stores.vaults().get(acme, run)).hasSize(2);
    }
}
