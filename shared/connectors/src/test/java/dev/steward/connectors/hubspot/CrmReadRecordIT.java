package dev.steward.connectors.hubspot;

import static dev.steward.connectors.http.VendorTestSupport.failed;
import static dev.steward.connectors.http.VendorTestSupport.newCall;
import static dev.steward.connectors.http.VendorTestSupport.success;
import static dev.steward.connectors.hubspot.HubSpotFixture.ACME;
import static dev.steward.connectors.hubspot.HubSpotFixture.ACME_TOKEN;
import static dev.steward.connectors.hubspot.HubSpotFixture.GLOBEX;
import static dev.steward.connectors.hubspot.HubSpotFixture.GLOBEX_TOKEN;
import static dev.steward.connectors.hubspot.HubSpotFixture.INITECH;
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
import dev.steward.core.error.RateLimitedException;
import dev.steward.core.error.TransientException;
import dev.steward.core.json.Json;
import dev.steward.core.tenant.TenantId;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** crm_read_record against a local server that answers as HubSpot's CRM v3 objects API does, per-tenant tokens in DynamoDB Local. */
class CrmReadRecordIT {
    @RegisterExtension
    static final HubSpotFixture HUBSPOT = new HubSpotFixture(Set.of("contact/512", "company/77", "deal/9001", "ticket/31", "ticket/32"));

    static final String RATE_LIMITED = "{\"status\":\"error\",\"message\":\"You have reached your ten secondly limit.\","
            + "\"category\":\"RATE_LIMITS\"}";

    static Tool tool;

    @BeforeAll
    static void start() {
        tool = HUBSPOT.tool("crm_read_record");
        ObjectNode ana = Json.object().put("firstname", "Ana").put("lastname", "Silva").put("email", "ana.silva@example.com")
                .putNull("phone").put("company", "Acme Corp").put("jobtitle", "").put("lifecyclestage", "customer")
                .put("hs_lead_status", "CONNECTED").put("notes_last_contacted", "2026-04-29T15:00:00Z");
        HUBSPOT.vendor().withRecord("contact/512", ana, "2025-11-03T10:15:00.000Z", "2026-04-30T08:00:00.000Z");
        HUBSPOT.vendor().withRecord("company/77", Json.object().put("name", "Acme Corp").put("domain", "acme.example")
                .put("industry", "COMPUTER_SOFTWARE").putNull("phone").put("city", "Lisbon").put("country", "Portugal"),
                "2025-10-01T09:00:00.000Z", "2026-03-02T12:00:00.000Z");
        HUBSPOT.vendor().withRecord("deal/9001", Json.object().put("dealname", "Acme renewal 2026").put("amount", "12500.00")
                .put("dealstage", "contractsent").put("pipeline", "default").put("closedate", "2026-06-30T00:00:00Z"),
                "2026-01-15T09:00:00.000Z", "2026-04-28T16:30:00.000Z");
        HUBSPOT.vendor().withRecord("ticket/31", Json.object().put("subject", "Invoice twice").put("content", "x".repeat(5_000))
                .put("hs_pipeline_stage", "1").put("hs_ticket_priority", "HIGH"), "2026-04-01T09:00:00.000Z", "2026-04-02T09:00:00.000Z");
        HUBSPOT.vendor().withRecord("ticket/32", Json.object().put("subject", "é".repeat(3_000)), "2026-04-03T09:00:00.000Z",
                "2026-04-03T09:00:00.000Z");
    }

    static JsonNode read(String objectType, String id, String... properties) {
        ObjectNode args = Json.object().put("objectType", objectType).put("id", id);
        if (properties.length > 0) {
            properties(args, List.of(properties));
        }
        return args;
    }

    static ObjectNode properties(ObjectNode args, List<String> names) {
        names.forEach(args.putArray("properties")::add);
        return args;
    }

    @Test
    void readsAContactWithItsDefaultPropertiesTheWayHubSpotServesIt() {
        ToolContext call = newCall(ACME);
        ToolResult.Success ok = success(tool.execute(call, read("contact", "512")));

        assertThat(HUBSPOT.server().received()).hasSize(1);
        FakeVendorServer.Received sent = HUBSPOT.server().received().getFirst();
        assertThat(sent.method()).isEqualTo("GET");
        assertThat(sent.path()).isEqualTo("/crm/v3/objects/contacts/512");
        assertThat(sent.query()).isEqualTo("properties=firstname,lastname,email,phone,company,jobtitle,lifecyclestage");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer " + ACME_TOKEN);
        assertThat(sent.body()).isEmpty();

        assertThat(ok.replayed()).isFalse();
        assertThat(ok.output()).as("only the asked-for properties that have a value; none HubSpot adds").isEqualTo(Json.tree("""
                {"id":"512","objectType":"contact",
                 "properties":{"firstname":"Ana","lastname":"Silva","email":"ana.silva@example.com","company":"Acme Corp","lifecyclestage":"customer"},
                 "createdAt":"2025-11-03T10:15:00.000Z","updatedAt":"2026-04-30T08:00:00.000Z"}"""));

        assertThat(tool.spec().sideEffect()).isEqualTo(SideEffect.READ);
        assertThat(HUBSPOT.support().stores().idempotency().find(ACME, call.idempotencyKey())).as("a read keeps no record").isEmpty();
    }

    @Test
    void eachObjectTypeIsReadWithItsOwnDefaultProperties() {
        JsonNode company = success(tool.execute(newCall(ACME), read("company", "77"))).output();
        JsonNode deal = success(tool.execute(newCall(ACME), read("deal", "9001"))).output();
        JsonNode ticket = success(tool.execute(newCall(ACME), read("ticket", "31"))).output();

        assertThat(HUBSPOT.server().received()).extracting(r -> r.path() + "?" + r.query()).containsExactly(
                "/crm/v3/objects/companies/77?properties=name,domain,industry,phone,city,country",
                "/crm/v3/objects/deals/9001?properties=dealname,amount,dealstage,pipeline,closedate",
                "/crm/v3/objects/tickets/31?properties=subject,content,hs_pipeline_stage,hs_ticket_priority");
        assertThat(company.path("properties")).isEqualTo(Json.tree("""
                {"name":"Acme Corp","domain":"acme.example","industry":"COMPUTER_SOFTWARE","city":"Lisbon","country":"Portugal"}"""));
        assertThat(company.path("objectType").asText()).isEqualTo("company");
        assertThat(deal.path("properties")).isEqualTo(Json.tree("""
                {"dealname":"Acme renewal 2026","amount":"12500.00","dealstage":"contractsent","pipeline":"default","closedate":"2026-06-30T00:00:00Z"}"""));
        assertThat(deal.path("updatedAt").asText()).isEqualTo("2026-04-28T16:30:00.000Z");
        assertThat(ticket.path("id").asText()).isEqualTo("31");
        assertThat(ticket.path("properties").path("hs_ticket_priority").asText()).isEqualTo("HIGH");
    }

    @Test
    void readsOnlyThePropertiesAskedFor() {
        JsonNode out = success(tool.execute(newCall(ACME), read("contact", "512", "email", "hs_lead_status", "phone", "no_such_property"))).output();
        assertThat(HUBSPOT.server().received().getFirst().query()).isEqualTo("properties=email,hs_lead_status,phone,no_such_property");
        assertThat(out.path("properties")).isEqualTo(Json.tree("{\"email\":\"ana.silva@example.com\",\"hs_lead_status\":\"CONNECTED\"}"));
    }

    @Test
    void longValuesAreCutAndSaySo() {
        JsonNode out = success(tool.execute(newCall(ACME), read("ticket", "31"))).output();
        assertThat(out.path("properties").path("content").asText()).startsWith("x".repeat(CrmReadRecord.MAX_VALUE))
                .doesNotContain("x".repeat(CrmReadRecord.MAX_VALUE + 1)).endsWith("[... cut, 5000 characters in all]");
        assertThat(out.path("properties").path("subject").asText()).isEqualTo("Invoice twice");

        String subject = success(tool.execute(newCall(ACME), read("ticket", "32", "subject"))).output().path("properties").path("subject").asText();
        assertThat(subject).startsWith("é".repeat(CrmReadRecord.MAX_VALUE)).doesNotContain("é".repeat(CrmReadRecord.MAX_VALUE + 1))
                .endsWith("[... cut, 3000 characters in all]");
    }

    @Test
    void aRecordHubSpotDoesNotHaveIsANotFoundObservationThatNamesIt() {
        ToolResult.Failed missing = failed(tool.execute(newCall(ACME), read("contact", "404404")), "not_found");
        assertThat(missing.message()).contains("HubSpot has no contact 404404", "check the id and the object type");
        assertThat(missing.details()).containsExactly("HubSpot answered HTTP 404: (no message)");

        // The id of a contact is no company's id.
        assertThat(failed(tool.execute(newCall(ACME), read("company", "512")), "not_found").message())
                .contains("HubSpot has no company 512");
        assertThat(HUBSPOT.server().received()).extracting(FakeVendorServer.Received::path)
                .containsExactly("/crm/v3/objects/contacts/404404", "/crm/v3/objects/companies/512");
    }

    @Test
    void refusedCredentialsAreAConnectionErrorTheModelSees() {
        HUBSPOT.support().connect(TenantId.of("revoked"), "hubspot", Map.of(), "pat-na1-revoked-token");
        ToolResult.Failed unauthorized = failed(tool.execute(newCall(TenantId.of("revoked")), read("contact", "512")), "unauthorized");
        assertThat(unauthorized.message()).contains("HubSpot refused this tenant's credentials", "PUT /v1/connections/hubspot");
        assertThat(unauthorized.details()).containsExactly("HubSpot answered HTTP 401: Authentication credentials not found.");

        HUBSPOT.server().thenAnswer(Reply.json(403, "{\"status\":\"error\",\"message\":\"This app hasn't been granted all required scopes "
                + "to make this call.\",\"category\":\"MISSING_SCOPES\"}"));
        ToolResult.Failed scopes = failed(tool.execute(newCall(ACME), read("deal", "9001")), "unauthorized");
        assertThat(scopes.details().getFirst()).contains("HTTP 403", "required scopes");

        HUBSPOT.server().thenAnswer(Reply.json(400, "{\"status\":\"error\",\"message\":\"Invalid input\",\"category\":\"VALIDATION_ERROR\"}"));
        assertThat(failed(tool.execute(newCall(ACME), read("deal", "9001")), "rejected").details().getFirst()).contains("HTTP 400", "Invalid input");
    }

    @Test
    void rateLimitedIsTransientSaysWhenToRetryAndTheRetryReads() {
        ToolContext call = newCall(ACME);
        HUBSPOT.server().thenAnswer(Reply.json(429, RATE_LIMITED).withHeader("Retry-After", "10"));
        assertThatThrownBy(() -> tool.execute(call, read("contact", "512"))).isExactlyInstanceOf(RateLimitedException.class)
                .hasMessageContaining("HubSpot answered HTTP 429").hasMessageContaining("Retry-After 10").hasMessageContaining("ten secondly limit");

        // HubSpot often sends no Retry-After at all: the step's own retry is the only wait.
        HUBSPOT.server().thenAnswer(Reply.json(429, RATE_LIMITED));
        assertThatThrownBy(() -> tool.execute(call, read("contact", "512"))).isExactlyInstanceOf(RateLimitedException.class)
                .hasMessageContaining("HTTP 429");

        assertThat(success(tool.execute(call, read("contact", "512"))).output().path("properties").path("firstname").asText()).isEqualTo("Ana");
        assertThat(HUBSPOT.server().received()).hasSize(3).extracting(FakeVendorServer.Received::path).containsOnly("/crm/v3/objects/contacts/512");
    }

    @Test
    void aShortRetryAfterIsWaitedOutWithinTheCall() {
        HUBSPOT.server().thenAnswer(Reply.json(429, RATE_LIMITED).withHeader("Retry-After", "1"));
        long started = System.nanoTime();
        JsonNode out = success(tool.execute(newCall(ACME), read("deal", "9001", "dealname"))).output();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(out.path("properties")).isEqualTo(Json.tree("{\"dealname\":\"Acme renewal 2026\"}"));
        assertThat(HUBSPOT.server().received()).hasSize(2).extracting(FakeVendorServer.Received::query).containsOnly("properties=dealname");
    }

    @Test
    void serverErrorsSlowAnswersAndAnUnreachableHubSpotAreTransient() throws Exception {
        HUBSPOT.server().thenAnswer(Reply.json(502, "<html>Bad gateway</html>"));
        assertThatThrownBy(() -> tool.execute(newCall(ACME), read("contact", "512"))).isExactlyInstanceOf(TransientException.class)
                .hasMessageContaining("HTTP 502").hasMessageContaining("Bad gateway");
        HUBSPOT.server().thenAnswer(Reply.json(503, "{\"status\":\"error\",\"message\":\"Service unavailable\"}"));
        assertThatThrownBy(() -> tool.execute(newCall(ACME), read("contact", "512"))).isExactlyInstanceOf(TransientException.class)
                .hasMessageContaining("HTTP 503").hasMessageContaining("unavailable");

        Tool impatient = HUBSPOT.tool("crm_read_record", HUBSPOT.server().baseUrl(), Duration.ofMillis(300));
        HUBSPOT.server().thenAnswer(Reply.json(200, "{}").after(Duration.ofSeconds(2)));
        assertThatThrownBy(() -> impatient.execute(newCall(ACME), read("contact", "512"))).isExactlyInstanceOf(TransientException.class);

        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        Tool nowhere = HUBSPOT.tool("crm_read_record", URI.create("http://127.0.0.1:" + closed), Duration.ofSeconds(2));
        assertThatThrownBy(() -> nowhere.execute(newCall(ACME), read("contact", "512"))).isExactlyInstanceOf(TransientException.class)
                .hasMessageContaining("could not read from HubSpot");
    }

    @Test
    void aTenantWithoutAConnectionGetsTheSameClearErrorAsCrmAddNoteAndNothingIsSent() {
        ToolResult.Failed read = failed(tool.execute(newCall(INITECH), read("contact", "512")), "not_connected");
        assertThat(read.message()).contains("no HubSpot connection", "nothing was sent", "PUT /v1/connections/hubspot");
        ToolResult.Failed note = failed(HUBSPOT.tool("crm_add_note").execute(newCall(INITECH), Json.tree(
                "{\"body\":\"b\",\"associations\":[{\"objectType\":\"contact\",\"id\":\"512\"}]}")), "not_connected");
        assertThat(read.message()).isEqualTo(note.message());
        assertThat(HUBSPOT.server().received()).isEmpty();
    }

    @Test
    void eachTenantsReadUsesOnlyItsOwnToken() {
        success(tool.execute(newCall(GLOBEX), read("contact", "512")));
        ToolContext acmeCall = newCall(ACME);
        success(tool.execute(acmeCall, read("contact", "512")));
        // A tenant with no connection of its own never borrows another's, even for the same run and call ids.
        failed(tool.execute(new ToolContext(INITECH, acmeCall.run(), acmeCall.step(), acmeCall.callId()), read("contact", "512")), "not_connected");
        assertThat(HUBSPOT.server().received()).extracting(r -> r.header("Authorization"))
                .containsExactly("Bearer " + GLOBEX_TOKEN, "Bearer " + ACME_TOKEN);
    }

    @Test
    void anObjectTypeOutsideTheFourIsRefusedNamingTheAllowedOnes() {
        // The API path's plural words are not the model's vocabulary: crm_add_note's singular names are.
        for (String type : List.of("contacts", "companies", "notes", "note", "line_items", "Contact", "")) {
            ToolResult.Failed f = failed(tool.execute(newCall(ACME), read(type, "512")), "invalid_arguments");
            assertThat(f.details()).as(type).anySatisfy(d -> assertThat(d).contains("objectType", "contact", "company", "deal", "ticket"));
        }
        assertThat(HUBSPOT.server().received()).isEmpty();
    }

    @Test
    void theModelNamesObjectTypesWithTheSameWordsInBothCrmTools() {
        List<String> singular = List.of("contact", "company", "deal", "ticket");
        JsonNode readTypes = tool.spec().argumentsSchema().at("/properties/objectType/enum");
        JsonNode noteTypes = HUBSPOT.tool("crm_add_note").spec().argumentsSchema().at("/properties/associations/items/properties/objectType/enum");
        assertThat(readTypes).extracting(JsonNode::asText).containsExactlyElementsOf(singular);
        assertThat(noteTypes).isEqualTo(readTypes);
        assertThat(List.of(CrmObjectType.values())).extracting(CrmObjectType::wire).containsExactlyElementsOf(singular);
    }

    @Test
    void anIdThatIsNotDigitsIsRefusedBeforeAnythingIsSent() {
        for (String id : List.of("abc", "512a", "0", "-512", "512/../../notes", "512?archived=true", " 512", "", "1".repeat(21))) {
            ToolResult.Failed f = failed(tool.execute(newCall(ACME), read("contact", id)), "invalid_arguments");
            assertThat(f.details()).as(id).anySatisfy(d -> assertThat(d).contains("id"));
        }
        failed(tool.execute(newCall(ACME), Json.tree("{\"objectType\":\"contact\",\"id\":512}")), "invalid_arguments");
        assertThat(HUBSPOT.server().received()).isEmpty();
    }

    @Test
    void propertyNamesMustBeSimpleIdentifiersAndAtMostTwenty() {
        List<List<String>> bad = List.of(List.of(), List.of("Email"), List.of("email,phone"), List.of("email&archived=true"),
                List.of("first name"), List.of("x".repeat(101)), List.of("email", "email"),
                IntStream.rangeClosed(1, 21).mapToObj(i -> "p" + i).toList());
        for (List<String> names : bad) {
            failed(tool.execute(newCall(ACME), properties(Json.object().put("objectType", "contact").put("id", "512"), names)), "invalid_arguments");
        }
        for (String args : List.of("{\"objectType\":\"contact\",\"id\":\"512\",\"properties\":\"email\"}",
                "{\"objectType\":\"contact\",\"id\":\"512\",\"properties\":[1]}", "{\"objectType\":\"contact\"}", "{\"id\":\"512\"}",
                "{\"objectType\":\"contact\",\"id\":\"512\",\"archived\":true}", "[\"contact\",\"512\"]")) {
            failed(tool.execute(newCall(ACME), Json.tree(args)), "invalid_arguments");
        }
        failed(tool.execute(newCall(ACME), null), "invalid_arguments");
        assertThat(HUBSPOT.server().received()).isEmpty();

        List<String> twenty = IntStream.rangeClosed(1, 20).mapToObj(i -> "p_" + i).toList();
        success(tool.execute(newCall(ACME), properties(Json.object().put("objectType", "contact").put("id", "512"), twenty)));
        assertThat(HUBSPOT.server().received().getFirst().query()).isEqualTo("properties=" + String.join(",", twenty));
    }
}
