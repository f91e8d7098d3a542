package dev.steward.connectors.zendesk;

import static dev.steward.connectors.http.VendorTestSupport.newCall;
import static dev.steward.connectors.http.VendorTestSupport.success;
import static dev.steward.connectors.zendesk.ZendeskFixture.ACME;
import static dev.steward.connectors.zendesk.ZendeskFixture.GLOBEX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.connectors.Reconcilable;
import dev.steward.connectors.Reconciliation;
import dev.steward.connectors.Tool;
import dev.steward.connectors.ToolContext;
import dev.steward.connectors.ToolResult;
import dev.steward.connectors.http.FakeVendorServer;
import dev.steward.connectors.http.ReconcilingWriteToolContract;
import dev.steward.connectors.http.VendorFixture;
import dev.steward.connectors.http.FakeVendorServer.Reply;
import dev.steward.connectors.http.FakeZendesk;
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
 * zendesk_comment's {@link Reconcilable} check against the local Zendesk stand-in: a comment whose answer was lost is
 * found on the ticket and recorded as done; a comment that never arrived is reported absent; a check that cannot read
 * Zendesk changes nothing (the parts every vendor shares are in {@link ReconcilingWriteToolContract}).
 */
class ZendeskCommentReconcileIT extends ReconcilingWriteToolContract {
    @RegisterExtension
    static final ZendeskFixture ZENDESK = new ZendeskFixture(Set.of(35436L, 35437L, 35438L));

    static FakeZendesk zendesk;
    static FakeVendorServer server;
    static Tool tool;

    @BeforeAll
    static void start() {
        zendesk = ZENDESK.vendor();
        server = ZENDESK.server();
        tool = ZENDESK.tool("zendesk_comment");
    }

    @Override
    protected VendorFixture<?> fixture() {
        return ZENDESK;
    }

    @Override
    protected String toolName() {
        return "zendesk_comment";
    }

    @Override
    protected JsonNode arguments(String text) {
        return comment(35437, text, false);
    }

    @Override
    protected long writesReceived() {
        return server.received().stream().filter(r -> r.method().equals("PUT")).count();
    }

    static JsonNode comment(long ticket, String body, boolean isPublic) {
        return Json.object().put("ticketId", ticket).put("body", body).put("public", isPublic);
    }

    @Test
    void aCommentWhoseAnswerWasLostIsFoundOnTheTicketAndRecordedAsDoneWithoutASecondPost() {
        ToolContext call = newCall(ACME);
        JsonNode args = comment(35436, "Your refund was sent today.\n", true);
        ToolResult.NeedsReview doubt = lostAnswer(call, args);

        Reconciliation found = reconcile(tool, call, args, doubt.since());

        FakeZendesk.Comment posted = new FakeZendesk.Comment(35436, "Your refund was sent today.\n", true, "agent@acme.test");
        assertThat(zendesk.comments()).filteredOn(posted::equals).hasSize(1);
        assertThat(found).isInstanceOfSatisfying(Reconciliation.Found.class, f -> {
            assertThat(f.result().replayed()).isTrue();
            assertThat(f.result().output().path("status").asText()).isEqualTo("commented");
            assertThat(f.result().output().path("ticketId").asLong()).isEqualTo(35436);
            assertThat(f.result().output().path("commentId").asLong()).isPositive();
            assertThat(f.result().output().path("auditId").asLong()).isPositive();
            assertThat(f.result().output().path("foundOnTicket").asBoolean()).isTrue();
        });
        JsonNode output = ((Reconciliation.Found) found).result().output();
        IdempotencyRecord record = ZENDESK.support().stores().idempotency().find(ACME, call.idempotencyKey()).orElseThrow();
        assertThat(record.status()).isEqualTo(IdempotencyRecord.Status.COMPLETED);
        assertThat(record.outcome()).isEqualTo(output);
        // Every later attempt replays it; Zendesk got one PUT and reads only.
        ToolResult.Success replay = success(tool.execute(call, args));
        assertThat(replay.replayed()).isTrue();
        assertThat(replay.output()).isEqualTo(output);
        assertThat(writesReceived()).isEqualTo(1);
        assertThat(zendesk.comments()).filteredOn(posted::equals).hasSize(1);
        assertThat(server.received()).filteredOn(r -> r.method().equals("GET")).extracting(FakeVendorServer.Received::path)
                .containsExactly("/api/v2/users/me.json", "/api/v2/tickets/35436/comments.json");
        assertThat(server.received().getLast().params()).containsEntry("sort_order", "desc").containsEntry("per_page", "100");
    }

    @Test
    void aCommentThatNeverReachedZendeskIsReportedAbsentAndLookalikesDoNotCount() {
        long acme = zendesk.userId("agent@acme.test");
        JsonNode old = Json.tree("{\"id\":1,\"type\":\"Comment\",\"author_id\":" + acme + ",\"body\":\"We shipped it.\",\"public\":true,"
                + "\"via\":{\"channel\":\"api\"},\"created_at\":\"2020-01-01T00:00:00Z\"}");
        JsonNode typed = Json.tree("{\"id\":2,\"type\":\"Comment\",\"author_id\":" + acme + ",\"body\":\"We shipped it.\",\"public\":true,"
                + "\"via\":{\"channel\":\"web\"},\"created_at\":\"" + Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "\"}");
        zendesk.withTicket(35438, Json.object().put("id", 35438), java.util.List.of(old, typed));
        // Lookalikes made since: the same text as an internal note, and by another tenant's agent.
        success(tool.execute(newCall(ACME), comment(35438, "We shipped it.", false)));
        success(tool.execute(newCall(GLOBEX), comment(35438, "We shipped it.", true)));
        ToolContext call = newCall(ACME);
        JsonNode args = comment(35438, "We shipped it.", true);
        server.thenAnswer(Reply.json(500, "{\"error\":\"InternalError\"}")); // turned away before Zendesk acted
        assertThatThrownBy(() -> tool.execute(call, args)).isExactlyInstanceOf(TransientException.class);
        Instant since = ZENDESK.support().stores().idempotency().find(ACME, call.idempotencyKey()).orElseThrow().startedAt();
        server.reset();

        Reconciliation absent = reconcile(tool, call, args, since);

        assertThat(absent).isInstanceOfSatisfying(Reconciliation.Absent.class, a -> assertThat(a.evidence())
                .contains("ticket 35438", "none since", "public reply", "user " + acme));
        assertThat(writesReceived()).isZero();
        assertThat(ZENDESK.support().stores().idempotency().find(ACME, call.idempotencyKey()).orElseThrow().status())
                .as("still in doubt: a person decides").isEqualTo(IdempotencyRecord.Status.IN_PROGRESS);
        // Looked for from before the old comment was written, it is found: the window is what excluded it.
        assertThat(reconcile(tool, newCall(ACME), args, Instant.parse("2019-12-31T00:00:00Z")))
                .isInstanceOfSatisfying(Reconciliation.Found.class, f -> assertThat(f.result().output().path("commentId").asLong()).isEqualTo(1));
    }

    @Test
    void aCheckThatZendeskRefusesOrFailsIsUnknown() {
        ToolContext call = newCall(ACME);
        JsonNode args = comment(35436, "Checked while Zendesk was down.", true);
        Instant since = Instant.now().minusSeconds(5);

        server.thenAnswer(Reply.json(502, "{\"error\":\"BadGateway\"}"));
        assertThat(reconcile(tool, call, args, since)).isInstanceOfSatisfying(Reconciliation.Unknown.class,
                u -> assertThat(u.why()).contains("Zendesk could not be read", "HTTP 502"));
        TenantId revoked = TenantId.of("revoked");
        ZENDESK.support().connect(revoked, "zendesk", Map.of("subdomain", "acme", "email", "agent@acme.test"), "a-revoked-token");
        assertThat(reconcile(tool, newCall(revoked), args, since)).isInstanceOfSatisfying(Reconciliation.Unknown.class,
                u -> assertThat(u.why()).contains("unauthorized", "401"));
        assertThat(writesReceived()).isZero();
    }
}
