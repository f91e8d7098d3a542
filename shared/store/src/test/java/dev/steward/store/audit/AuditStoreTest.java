package dev.steward.store.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.tenant.TenantId;
import dev.steward.store.Listing;
import dev.steward.store.LocalTable;
import dev.steward.store.StewardTable;
import dev.steward.store.StoreException;
import dev.steward.store.TableAccess;
import dev.steward.store.TenantItems;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The audit trail against DynamoDB Local: append-only, time-ordered, paged per tenant, written with its change. */
class AuditStoreTest {
    @RegisterExtension
    static final LocalTable DB = new LocalTable();
    static StewardTable table;
    static AuditStore audit;
    static final Instant T0 = Instant.parse("2026-05-01T12:00:00Z");

    @BeforeAll
    static void start() {
        table = DB.table();
        audit = new AuditStore(table);
    }

    static AuditEvent event(TenantId tenant, Instant at, AuditAction action, String target) {
        return AuditEvent.of(tenant, at, "key:abc", "admin", action, target, Map.of("agent", "triage"), "req-1");
    }

    @Test
    void eventsListNewestFirstAPageAtATimeAndEachOnce() {
        TenantId t = TenantId.of("paging");
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            // whole seconds and fractions mixed: the fixed-width key keeps text order equal to time order
            AuditEvent e = event(t, T0.plusMillis(i % 2 == 0 ? i * 1000L : i * 1000L + 500), AuditAction.WEBHOOK_SAVED, "w" + i);
            audit.append(e);
            written.add(e.target());
        }
        // two events of the same instant both stay
        audit.append(event(t, T0.plusSeconds(6), AuditAction.WEBHOOK_REMOVED, "same-instant"));

        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Listing.Page<AuditEvent> page = audit.list(t, 3, cursor, null, null, null);
            page.items().forEach(e -> seen.add(e.target()));
            cursor = page.nextCursor();
        } while (cursor != null);
        assertThat(seen).hasSize(8).doesNotHaveDuplicates();
        assertThat(seen.subList(0, 2)).containsExactlyInAnyOrder("w6", "same-instant");
        assertThat(seen.subList(2, 8)).containsExactly("w5", "w4", "w3", "w2", "w1", "w0");
        AuditEvent first = audit.list(t, 8, null, null, null, null).items().stream().filter(e -> e.target().equals("w3")).findFirst().orElseThrow();
        assertThat(first.actor()).isEqualTo("key:abc");
        assertThat(first.role()).isEqualTo("admin");
        assertThat(first.detail()).containsEntry("agent", "triage");
        assertThat(first.requestId()).isEqualTo("req-1");
        assertThat(first.at()).isEqualTo(T0.plusMillis(3500));
    }

    @Test
    void aTimeRangeIsSinceInclusiveUntilExclusiveAndAnActionFilterKeepsOnlyThatAction() {
        TenantId t = TenantId.of("ranges");
        for (int i = 0; i < 6; i++) {
            audit.append(event(t, T0.plusSeconds(i), i % 2 == 0 ? AuditAction.POLICY_PUBLISHED : AuditAction.REVIEW_DECIDED, "e" + i));
        }
        assertThat(targets(audit.list(t, 10, null, null, T0.plusSeconds(1), T0.plusSeconds(4)))).containsExactly("e3", "e2", "e1");
        assertThat(targets(audit.list(t, 10, null, null, T0.plusSeconds(4), null))).containsExactly("e5", "e4");
        assertThat(targets(audit.list(t, 10, null, null, null, T0.plusSeconds(1)))).containsExactly("e0");
        assertThat(targets(audit.list(t, 10, null, AuditAction.REVIEW_DECIDED, null, null))).containsExactly("e5", "e3", "e1");

        // a cursor of one range is refused for a range it lies outside of
        String cursor = audit.list(t, 1, null, null, null, null).nextCursor(); // after e5
        assertThatThrownBy(() -> audit.list(t, 1, cursor, null, null, T0.plusSeconds(2)))
                .isInstanceOf(Listing.InvalidCursorException.class).hasMessageContaining("outside the requested range");
    }

    @Test
    void aTenantNeverSeesAnotherTenantsEventsNorUsesItsCursor() {
        TenantId a = TenantId.of("audit-a");
        TenantId b = TenantId.of("audit-b");
        audit.append(event(a, T0, AuditAction.CONNECTION_SAVED, "zendesk"));
        audit.append(event(a, T0.plusSeconds(1), AuditAction.CONNECTION_SAVED, "hubspot"));
        audit.append(event(b, T0, AuditAction.WEBHOOK_SAVED, "b-only"));

        assertThat(targets(audit.list(b, 10, null, null, null, null))).containsExactly("b-only");
        String aCursor = audit.list(a, 1, null, null, null, null).nextCursor();
        assertThat(aCursor).isNotNull();
        assertThatThrownBy(() -> audit.list(b, 1, aCursor, null, null, null))
                .isInstanceOf(Listing.InvalidCursorException.class).hasMessageContaining("another listing");
        assertThatThrownBy(() -> audit.list(b, 1, "not-a-cursor", null, null, null)).isInstanceOf(Listing.InvalidCursorException.class);
        // items sit in the tenant's own partition, which a LeadingKeys condition can single out
        assertThat(AuditStore.partition(a)).isEqualTo("T#audit-a#AUDIT");
    }

    @Test
    void aChangeAndItsEventLandTogetherOrNotAtAll() {
        TenantId t = TenantId.of("atomic");
        TenantItems<Map> items = new TenantItems<>(table, "THING#", Map.class);

        items.put(t, "one", Map.of("v", "1"), event(t, T0, AuditAction.WEBHOOK_SAVED, "one"));
        assertThat(items.find(t, "one")).isPresent();
        assertThat(targets(audit.list(t, 10, null, null, null, null))).containsExactly("one");

        // the change's condition fails: no event either
        assertThat(items.delete(t, "missing", event(t, T0.plusSeconds(1), AuditAction.WEBHOOK_REMOVED, "missing"))).isFalse();
        assertThat(targets(audit.list(t, 10, null, null, null, null))).containsExactly("one");

        // the event cannot be written (its key is taken): the change does not land either
        AuditEvent taken = event(t, T0.plusSeconds(2), AuditAction.WEBHOOK_SAVED, "two");
        audit.append(taken);
        assertThatThrownBy(() -> items.put(t, "two", Map.of("v", "2"), taken)).isInstanceOf(StoreException.class);
        assertThat(items.find(t, "two")).isEmpty();

        assertThat(items.delete(t, "one", event(t, T0.plusSeconds(3), AuditAction.WEBHOOK_REMOVED, "one"))).isTrue();
        assertThat(items.find(t, "one")).isEmpty();
        assertThat(targets(audit.list(t, 10, null, null, null, null))).containsExactly("one", "two", "one");
    }

    @Test
    void anEventIsNeverOverwritten() {
        TenantId t = TenantId.of("overwrite");
        AuditEvent e = event(t, T0, AuditAction.POLICY_PUBLISHED, "1");
        audit.append(e);
        AuditEvent forged = new AuditEvent(e.id(), t, T0, "key:mallory", "admin", AuditAction.POLICY_PUBLISHED, "1", Map.of(), null);
        assertThatThrownBy(() -> audit.append(forged)).isInstanceOf(StoreException.class);
        assertThat(audit.list(t, 10, null, null, null, null).items()).singleElement()
                .satisfies(stored -> assertThat(stored.actor()).isEqualTo("key:abc"));
    }

    @Test
    void theStoreHasNoWayToChangeOrRemoveAnEvent() {
        List<String> methods = Arrays.stream(AuditStore.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers())).map(Method::getName).sorted().toList();
        assertThat(methods).containsExactly("append", "commit", "list", "partition");
        // and the only condition an event's put carries is that its key is free
        assertThat(TableAccess.absent().expression()).isEqualTo("attribute_not_exists(pk)");
    }

    @Test
    void detailNeverHoldsASecret() {
        TenantId t = TenantId.of("secrets");
        for (String name : List.of("secret", "token", "apiToken", "password", "webhookSecret", "apiKey")) {
            assertThatThrownBy(() -> AuditEvent.of(t, T0, "key:a", "admin", AuditAction.CONNECTION_SAVED, "x", Map.of(name, "v"), null))
                    .as(name).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names a secret");
        }
        String apiKey = "stw_secrets_ABCDEFGHIJKL_" + "a".repeat(32);
        for (String value : List.of(apiKey, "copied " + apiKey + " here", "steward:sealed:v1:aes:xyz")) {
            assertThatThrownBy(() -> AuditEvent.of(t, T0, "key:a", "admin", AuditAction.CONNECTION_SAVED, "x", Map.of("note", value), null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds a credential");
        }
        AuditEvent long_ = AuditEvent.of(t, T0, "key:a", "admin", AuditAction.POLICY_PUBLISHED, "2", Map.of("comment", "x".repeat(1000)), null);
        assertThat(long_.detail().get("comment")).hasSize(AuditEvent.MAX_DETAIL_CHARS).endsWith("…");
    }

    @Test
    void actionsParseByTheirWireNames() {
        assertThat(AuditAction.parse("connection.saved")).contains(AuditAction.CONNECTION_SAVED);
        assertThat(AuditAction.parse("CONNECTION_SAVED")).isEmpty();
        assertThat(AuditAction.names()).contains("tenant.created", "api_key.created", "review.decided");
    }

    private static List<String> targets(Listing.Page<AuditEvent> page) {
        return page.items().stream().map(AuditEvent::target).toList();
    }
}
