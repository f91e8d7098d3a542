package dev.steward.store.webhook;

import dev.steward.core.tenant.TenantId;
import dev.steward.store.StewardTable;
import dev.steward.store.TenantItems;
import dev.steward.store.audit.AuditEvent;
import dev.steward.store.secret.SecretSealer;
import java.util.List;
import java.util.Optional;

/**
 * A tenant's webhook settings, one item per vendor under the tenant's key ({@code WEBHOOK#<source>}). The signing
 * secret is stored sealed for the tenant and {@code webhook/<source>} ({@link SecretSealer}): the table alone does not
 * give it away, and an item copied under another tenant or source does not open. A secret stored in plaintext before
 * sealing still reads, and is sealed when the settings are next saved.
 */
public final class WebhookStore {
    private final TenantItems<WebhookSettings> items;
    private final SecretSealer sealer;

    public WebhookStore(StewardTable table, SecretSealer sealer) {
        this.items = new TenantItems<>(table, "WEBHOOK#", WebhookSettings.class);
        this.sealer = sealer;
    }

    /** Saves the settings, replacing the vendor's previous ones. */
    public void put(TenantId tenant, WebhookSettings settings) {
        items.put(tenant, settings.source(), withSecret(settings, sealer.seal(tenant, purpose(settings.source()), settings.secret())));
    }

    /** Saves the settings, replacing the vendor's previous ones, and appends {@code event} in the same transaction. */
    public void put(TenantId tenant, WebhookSettings settings, AuditEvent event) {
        items.put(tenant, settings.source(), withSecret(settings, sealer.seal(tenant, purpose(settings.source()), settings.secret())), event);
    }

    /** The vendor's settings with the secret opened; a {@code SecretSealingException} when the secret does not open. */
    public Optional<WebhookSettings> find(TenantId tenant, String source) {
        return items.find(tenant, source).map(stored -> opened(tenant, source, stored));
    }

    /**
     * Every webhook setting of the tenant with its secret as stored, still sealed: a listing never needs a secret, so
     * it opens none (no KMS call per source, and one item that would not open does not hide the others). {@link #find}
     * opens the one a delivery is checked with.
     */
    public List<WebhookSettings> listSealed(TenantId tenant) {
        return items.list(tenant).stream().map(TenantItems.Named::value).toList();
    }

    /** Removes the vendor's settings; true when there were any. */
    public boolean delete(TenantId tenant, String source) {
        return items.delete(tenant, source);
    }

    /** Removes the vendor's settings and appends {@code event}, in one transaction; false (and no event) when there were none. */
    public boolean delete(TenantId tenant, String source, AuditEvent event) {
        return items.delete(tenant, source, event);
    }

    private WebhookSettings opened(TenantId tenant, String source, WebhookSettings stored) {
        return withSecret(stored, sealer.open(tenant, purpose(source), stored.secret()));
    }

    private static String purpose(String source) {
        return "webhook/" + source;
    }

    private static WebhookSettings withSecret(WebhookSettings s, String secret) {
        return new WebhookSettings(s.source(), s.agent(), secret, s.events(), s.updatedAt(), s.updatedBy());
    }
}
