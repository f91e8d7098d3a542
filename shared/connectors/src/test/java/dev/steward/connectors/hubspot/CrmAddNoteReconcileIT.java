package dev.steward.connectors.hubspot;

import static dev.steward.connectors.http.VendorTestSupport.newCall;
import static dev.steward.connectors.http.VendorTestSupport.success;
import static dev.steward.connectors.hubspot.HubSpotFixture.ACME;
import static dev.steward.connectors.hubspot.HubSpotFixture.ACME_TOKEN;
import static dev.steward.connectors.hubspot.HubSpotFixture.GLOBEX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.connectors.Reconcilable;
import dev.steward.connectors.Reconciliation;
import dev.steward.connectors.Tool;
import dev.steward.connectors.ToolContext;
import dev.steward.connectors.ToolResult;
import dev.steward.connectors.http.FakeHubSpot;
import dev.steward.connectors.http.FakeVendorServer;
import dev.steward.connectors.http.ReconcilingWriteToolContract;
import dev.steward.connectors.http.VendorFixture;
import dev.steward.connectors.http.FakeVendorServer.Reply;
import dev.steward.core.error.TransientException;
import dev.steward.core.json.Json;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.idempotency.IdempotencyRecord;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * crm_add_note's {@link Reconcilable} check against the local HubSpot stand-in: a note whose answer was lost is found by
 * the CRM search API and recorded as done; a note that never arrived is reported absent; a check that cannot search
 * HubSpot changes nothing ({@link ReconcilingWriteToolContract} for the parts every vendor shares). The tools' clock is fixed, so every note they create is placed at {@code 12:00:00.250Z}.
 */
class CrmAddNoteReconcileIT extends ReconcilingWriteToolContract {
    @RegisterExtension
    static final HubSpotFixture HUBSPOT = new HubSpotFixture(Set.of("contact/512", "contact/513", "company/77", "deal/9001",
            "deal/9002", "ticket/31"));

    static FakeHubSpot hubspot;
    static FakeVendorServer server;
    static Tool tool;

    @BeforeAll
    static void start() {
        hubspot = HUBSPOT.vendor();
        server = HUBSPOT.server();
        tool = HUBSPOT.tool("crm_add_note");
    }

    @Override
    protected VendorFixture<?> fixture() {
        return HUBSPOT;
    }

    @Override
    protected String toolName() {
        return "crm_add_note";
    }

    @Override
    protected JsonNode arguments(String text) {
        return note(text, "ticket", "31");
    }

    @Override
    protected long writesReceived() {
        return server.received().stream().filter(r -> r.method().equals("POST") && r.path().equals("/crm/v3/objects/notes")).count();
    }

    static ObjectNode note(String body, String... kindAndIds) {
        ObjectNode args = Json.object().put("body", body);
        var list = args.putArray("associations");
        for (int i = 0; i < kindAndIds.length; i += 2) {
            list.addObject().put("objectType", kindAndIds[i]).put("id", kindAndIds[i + 1]);
        }
        return args;
    }

    /** A note's request body as crm_add_note sends it, placed at {@code at} on the record {@code id} of association type {@code typeId}. */
    static JsonNode placed(String text, String at, int typeId, String id) {
        return Json.tree("""
                {"properties": {"hs_note_body": "%s", "hs_timestamp": "%s"},
                 "associations": [{"to": {"id": "%s"}, "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": %d}]}]}
                """.formatted(text, at, id, typeId));
    }

    static long notesWithBody(String html) {
        return hubspot.notes().stream().filter(n -> n.request().path("properties").path("hs_note_body").asText().equals(html)).count();
    }

    @Test
    void aNoteWhoseAnswerWasLostIsFoundBySearchAndRecordedAsDoneWithoutASecondPost() {
        ToolContext call = newCall(ACME);
        JsonNode args = note("Called <Ana> & agreed:\nrefund by Friday.", "contact", "512", "deal", "9001");
        ToolResult.NeedsReview doubt = lostAnswer(call, args);

        Reconciliation found = reconcile(tool, call, args, doubt.since());

        String html = "Called &lt;Ana&gt; &amp; agreed:<br>refund by Friday.";
        assertThat(notesWithBody(html)).isEqualTo(1);
        FakeHubSpot.Note created = hubspot.notes().stream()
                .filter(n -> n.request().path("properties").path("hs_note_body").asText().equals(html)).findFirst().orElseThrow();
        assertThat(found).isInstanceOfSatisfying(Reconciliation.Found.class, f -> {
            assertThat(f.result().replayed()).isTrue();
            assertThat(f.result().output().path("status").asText()).isEqualTo("created");
            assertThat(f.result().output().path("noteId").asText()).isEqualTo(created.id());
            assertThat(f.result().output().path("associations")).isEqualTo(args.get("associations"));
            assertThat(f.result().output().path("at").asText()).isEqualTo("2026-05-01T12:00:00.250Z");
            assertThat(f.result().output().path("foundInHubSpot").asBoolean()).isTrue();
        });
        JsonNode output = ((Reconciliation.Found) found).result().output();
        IdempotencyRecord record = HUBSPOT.support().stores().idempotency().find(ACME, call.idempotencyKey()).orElseThrow();
        assertThat(record.status()).isEqualTo(IdempotencyRecord.Status.COMPLETED);
        assertThat(record.outcome()).isEqualTo(output);
        // Every later attempt replays it; HubSpot got one note and a search, which reads only.
        ToolResult.Success replay = success(tool.execute(call, args));
        assertThat(replay.replayed()).isTrue();
        assertThat(replay.output()).isEqualTo(output);
        assertThat(writesReceived()).isEqualTo(1);
        assertThat(notesWithBody(html)).isEqualTo(1);
        FakeVendorServer.Received search = server.received().stream().filter(r -> r.path().equals("/crm/v3/objects/notes/search"))
                .reduce((a, b) -> b).orElseThrow();
        assertThat(search.method()).isEqualTo("POST");
        assertThat(search.header("Authorization")).isEqualTo("Bearer " + ACME_TOKEN);
        long from = doubt.since().minus(CrmAddNoteCheck.CLOCK_SKEW).toEpochMilli();
        assertThat(search.json()).isEqualTo(Json.tree("""
                {"filterGroups":[{"filters":[{"propertyName":"hs_timestamp","operator":"GTE","value":"%d"},
                                              {"propertyName":"associations.contact","operator":"EQ","value":"512"}]}],
                 "properties":["hs_note_body","hs_timestamp"],
                 "sorts":[{"propertyName":"hs_timestamp","direction":"DESCENDING"}],
                 "limit":100}
                """.formatted(from)));
    }

    @Test
    void aNoteThatNeverReachedHubSpotIsReportedAbsentAndLookalikesDoNotCount() {
        String text = "Renewal moved to June.";
        // Lookalikes: the same text placed long before the call, on the same record.
        hubspot.withNote(ACME_TOKEN, placed(text, "2020-01-01T00:00:00Z", 190, "77"));
        // Made since: another text on the same record, the same text on another record only, and by another tenant's account.
        success(tool.execute(newCall(ACME), note("Renewal moved to July.", "company", "77")));
        success(tool.execute(newCall(ACME), note(text, "deal", "9001")));
        success(tool.execute(newCall(GLOBEX), note(text, "company", "77")));
        ToolContext call = newCall(ACME);
        JsonNode args = note(text, "company", "77");
        server.thenAnswer(Reply.json(500, "{\"status\":\"error\",\"message\":\"internal error\"}")); // turned away before HubSpot acted
        assertThatThrownBy(() -> tool.execute(call, args)).isExactlyInstanceOf(TransientException.class);
        Instant since = HUBSPOT.support().stores().idempotency().find(ACME, call.idempotencyKey()).orElseThrow().startedAt();
        server.reset();

        Reconciliation absent = reconcile(tool, call, args, since);

        assertThat(absent).isInstanceOfSatisfying(Reconciliation.Absent.class, a -> assertThat(a.evidence())
                .contains("company 77", "none of the 1 since", "this call's text", "looks again"));
        assertThat(writesReceived()).isZero();
        assertThat(HUBSPOT.support().stores().idempotency().find(ACME, call.idempotencyKey()).orElseThrow().status())
                .as("still in doubt: a person decides").isEqualTo(IdempotencyRecord.Status.IN_PROGRESS);
        // Looked for from before the old note was placed, it is found: the window is what excluded it.
        Reconciliation older = reconcile(tool, newCall(ACME), args, Instant.parse("2019-12-31T00:00:00Z"));
        assertThat(older).isInstanceOfSatisfying(Reconciliation.Found.class,
                f -> assertThat(f.result().output().path("at").asText()).isEqualTo("2020-01-01T00:00:00Z"));
        // The search is by the call's first record: a call that names the deal first finds the note on the deal.
        assertThat(reconcile(tool, newCall(ACME), note(text, "deal", "9001", "company", "77"), since)).isInstanceOf(Reconciliation.Found.class);
    }

    @Test
    void moreMatchesThanOnePageIsUnknown() {
        for (int i = 0; i < CrmAddNoteCheck.CHECKED_NOTES + 1; i++) {
            hubspot.withNote(ACME_TOKEN, placed("Call " + i + ".", "2026-05-01T12:00:01Z", 214, "9002"));
        }
        hubspot.withNote(ACME_TOKEN, placed("Latest call.", "2026-05-01T12:00:02Z", 214, "9002"));

        Reconciliation crowded = reconcile(tool, newCall(ACME), note("Not among them.", "deal", "9002"), Instant.parse("2026-05-01T12:00:00Z"));

        assertThat(crowded).isInstanceOfSatisfying(Reconciliation.Unknown.class,
                u -> assertThat(u.why()).contains("102 notes on deal 9002", "more than the 100 Steward looks through"));
        // A match on the page (the newest first) is found all the same.
        assertThat(reconcile(tool, newCall(ACME), note("Latest call.", "deal", "9002"), Instant.parse("2026-05-01T12:00:00Z")))
                .isInstanceOf(Reconciliation.Found.class);
    }

    @Test
    void aCheckThatHubSpotRefusesOrFailsIsUnknown() {
        ToolContext call = newCall(ACME);
        JsonNode args = note("Checked while HubSpot was down.", "contact", "513");
        Instant since = HubSpotFixture.CLOCK.instant();

        server.thenAnswer(Reply.json(502, "<html>Bad gateway</html>"));
        assertThat(reconcile(tool, call, args, since)).isInstanceOfSatisfying(Reconciliation.Unknown.class,
                u -> assertThat(u.why()).contains("HubSpot could not be read", "HTTP 502"));
        TenantId revoked = TenantId.of("revoked");
        HUBSPOT.support().connect(revoked, "hubspot", Map.of(), "pat-na1-revoked-token");
        assertThat(reconcile(tool, newCall(revoked), args, since)).isInstanceOfSatisfying(Reconciliation.Unknown.class,
                u -> assertThat(u.why()).contains("unauthorized", "401"));
        server.thenAnswer(Reply.json(403, "{\"status\":\"error\",\"message\":\"This app hasn't been granted all required scopes\","
                + "\"category\":\"MISSING_SCOPES\"}"));
        assertThat(reconcile(tool, call, args, since)).isInstanceOfSatisfying(Reconciliation.Unknown.class,
                u -> assertThat(u.why()).contains("unauthorized", "403", "required scopes"));
        assertThat(writesReceived()).isZero();
    }
}
