package dev.steward.connectors.hubspot;

import static dev.steward.connectors.http.VendorTestSupport.failed;
import static dev.steward.connectors.http.VendorTestSupport.newCall;
import static dev.steward.connectors.http.VendorTestSupport.success;
import static dev.steward.connectors.hubspot.HubSpotFixture.ACME;
import static dev.steward.connectors.hubspot.HubSpotFixture.ACME_TOKEN;
import static dev.steward.connectors.hubspot.HubSpotFixture.GLOBEX;
import static dev.steward.connectors.hubspot.HubSpotFixture.GLOBEX_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.connectors.Tool;
import dev.steward.connectors.ToolContext;
import dev.steward.connectors.ToolResult;
import dev.steward.connectors.http.FakeHubSpot;
import dev.steward.connectors.http.FakeVendorServer;
import dev.steward.connectors.http.FakeVendorServer.Reply;
import dev.steward.connectors.http.VendorTestSupport;
import dev.steward.core.error.RateLimitedException;
import dev.steward.core.error.TransientException;
import dev.steward.core.json.Json;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.idempotency.IdempotencyRecord;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** crm_add_note against a local server that answers as HubSpot's CRM v3 notes API does, per-tenant tokens in DynamoDB Local. */
class CrmAddNoteIT {
    @RegisterExtension
    static final HubSpotFixture HUBSPOT = new HubSpotFixture(Set.of("contact/512", "company/77", "deal/9001", "ticket/31"));

    static VendorTestSupport support;
    static FakeHubSpot hubspot;
    static FakeVendorServer server;
    static Tool tool;

    @BeforeAll
    static void start() {
        support = HUBSPOT.support();
        hubspot = HUBSPOT.vendor();
        server = HUBSPOT.server();
        tool = HUBSPOT.tool("crm_add_note");
    }

    static JsonNode note(String body, String... kindAndIds) {
        var args = Json.object().put("body", body);
        var list = args.putArray("associations");
        for (int i = 0; i < kindAndIds.length; i += 2) {
            list.addObject().put("objectType", kindAndIds[i]).put("id", kindAndIds[i + 1]);
        }
        return args;
    }

    @Test
    void createsOneNoteOnEveryKindOfRecordWithHubSpotsDefaultAssociationTypes() {
        ToolContext call = newCall(ACME);
        ToolResult.Success ok = success(tool.execute(call, note("Called <Ana> & agreed:\nrefund by Friday.",
                "contact", "512", "company", "77", "deal", "9001", "ticket", "31")));

        FakeVendorServer.Received sent = server.received().getFirst();
        assertThat(server.received()).hasSize(1);
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/crm/v3/objects/notes");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer " + ACME_TOKEN);
        assertThat(sent.json().path("properties")).isEqualTo(Json.tree("{\"hs_note_body\":\"Called &lt;Ana&gt; &amp; agreed:<br>refund by Friday.\","
                + "\"hs_timestamp\":\"2026-05-01T12:00:00.250Z\"}"));
        assertThat(sent.json().path("associations")).isEqualTo(Json.tree("""
                [{"to":{"id":"512"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":202}]},
                 {"to":{"id":"77"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":190}]},
                 {"to":{"id":"9001"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":214}]},
                 {"to":{"id":"31"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":228}]}]
                """));

        assertThat(hubspot.notes()).hasSize(1);
        assertThat(ok.output().path("status").asText()).isEqualTo("created");
        assertThat(ok.output().path("noteId").asText()).isEqualTo(hubspot.notes().getFirst().id());
        assertThat(ok.output().path("associations")).hasSize(4);
        IdempotencyRecord record = support.stores().idempotency().find(ACME, call.idempotencyKey()).orElseThrow();
        assertThat(record.status()).isEqualTo(IdempotencyRecord.Status.COMPLETED);
        assertThat(record.outcome()).isEqualTo(ok.output());
    }

    @Test
    void aRetriedCallCreatesOneNote() {
        ToolContext call = newCall(ACME);
        JsonNode args = note("Once.", "contact", "512");
        ToolResult first = tool.execute(call, args);
        ToolResult second = tool.execute(call, args);

        assertThat(server.received()).hasSize(1);
        assertThat(success(second).replayed()).isTrue();
        assertThat(success(second).output()).isEqualTo(success(first).output());
    }

    @Test
    void hubSpotsRefusalsReachTheModelWithItsMessage() {
        support.connect(TenantId.of("revoked"), "hubspot", Map.of(), "pat-na1-revoked-token");
        ToolResult.Failed unauthorized = failed(tool.execute(newCall(TenantId.of("revoked")), note("x", "contact", "512")), "unauthorized");
        assertThat(unauthorized.details().getFirst()).contains("HTTP 401", "Authentication credentials not found.");

        ToolContext call = newCall(ACME);
        ToolResult.Failed rejected = failed(tool.execute(call, note("x", "contact", "404404")), "rejected");
        assertThat(rejected.details().getFirst()).contains("HTTP 400", "One or more associations are invalid");
        assertThat(support.stores().idempotency().find(ACME, call.idempotencyKey())).isEmpty();
        assertThat(hubspot.notes()).noneMatch(n -> n.request().path("properties").path("hs_note_body").asText().equals("x"));
    }

    @Test
    void rateLimitsAndOutagesAreTransient() {
        ToolContext limited = newCall(ACME);
        server.thenAnswer(Reply.json(429, "{\"status\":\"error\",\"message\":\"You have reached your ten secondly limit.\","
                + "\"category\":\"RATE_LIMITS\"}").withHeader("Retry-After", "10"));
        assertThatThrownBy(() -> tool.execute(limited, note("later", "deal", "9001"))).isExactlyInstanceOf(RateLimitedException.class)
                .hasMessageContaining("HubSpot answered HTTP 429").hasMessageContaining("ten secondly limit");
        success(tool.execute(limited, note("later", "deal", "9001")));

        ToolContext broken = newCall(ACME);
        server.thenAnswer(Reply.json(502, "<html>Bad gateway</html>"));
        assertThatThrownBy(() -> tool.execute(broken, note("unknown", "deal", "9001"))).isExactlyInstanceOf(TransientException.class);
        assertThat(tool.execute(broken, note("unknown", "deal", "9001"))).isInstanceOf(ToolResult.NeedsReview.class);
        assertThat(server.received()).hasSize(3);
    }

    @Test
    void eachTenantsNotesGoOutWithItsOwnTokenAndAnUnconnectedTenantSendsNothing() {
        success(tool.execute(newCall(GLOBEX), note("Globex note.", "contact", "512")));
        assertThat(server.received().getFirst().header("Authorization")).isEqualTo("Bearer " + GLOBEX_TOKEN);

        ToolResult.Failed none = failed(tool.execute(newCall(HubSpotFixture.INITECH), note("y", "contact", "512")), "not_connected");
        assertThat(none.message()).contains("no HubSpot connection", "PUT /v1/connections/hubspot");
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void invalidArgumentsAreRefusedBeforeAnythingIsSent() {
        for (JsonNode args : List.of(note("no records"), note("x", "lead", "5"), note("x", "contact", "abc"), note("", "contact", "1"),
                Json.tree("{\"body\":\"x\",\"associations\":[{\"objectType\":\"contact\",\"id\":\"1\"}],\"owner\":\"7\"}"))) {
            failed(tool.execute(newCall(ACME), args), "invalid_arguments");
        }
        assertThat(server.received()).isEmpty();
    }
}
