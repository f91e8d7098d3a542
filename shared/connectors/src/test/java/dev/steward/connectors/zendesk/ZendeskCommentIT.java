package dev.steward.connectors.zendesk;

import static dev.steward.connectors.http.VendorTestSupport.failed;
import static dev.steward.connectors.http.VendorTestSupport.newCall;
import static dev.steward.connectors.http.VendorTestSupport.success;
import static dev.steward.connectors.zendesk.ZendeskFixture.ACME;
import static dev.steward.connectors.zendesk.ZendeskFixture.ACME_TOKEN;
import static dev.steward.connectors.zendesk.ZendeskFixture.GLOBEX;
import static dev.steward.connectors.zendesk.ZendeskFixture.GLOBEX_TOKEN;
import static dev.steward.connectors.zendesk.ZendeskFixture.INITECH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.connectors.SideEffect;
import dev.steward.connectors.Tool;
import dev.steward.connectors.ToolContext;
import dev.steward.connectors.ToolResult;
import dev.steward.connectors.http.FakeVendorServer;
import dev.steward.connectors.http.FakeVendorServer.Reply;
import dev.steward.connectors.http.FakeZendesk;
import dev.steward.connectors.http.VendorTestSupport;
import dev.steward.core.error.RateLimitedException;
import dev.steward.core.error.TransientException;
import dev.steward.core.json.Json;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.idempotency.IdempotencyRecord;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * zendesk_comment against a local server that answers as Zendesk's ticket API does, with each tenant's connection and
 * the idempotency records in DynamoDB Local.
 */
class ZendeskCommentIT {
    @RegisterExtension
    static final ZendeskFixture ZENDESK = new ZendeskFixture(Set.of(35436L, 35437L));

    static VendorTestSupport support;
    static FakeZendesk zendesk;
    static FakeVendorServer server;
    static Tool tool;

    @BeforeAll
    static void start() {
        support = ZENDESK.support();
        zendesk = ZENDESK.vendor();
        server = ZENDESK.server();
        tool = ZENDESK.tool("zendesk_comment");
    }

    static Tool toolAt(URI base, Duration timeout) {
        return ZENDESK.tool("zendesk_comment", base, timeout);
    }

    static JsonNode comment(long ticket, String body, boolean isPublic) {
        return Json.object().put("ticketId", ticket).put("body", body).put("public", isPublic);
    }

    @Test
    void postsOnePublicReplyTheWayZendeskExpectsIt() {
        ToolContext call = newCall(ACME);
        ToolResult.Success ok = success(tool.execute(call, comment(35436, "Hello Ana,\nyour refund is on its way.", true)));

        FakeVendorServer.Received sent = server.received().getFirst();
        assertThat(server.received()).hasSize(1);
        assertThat(sent.method()).isEqualTo("PUT");
        assertThat(sent.path()).isEqualTo("/api/v2/tickets/35436.json");
        assertThat(sent.header("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
                .encodeToString(("agent@acme.test/token:" + ACME_TOKEN).getBytes(StandardCharsets.UTF_8)));
        assertThat(sent.header("Content-Type")).startsWith("application/json");
        assertThat(sent.json()).isEqualTo(Json.tree("{\"ticket\":{\"comment\":{\"body\":\"Hello Ana,\\nyour refund is on its way.\",\"public\":true}}}"));
        assertThat(zendesk.comments()).contains(new FakeZendesk.Comment(35436, "Hello Ana,\nyour refund is on its way.", true, "agent@acme.test"));

        assertThat(ok.replayed()).isFalse();
        assertThat(ok.output().path("status").asText()).isEqualTo("commented");
        assertThat(ok.output().path("ticketId").asLong()).isEqualTo(35436);
        assertThat(ok.output().path("public").asBoolean()).isTrue();
        assertThat(ok.output().path("auditId").asLong()).isPositive();
        assertThat(ok.output().path("commentId").asLong()).isPositive();
        IdempotencyRecord record = support.stores().idempotency().find(ACME, call.idempotencyKey()).orElseThrow();
        assertThat(record.status()).isEqualTo(IdempotencyRecord.Status.COMPLETED);
        assertThat(record.outcome()).isEqualTo(ok.output());
        assertThat(tool.spec().sideEffect()).isEqualTo(SideEffect.EXTERNAL_WRITE);
    }

    @Test
    void anInternalNoteIsSentWithPublicFalse() {
        success(tool.execute(newCall(ACME), comment(35437, "Customer called twice; check the card.", false)));
        assertThat(server.received().getFirst().json().path("ticket").path("comment").path("public").asBoolean(true)).isFalse();
        assertThat(zendesk.comments()).contains(new FakeZendesk.Comment(35437, "Customer called twice; check the card.", false, "agent@acme.test"));
    }

    @Test
    void theSameCallRetriedFiveTimesPostsOnce() {
        ToolContext call = newCall(ACME);
        JsonNode args = comment(35436, "Only once, please.", true);
        List<ToolResult> results = java.util.stream.IntStream.range(0, 5).mapToObj(i -> tool.execute(call, args)).toList();

        assertThat(server.received()).hasSize(1);
        assertThat(results).extracting(r -> success(r).replayed()).containsExactly(false, true, true, true, true);
        assertThat(results).extracting(r -> success(r).output()).containsOnly(success(results.getFirst()).output());
    }

    @Test
    void refusedCredentialsAndMissingTicketsAreFailuresTheModelSeesAndLeaveNoRecord() {
        support.connect(TenantId.of("badcreds"), "zendesk", Map.of("subdomain", "bad", "email", "agent@acme.test"), "not-the-token");
        ToolContext badCall = newCall(TenantId.of("badcreds"));
        ToolResult.Failed unauthorized = failed(tool.execute(badCall, comment(35436, "hi", true)), "unauthorized");
        assertThat(unauthorized.message()).contains("PUT /v1/connections/zendesk");
        assertThat(unauthorized.details()).containsExactly("Zendesk answered HTTP 401: Couldn't authenticate you");
        assertThat(support.stores().idempotency().find(TenantId.of("badcreds"), badCall.idempotencyKey())).isEmpty();

        ToolContext missing = newCall(ACME);
        ToolResult.Failed notFound = failed(tool.execute(missing, comment(1, "hi", true)), "not_found");
        assertThat(notFound.details().getFirst()).contains("HTTP 404", "RecordNotFound");
        assertThat(notFound.observation().path("status").asText()).isEqualTo("error");
        assertThat(support.stores().idempotency().find(ACME, missing.idempotencyKey())).isEmpty();

        server.thenAnswer(Reply.json(422, "{\"error\":\"RecordInvalid\",\"description\":\"Record validation errors\","
                + "\"details\":{\"base\":[{\"description\":\"Ticket is closed\"}]}}"));
        assertThat(failed(tool.execute(newCall(ACME), comment(35436, "hi", true)), "rejected").details().getFirst())
                .contains("HTTP 422", "RecordInvalid", "Ticket is closed");
        assertThat(zendesk.comments()).noneMatch(c -> c.body().equals("hi"));
    }

    @Test
    void rateLimitedIsTransientSaysWhenToRetryAndTheRetryPosts() {
        ToolContext call = newCall(ACME);
        JsonNode args = comment(35436, "After the rate limit.", true);
        server.thenAnswer(Reply.json(429, "{\"error\":\"TooManyRequests\",\"description\":\"Rate limit exceeded\"}").withHeader("Retry-After", "7"));

        assertThatThrownBy(() -> tool.execute(call, args)).isExactlyInstanceOf(RateLimitedException.class)
                .hasMessageContaining("HTTP 429").hasMessageContaining("Retry-After 7").hasMessageContaining("nothing was done");
        assertThat(support.stores().idempotency().find(ACME, call.idempotencyKey())).as("aborted: nothing happened").isEmpty();

        assertThat(success(tool.execute(call, args)).replayed()).isFalse();
        assertThat(server.received()).hasSize(2);
        assertThat(zendesk.comments()).filteredOn(c -> c.body().equals("After the rate limit.")).hasSize(1);
    }

    @Test
    void aShortRetryAfterIsWaitedOutWithinTheCallAndPostsOnce() {
        ToolContext call = newCall(ACME);
        server.thenAnswer(Reply.json(429, "{\"error\":\"TooManyRequests\"}").withHeader("Retry-After", "1"),
                Reply.json(503, "{\"error\":\"Unavailable\"}").withHeader("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"));
        long started = System.nanoTime();

        ToolResult.Success posted = success(tool.execute(call, comment(35436, "Waited out.", true)));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(posted.replayed()).isFalse();
        assertThat(server.received()).hasSize(3);
        assertThat(zendesk.comments()).filteredOn(c -> c.body().equals("Waited out.")).hasSize(1);
        assertThat(support.stores().idempotency().find(ACME, call.idempotencyKey()).orElseThrow().status())
                .isEqualTo(IdempotencyRecord.Status.COMPLETED);
    }

    @Test
    void aServerErrorIsTransientButItsRetryGoesToReviewInsteadOfPostingAgain() {
        ToolContext call = newCall(ACME);
        JsonNode args = comment(35436, "Did this arrive?", true);
        server.thenAnswer(Reply.json(500, "{\"error\":\"InternalError\"}"));

        assertThatThrownBy(() -> tool.execute(call, args)).isExactlyInstanceOf(TransientException.class)
                .hasMessageContaining("HTTP 500").hasMessageContaining("needs_review");
        assertThat(support.stores().idempotency().find(ACME, call.idempotencyKey()).orElseThrow().status())
                .isEqualTo(IdempotencyRecord.Status.IN_PROGRESS);

        ToolResult retry = tool.execute(call, args);
        assertThat(retry).isInstanceOfSatisfying(ToolResult.NeedsReview.class, r -> {
            assertThat(r.key()).isEqualTo(call.idempotencyKey());
            assertThat(r.reason()).contains("zendesk_comment", "not sent again", "check Zendesk");
        });
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void noAnswerWithinTheTimeoutIsAnUnknownOutcome() {
        Tool impatient = toolAt(server.baseUrl(), Duration.ofMillis(300));
        ToolContext call = newCall(ACME);
        JsonNode args = comment(35436, "Slow vendor.", false);
        server.thenAnswer(Reply.json(200, "{}").after(Duration.ofSeconds(2)));

        assertThatThrownBy(() -> impatient.execute(call, args)).isExactlyInstanceOf(TransientException.class).hasMessageContaining("unknown");
        assertThat(impatient.execute(call, args)).isInstanceOf(ToolResult.NeedsReview.class);
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void anUnreachableZendeskIsTransientAndARetryMaySend() throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        Tool nowhere = toolAt(URI.create("http://127.0.0.1:" + closed), Duration.ofSeconds(2));
        ToolContext call = newCall(ACME);
        assertThatThrownBy(() -> nowhere.execute(call, comment(35436, "x", true))).isExactlyInstanceOf(TransientException.class)
                .hasMessageContaining("nothing was sent");
        assertThat(support.stores().idempotency().find(ACME, call.idempotencyKey())).isEmpty();
    }

    @Test
    void aTenantWithoutAConnectionGetsAClearErrorAndNothingIsSentOrRecorded() {
        ToolContext call = newCall(INITECH);
        ToolResult.Failed f = failed(tool.execute(call, comment(35436, "hello", true)), "not_connected");
        assertThat(f.message()).contains("no Zendesk connection", "nothing was sent", "PUT /v1/connections/zendesk");
        assertThat(server.received()).isEmpty();
        assertThat(support.stores().idempotency().find(INITECH, call.idempotencyKey())).isEmpty();
    }

    @Test
    void aRetryAfterTheConnectionWasRemovedStillReportsTheCommentItPosted() {
        TenantId umbrella = TenantId.of("umbrella");
        support.connect(umbrella, "zendesk", Map.of("subdomain", "umbrella", "email", "agent@acme.test"), ACME_TOKEN);
        ToolContext call = newCall(umbrella);
        JsonNode args = comment(35436, "Posted before the admin disconnected.", true);
        ToolResult.Success first = success(tool.execute(call, args));
        support.stores().connections().delete(umbrella, "zendesk");

        ToolResult.Success retry = success(tool.execute(call, args));
        assertThat(retry.replayed()).isTrue();
        assertThat(retry.output()).isEqualTo(first.output());
        failed(tool.execute(newCall(umbrella), args), "not_connected");
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void eachTenantsRunUsesOnlyItsOwnCredentials() {
        success(tool.execute(newCall(GLOBEX), comment(35437, "From Globex.", false)));
        success(tool.execute(newCall(ACME), comment(35437, "From Acme.", false)));

        assertThat(zendesk.comments()).contains(new FakeZendesk.Comment(35437, "From Globex.", false, "help@globex.test"),
                new FakeZendesk.Comment(35437, "From Acme.", false, "agent@acme.test"));
        assertThat(server.received().get(0).header("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
                .encodeToString(("help@globex.test/token:" + GLOBEX_TOKEN).getBytes(StandardCharsets.UTF_8)));
        // A tenant with no connection of its own never borrows another's, even for the same run and call ids.
        ToolContext sameIds = new ToolContext(INITECH, newCall(ACME).run(), 3, "call_1");
        failed(tool.execute(sameIds, comment(35437, "From Initech.", false)), "not_connected");
        assertThat(server.received()).hasSize(2);
    }

    @Test
    void everyProcessHasTheVendorToolsWhateverItsEmailSettings() {
        dev.steward.connectors.Toolbox box = dev.steward.connectors.Toolboxes.fromEnvironment(Map.of(), support.stores().idempotency(),
                support.stores().connections(), Clock.systemUTC());
        assertThat(box.specs()).extracting(dev.steward.connectors.ToolSpec::name).containsExactly("zendesk_comment", "zendesk_read_ticket",
                "crm_add_note", "crm_read_record", "slack_post_message", "slack_read_channel",
                "calendar_create_event", "calendar_find_free_time");
    }

    @Test
    void invalidArgumentsAreRefusedBeforeAnythingIsSent() {
        for (String args : List.of("{\"ticketId\":35436,\"body\":\"b\"}", "{\"ticketId\":\"35436\",\"body\":\"b\",\"public\":true}",
                "{\"ticketId\":0,\"body\":\"b\",\"public\":true}", "{\"ticketId\":35436,\"body\":\"\",\"public\":true}",
                "{\"ticketId\":35436,\"body\":\"b\",\"public\":\"yes\"}", "{\"ticketId\":35436,\"body\":\"b\",\"public\":true,\"status\":\"solved\"}")) {
            failed(tool.execute(newCall(ACME), Json.tree(args)), "invalid_arguments");
        }
        assertThat(server.received()).isEmpty();
    }
}
