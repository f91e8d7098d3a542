package dev.steward.store.connection;

import dev.steward.core.tenant.TenantId;
import dev.steward.store.StewardTable;
import dev.steward.store.TenantItems;
import dev.steward.store.audit.AuditEvent;
import dev.steward.store.secret.SecretSealer;
import java.util.List;
import java.util.Optional;

/**
 * A tenant's vendor connections, one item per vendor under the tenant's key ({@code CONNECTION#<vendor>}). Every
 * method takes the tenant first and reads or writes only that tenant's partition, so one tenant's credentials can
 * never serve another tenant's call. The token is stored sealed for the tenant and {@code connection/<vendor>}
 * ({@link SecretSealer}), so the table alone does not give it away and an item copied under another tenant or vendor
 * does not open; a token stored in plaintext before sealing still reads, and is sealed when the connection is next saved.
 */
public final class ConnectionStore {
    private final TenantItems<ConnectionSettings> items;
    private final SecretSealer sealer;

    public ConnectionStore(StewardTable table, SecretSealer sealer) {
        this.items = new TenantItems<>(table, "CONNECTION#", ConnectionSettings.class);
        this.sealer = sealer;
    }

    /** Saves the connection, replacing the vendor's previous one. */
    public void put(TenantId tenant, ConnectionSettings settings) {
        items.put(tenant, settings.vendor(), withToken(settings, sealer.seal(tenant, purpose(settings.vendor()), settings.token())));
    }

    /** Saves the connection, replacing the vendor's previous one, and appends {@code event} in the same transaction. */
    public void put(TenantId tenant, ConnectionSettings settings, AuditEvent event) {
        items.put(tenant, settings.vendor(), withToken(settings, sealer.seal(tenant, purpose(settings.vendor()), settings.token())), event);
    }

    /** The vendor's connection with its token opened; a {@code SecretSealingException} when the token does not open. */
    public Optional<ConnectionSettings> find(TenantId tenant, String vendor) {
        return items.find(tenant, vendor).map(stored -> opened(tenant, vendor, stored));
    }

    /**
     * Every connection of the tenant with its token as stored, still sealed: a listing says what is configured and
     * never needs a token, so it opens none (no KMS call per connection, and one item that would not open does not
     * hide the others). {@link #find} opens the one a call needs.
     */
    public List<ConnectionSettings> listSealed(TenantId tenant) {
        return items.list(tenant).stream().map(TenantItems.Named::value).toList();
    }

    /** Removes the vendor's connection; true when there was one. */
    public boolean delete(TenantId tenant, String vendor) {
        return items.delete(tenant, vendor);
    }

    /** Removes the vendor's connection and appends {@code event}, in one transaction; false (and no event) when there was none. */
    public boolean delete(TenantId tenant, String vendor, AuditEvent event) {
        return items.delete(tenant, vendor, event);
    }

    private ConnectionSettings opened(TenantId tenant, String vendor, ConnectionSettings stored) {
        return withToken(stored, sealer.open(tenant, purpose(vendor), stored.token()));
    }

    private static String purpose(String vendor) {
        return "connection/" + vendor;
    }

    private static ConnectionSettings withToken(ConnectionSettings s, String token) {
        return new ConnectionSettings(s.vendor(), s.fields(), token, s.updatedAt(), s.updatedBy());
    }
}
