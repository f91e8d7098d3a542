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
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.connectors.SideEffect;
import dev.steward.connectors.Tool;
import dev.steward.connectors.ToolContext;
import dev.steward.connectors.ToolResult;
import dev.steward.connectors.http.FakeVendorServer;
import dev.steward.connectors.http.FakeVendorServer.Reply;
import dev.steward.connectors.http.VendorTestSupport;
import dev.steward.core.error.RateLimitedException;
import dev.steward.core.error.TransientException;
import dev.steward.core.json.Json;
import dev.steward.core.tenant.TenantId;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * zendesk_read_ticket against a local server that answers as Zendesk's ticket and comment APIs do, with each tenant's
 * connection in DynamoDB Local.
 */
class ZendeskReadTicketIT {
    @RegisterExtension
    static final ZendeskFixture ZENDESK = new ZendeskFixture(Set.of(35436L, 35437L, 35438L));

    static Tool tool;

    @BeforeAll
    static void start() {
        tool = ZENDESK.tool("zendesk_read_ticket");
        ZENDESK.vendor().withTicket(35436, ticket(35436, "My refund has not arrived", "I returned order 1042 two weeks ago."),
                IntStream.rangeClosed(1, 7).mapToObj(i -> comment(700 + i, i % 2 == 0 ? 9001 : 42, i != 4, "Comment " + i)).toList());
        ZENDESK.vendor().withTicket(35437, ticket(35437, "Long story", "x".repeat(5_000)), List.of(
                (JsonNode) Json.object().put("id", 801).put("author_id", 9001).put("public", true).put("created_at", "2026-05-01T09:00:00Z")
                        .put("body", "only a body, no plain_body"),
                comment(802, 9001, true, "é".repeat(3_000))));
    }

    static Tool toolAt(URI base, Duration timeout) {
        return ZENDESK.tool("zendesk_read_ticket", base, timeout);
    }

    /** A ticket as Zendesk's show ticket answers it, with fields the observation leaves out. */
    static ObjectNode ticket(long id, String subject, String description) {
        ObjectNode t = Json.object().put("url", "https://acme.zendesk.com/api/v2/tickets/" + id + ".json").put("id", id)
                .put("subject", subject).put("description", description).put("status", "open").put("priority", "high")
                .put("type", "question").put("created_at", "2026-04-30T09:15:00Z").put("updated_at", "2026-05-01T08:00:00Z")
                .put("requester_id", 9001).put("submitter_id", 9001).putNull("assignee_id");
        t.putArray("tags").add("refund").add("vip");
        t.putArray("custom_fields").addObject().put("id", 360001).put("value", "secret-internal-value");
        return t;
    }

    static JsonNode comment(long id, long author, boolean isPublic, String text) {
        return Json.object().put("id", id).put("type", "Comment").put("author_id", author).put("body", text + " (rich)")
                .put("html_body", "<p>" + text + "</p>").put("plain_body", text).put("public", isPublic)
                .put("created_at", "2026-05-01T0" + (id % 10) + ":00:00Z");
    }

    static JsonNode read(long ticket, Integer comments) {
        ObjectNode args = Json.object().put("ticketId", ticket);
        return comments == null ? args : args.put("comments", comments);
    }

    static String basic(String email, String token) {
        return "Basic " + Base64.getEncoder().encodeToString((email + "/token:" + token).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheTicketAndItsNewestCommentsTheWayZendeskServesThem() {
        ToolContext call = newCall(ACME);
        ToolResult.Success ok = success(tool.execute(call, read(35436, 3)));

        assertThat(ZENDESK.server().received()).hasSize(2);
        FakeVendorServer.Received show = ZENDESK.server().received().get(0);
        FakeVendorServer.Received list = ZENDESK.server().received().get(1);
        assertThat(show.method()).isEqualTo("GET");
        assertThat(show.path()).isEqualTo("/api/v2/tickets/35436.json");
        assertThat(show.body()).isEmpty();
        assertThat(list.method()).isEqualTo("GET");
        assertThat(list.path()).isEqualTo("/api/v2/tickets/35436/comments.json");
        assertThat(list.params()).isEqualTo(Map.of("sort_order", "desc", "per_page", "3"));
        assertThat(ZENDESK.server().received()).extracting(r -> r.header("Authorization")).containsOnly(basic("agent@acme.test", ACME_TOKEN));

        JsonNode out = ok.output();
        assertThat(ok.replayed()).isFalse();
        assertThat(out.path("id").asLong()).isEqualTo(35436);
        assertThat(out.path("subject").asText()).isEqualTo("My refund has not arrived");
        assertThat(out.path("status").asText()).isEqualTo("open");
        assertThat(out.path("priority").asText()).isEqualTo("high");
        assertThat(out.path("type").asText()).isEqualTo("question");
        assertThat(out.path("tags")).isEqualTo(Json.tree("[\"refund\",\"vip\"]"));
        assertThat(out.path("created_at").asText()).isEqualTo("2026-04-30T09:15:00Z");
        assertThat(out.path("updated_at").asText()).isEqualTo("2026-05-01T08:00:00Z");
        assertThat(out.path("requester_id").asLong()).isEqualTo(9001);
        assertThat(out.path("description").asText()).isEqualTo("I returned order 1042 two weeks ago.");
        assertThat(out.has("custom_fields")).as("only the fields an agent acts on").isFalse();
        assertThat(out.has("url")).isFalse();
        assertThat(out.path("comments")).isEqualTo(Json.tree("""
                [{"author_id":42,"public":true,"created_at":"2026-05-01T07:00:00Z","body":"Comment 7"},
                 {"author_id":9001,"public":true,"created_at":"2026-05-01T06:00:00Z","body":"Comment 6"},
                 {"author_id":42,"public":true,"created_at":"2026-05-01T05:00:00Z","body":"Comment 5"}]"""));

        assertThat(tool.spec().sideEffect()).isEqualTo(SideEffect.READ);
        assertThat(ZENDESK.support().stores().idempotency().find(ACME, call.idempotencyKey())).as("a read keeps no record").isEmpty();
    }

    @Test
    void fiveCommentsByDefaultWithInternalNotesMarkedAndNoneWhenZeroAreAsked() {
        JsonNode five = success(tool.execute(newCall(ACME), read(35436, null))).output();
        assertThat(ZENDESK.server().received().get(1).params()).containsEntry("per_page", "5");
        assertThat(five.path("comments")).hasSize(5);
        assertThat(five.path("comments").get(3).path("body").asText()).isEqualTo("Comment 4");
        assertThat(five.path("comments").get(3).path("public").asBoolean(true)).as("an internal note").isFalse();

        ZENDESK.server().reset();
        JsonNode none = success(tool.execute(newCall(ACME), read(35436, 0))).output();
        assertThat(ZENDESK.server().received()).extracting(FakeVendorServer.Received::path).containsExactly("/api/v2/tickets/35436.json");
        assertThat(none.has("comments")).isFalse();
        assertThat(none.path("subject").asText()).isEqualTo("My refund has not arrived");
    }

    @Test
    void aTicketWithoutCommentsOrOptionalFieldsReadsAsNulls() {
        JsonNode out = success(tool.execute(newCall(ACME), read(35438, 20))).output();
        assertThat(out.path("id").asLong()).isEqualTo(35438);
        assertThat(out.get("priority").isNull()).isTrue();
        assertThat(out.get("subject").isNull()).isTrue();
        assertThat(out.path("description").asText()).isEmpty();
        assertThat(out.path("comments")).isEmpty();
    }

    @Test
    void longDescriptionsAndCommentsAreCutAndSaySo() {
        JsonNode out = success(tool.execute(newCall(ACME), read(35437, 20))).output();
        String description = out.path("description").asText();
        assertThat(description).startsWith("x".repeat(ZendeskReadTicket.MAX_DESCRIPTION)).doesNotContain("x".repeat(ZendeskReadTicket.MAX_DESCRIPTION + 1))
                .endsWith("[... cut, 5000 characters in all]");
        JsonNode newest = out.path("comments").get(0);
        assertThat(newest.path("body").asText()).startsWith("é".repeat(ZendeskReadTicket.MAX_COMMENT))
                .doesNotContain("é".repeat(ZendeskReadTicket.MAX_COMMENT + 1)).endsWith("[... cut, 3000 characters in all]");
        assertThat(out.path("comments").get(1).path("body").asText()).as("body when there is no plain_body").isEqualTo("only a body, no plain_body");
    }

    @Test
    void refusedCredentialsAndMissingTicketsAreFailuresTheModelSees() {
        ZENDESK.support().connect(TenantId.of("badcreds"), "zendesk", Map.of("subdomain", "bad", "email", "agent@acme.test"), "not-the-token");
        ToolResult.Failed unauthorized = failed(tool.execute(newCall(TenantId.of("badcreds")), read(35436, 5)), "unauthorized");
        assertThat(unauthorized.message()).contains("PUT /v1/connections/zendesk");
        assertThat(unauthorized.details()).containsExactly("Zendesk answered HTTP 401: Couldn't authenticate you");
        assertThat(ZENDESK.server().received()).as("no comments asked after the ticket was refused").hasSize(1);

        ToolResult.Failed notFound = failed(tool.execute(newCall(ACME), read(1, 5)), "not_found");
        assertThat(notFound.details().getFirst()).contains("HTTP 404", "RecordNotFound");

        ZENDESK.server().thenAnswer(Reply.json(403, "{\"error\":\"Forbidden\",\"description\":\"You do not have access to this page.\"}"));
        assertThat(failed(tool.execute(newCall(ACME), read(35436, 5)), "unauthorized").details().getFirst()).contains("HTTP 403", "You do not have access");

        ZENDESK.server().thenAnswer(Reply.json(200, Json.write(Json.object().set("ticket", ticket(35436, "s", "d")))),
                Reply.json(400, "{\"error\":\"InvalidPaginationParameter\",\"description\":\"per_page is invalid\"}"));
        assertThat(failed(tool.execute(newCall(ACME), read(35436, 5)), "rejected").details().getFirst())
                .contains("HTTP 400", "InvalidPaginationParameter");
    }

    @Test
    void rateLimitedIsTransientSaysWhenToRetryAndTheRetryReads() {
        ToolContext call = newCall(ACME);
        ZENDESK.server().thenAnswer(Reply.json(429, "{\"error\":\"TooManyRequests\",\"description\":\"Rate limit exceeded\"}").withHeader("Retry-After", "30"));
        assertThatThrownBy(() -> tool.execute(call, read(35436, 1))).isExactlyInstanceOf(RateLimitedException.class)
                .hasMessageContaining("HTTP 429").hasMessageContaining("Retry-After 30").hasMessageContaining("Rate limit exceeded");

        assertThat(success(tool.execute(call, read(35436, 1))).output().path("comments")).hasSize(1);
        assertThat(ZENDESK.server().received()).hasSize(3);
    }

    @Test
    void aShortRetryAfterIsWaitedOutWithinTheCall() {
        ZENDESK.server().thenAnswer(Reply.json(200, Json.write(Json.object().set("ticket", ticket(35436, "s", "d")))),
                Reply.json(429, "{\"error\":\"TooManyRequests\"}").withHeader("Retry-After", "1"));
        long started = System.nanoTime();
        JsonNode out = success(tool.execute(newCall(ACME), read(35436, 2))).output();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(out.path("comments")).hasSize(2);
        assertThat(ZENDESK.server().received()).hasSize(3);
    }

    @Test
    void serverErrorsSlowAnswersAndAnUnreachableZendeskAreTransient() throws Exception {
        ZENDESK.server().thenAnswer(Reply.json(500, "{\"error\":\"InternalError\"}"));
        assertThatThrownBy(() -> tool.execute(newCall(ACME), read(35436, 0))).isExactlyInstanceOf(TransientException.class)
                .hasMessageContaining("HTTP 500").hasMessageContaining("InternalError");

        Tool impatient = toolAt(ZENDESK.server().baseUrl(), Duration.ofMillis(300));
        ZENDESK.server().thenAnswer(Reply.json(200, "{}").after(Duration.ofSeconds(2)));
        assertThatThrownBy(() -> impatient.execute(newCall(ACME), read(35436, 0))).isExactlyInstanceOf(TransientException.class);

        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        Tool nowhere = toolAt(URI.create("http://127.0.0.1:" + closed), Duration.ofSeconds(2));
        assertThatThrownBy(() -> nowhere.execute(newCall(ACME), read(35436, 0))).isExactlyInstanceOf(TransientException.class)
                .hasMessageContaining("could not read from Zendesk");
    }

    @Test
    void aTenantWithoutAConnectionGetsAClearErrorAndNothingIsSent() {
        ToolResult.Failed f = failed(tool.execute(newCall(INITECH), read(35436, 5)), "not_connected");
        assertThat(f.message()).contains("no Zendesk connection", "nothing was sent", "PUT /v1/connections/zendesk");

        ZENDESK.support().connect(TenantId.of("halfway"), "zendesk", Map.of("subdomain", "halfway"), ACME_TOKEN);
        assertThat(failed(tool.execute(newCall(TenantId.of("halfway")), read(35436, 5)), "not_connected").message())
                .contains("incomplete", "no email");
        assertThat(ZENDESK.server().received()).isEmpty();
    }

    @Test
    void eachTenantsReadUsesOnlyItsOwnCredentials() {
        success(tool.execute(newCall(GLOBEX), read(35436, 2)));
        assertThat(ZENDESK.server().received()).hasSize(2).extracting(r -> r.header("Authorization"))
                .containsOnly(basic("help@globex.test", GLOBEX_TOKEN));

        ZENDESK.server().reset();
        // A tenant with no connection of its own never borrows another's, even for the same run and call ids.
        ToolContext acmeCall = newCall(ACME);
        success(tool.execute(acmeCall, read(35436, 2)));
        failed(tool.execute(new ToolContext(INITECH, acmeCall.run(), acmeCall.step(), acmeCall.callId()), read(35436, 2)), "not_connected");
        assertThat(ZENDESK.server().received()).hasSize(2).extracting(r -> r.header("Authorization")).containsOnly(basic("agent@acme.test", ACME_TOKEN));
    }

    @Test
    void invalidArgumentsAreRefusedBeforeAnythingIsSent() {
        for (String args : List.of("{}", "{\"ticketId\":\"35436\"}", "{\"ticketId\":0}", "{\"ticketId\":9007199254740992}",
                "{\"ticketId\":35436.5}", "{\"ticketId\":35436,\"comments\":21}", "{\"ticketId\":35436,\"comments\":-1}",
                "{\"ticketId\":35436,\"comments\":\"5\"}", "{\"ticketId\":35436,\"status\":\"solved\"}", "[35436]")) {
            failed(tool.execute(newCall(ACME), Json.tree(args)), "invalid_arguments");
        }
        failed(tool.execute(newCall(ACME), null), "invalid_arguments");
        assertThat(ZENDESK.server().received()).isEmpty();
    }
}
