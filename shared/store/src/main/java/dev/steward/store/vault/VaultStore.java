package dev.steward.store.vault;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.steward.core.json.Json;
import dev.steward.core.run.RunId;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.StewardTable;
import dev.steward.store.TableAccess;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.enhanced.dynamodb.Key;

/**
 * The personal data a run's guardrails replaced with placeholders, kept beside the run so that later steps (other
 * function invocations) use the same placeholders and an approved tool call can be re-hydrated. The entries hold
 * raw personal data: they live only in this item (encrypted at rest with the table), never in the run record,
 * logs or API responses. The key starts with the tenant, so no other tenant can read or overwrite it.
 */
public final class VaultStore {
    private static final String KIND = "RUN";
    private static final String SK = "VAULT";
    private static final TypeReference<List<Entry>> ENTRIES = new TypeReference<>() {};
    private final StewardTable table;

    /** One placeholder: the PII type name, the placeholder text ({@code <EMAIL_1>}) and the original value. */
    public record Entry(String type, String placeholder, String original) {
        public Entry {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(placeholder, "placeholder");
            Objects.requireNonNull(original, "original");
        }
    }

    public VaultStore(StewardTable table) {
        this.table = table;
    }

    /** The run's entries in order of issue; empty when nothing was redacted yet. */
    public List<Entry> get(TenantId tenant, RunId run) {
        return TableAccess.get(table, TableAccess.tenantChildKey(tenant, KIND, run.value()), SK)
                .map(d -> Json.read(d.getString("body"), ENTRIES))
                .orElse(List.of());
    }

    /**
     * Saves the run's entries. Callers only ever extend what {@link #get} returned (steps of one run do not run
     * concurrently), so the last write holds every placeholder the run has shown to the model.
     */
    public void put(TenantId tenant, RunId run, List<Entry> entries) {
        table.documents().putItem(item(tenant, run, entries));
    }

    /**
     * Saves a new run's first entries, unless the run already has a vault; false when it does (the run exists: a
     * redelivered webhook event must not reset placeholders its run has extended since).
     */
    public boolean create(TenantId tenant, RunId run, List<Entry> entries) {
        return TableAccess.putIfAbsent(table, item(tenant, run, entries));
    }

    private static software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument item(TenantId tenant, RunId run, List<Entry> entries) {
        return TableAccess.item(TableAccess.tenantChildKey(tenant, KIND, run.value()), SK).putString("body", Json.write(entries)).build();
    }

    /** Forgets the run's entries (a run that never started keeps nothing to re-hydrate). */
    public void delete(TenantId tenant, RunId run) {
        table.documents().deleteItem(Key.builder()
                .partitionValue(TableAccess.tenantChildKey(tenant, KIND, run.value())).sortValue(SK).build());
    }
}
