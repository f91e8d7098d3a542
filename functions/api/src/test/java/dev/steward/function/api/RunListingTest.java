package dev.steward.function.api;

import static dev.steward.function.api.WebhooksApiTest.as;
import static dev.steward.function.api.WebhooksApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.agent.AgentTemplate;
import dev.steward.core.json.Json;
import dev.steward.core.knowledge.RetrievedChunk;
import dev.steward.core.run.RunId;
import dev.steward.core.run.RunRecord;
import dev.steward.core.run.RunStatus;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.Stores;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/runs}: a page of the caller's tenant's runs, newest first, summarised (no steps, sources or
 * answer), to any role of the tenant (as {@code GET /v1/runs/{id}}); bad parameters are a 400 naming the parameter.
 */
class RunListingTest {
    static EmbeddedTable table;
    static Stores stores;
    static ApiHandler api;
    static final TenantId ACME = TenantId.of("acme");
    static final TenantId GLOBEX = TenantId.of("globex");
    static final Instant T0 = Instant.parse("2026-11-24T08:00:00Z");
    /** Acme's runs, oldest first. */
    static final List<RunId> made = new ArrayList<>();

    @BeforeAll
    static void start() {
        table = EmbeddedTable.start();
        stores = table.stores();
        api = UnreachableServices.handler(stores);
        stores.agents().put(ACME, new AgentTemplate("assistant", "", "Answer from the sources.", 5, 8, Json.tree("{\"type\":\"object\"}")));
        for (int i = 0; i < 4; i++) {
            RunRecord run = RunRecord.queued(ACME, RunId.random(), i == 0 ? "triage" : "assistant", "question " + i, T0.plusSeconds(i));
            stores.runs().create(run);
            made.add(run.id());
        }
        RunRecord newest = stores.runs().get(ACME, made.getLast());
        stores.runs().update(newest.next(T0.plusSeconds(9)).status(RunStatus.WAITING_FOR_REVIEW).reviewId("rev_abc")
                .sources(List.of(new RetrievedChunk("doc_1", "doc_1#0", "policy.txt", "", "the refund window is 30 days", 0.9, Map.of())))
                .build().withStep("plan", "ok", 3, T0.plusSeconds(9), "planned"));
    }

    @AfterAll
    static void stop() {
        table.close();
    }

    @Test
    void aPageSummarisesTheNewestRunsAndItsCursorLeadsToTheRest() {
        JsonNode first = ok(list(ACME, "member", Map.of("limit", "3")));

        assertThat(ids(first)).containsExactly(made.get(3).value(), made.get(2).value(), made.get(1).value());
        JsonNode waiting = first.path("runs").get(0);
        assertThat(waiting.path("agent").asText()).isEqualTo("assistant");
        assertThat(waiting.path("status").asText()).isEqualTo("WAITING_FOR_REVIEW");
        assertThat(waiting.path("reviewId").asText()).isEqualTo("rev_abc");
        assertThat(waiting.path("inputPreview").asText()).isEqualTo("question 3");
        assertThat(waiting.path("createdAt").asText()).isEqualTo(T0.plusSeconds(3).toString());
        assertThat(waiting.path("updatedAt").asText()).isEqualTo(T0.plusSeconds(9).toString());
        assertThat(Json.mapper().convertValue(waiting, Map.class)).containsOnlyKeys("runId", "agent", "status", "inputPreview",
                "reviewId", "createdAt", "updatedAt");
        assertThat(first.path("runs").get(1).has("reviewId")).isFalse();
        assertThat(first.path("nextCursor").isTextual()).isTrue();

        JsonNode rest = ok(list(ACME, "member", Map.of("limit", "3", "cursor", first.path("nextCursor").asText())));
        assertThat(ids(rest)).containsExactly(made.get(0).value());
        assertThat(rest.path("nextCursor").isNull()).isTrue();
        assertThat(rest.path("runs").get(0).path("agent").asText()).isEqualTo("triage");
    }

    @Test
    void everyRoleOfTheTenantListsAllItsRunsAsItMayReadEachOne() {
        for (String role : List.of("member", "reviewer", "admin")) {
            JsonNode page = ok(list(ACME, role, Map.of()));
            assertThat(ids(page)).as(role).containsAll(made.stream().map(RunId::value).toList());
            assertThat(call(as(ACME, role, "GET", "/v1/runs/{id}", Map.of("id", made.getFirst().value()), null)).getStatusCode())
                    .as(role).isEqualTo(200);
        }
    }

    @Test
    void anotherTenantSeesNoneOfTheseRunsAndCannotReplayTheirCursor() {
        JsonNode globex = ok(list(GLOBEX, "admin", Map.of()));
        assertThat(globex.path("runs")).isEmpty();
        assertThat(globex.path("nextCursor").isNull()).isTrue();

        String acmeCursor = ok(list(ACME, "member", Map.of("limit", "1"))).path("nextCursor").asText();
        APIGatewayV2HTTPResponse replayed = call(list(GLOBEX, "admin", Map.of("cursor", acmeCursor)));
        assertError(replayed, 400, "'cursor' is not one this listing gave out");
    }

    @Test
    void filtersByStatusAndAgent() {
        assertThat(ids(ok(list(ACME, "member", Map.of("status", "waiting_for_review"))))).containsExactly(made.get(3).value());
        assertThat(ids(ok(list(ACME, "member", Map.of("status", "QUEUED", "agent", "assistant")))))
                .containsExactly(made.get(2).value(), made.get(1).value());
        assertThat(ids(ok(list(ACME, "member", Map.of("agent", "triage"))))).containsExactly(made.get(0).value());
        assertThat(ok(list(ACME, "member", Map.of("status", "succeeded"))).path("runs")).isEmpty();
    }

    @Test
    void aStartedRunIsListedWithItsInputAsRedactedAtTheDoor() {
        TenantId tenant = TenantId.of("initech");
        stores.agents().put(tenant, new AgentTemplate("assistant", "", "Answer.", 5, 8, Json.tree("{\"type\":\"object\"}")));
        APIGatewayV2HTTPResponse started = call(as(tenant, "member", "POST", "/v1/runs", Map.of(),
                "{\"agent\":\"assistant\",\"input\":\"Refund jane.doe@example.com please\"}"));
        assertThat(started.getStatusCode()).as("no state machine here: stored FAILED").isEqualTo(503);

        JsonNode run = ok(list(tenant, "member", Map.of())).path("runs").get(0);
        assertThat(run.path("status").asText()).isEqualTo("FAILED");
        assertThat(run.path("inputPreview").asText()).startsWith("Refund ").endsWith(" please").doesNotContain("jane.doe@example.com");
    }

    @Test
    void badParametersAreA400NamingTheParameter() {
        for (String limit : List.of("0", "101", "ten", "", "-1", "2.5")) {
            assertError(call(list(ACME, "member", Map.of("limit", limit))), 400, "'limit' must be a whole number from 1 to 100");
        }
        assertError(call(list(ACME, "member", Map.of("status", "done"))), 400,
                "unknown 'status' 'done': use one of queued, running, waiting_for_review, succeeded, halted, failed");
        assertError(call(list(ACME, "member", Map.of("cursor", "not-a-cursor"))), 400, "'cursor' is not one this listing gave out");
        assertError(call(list(ACME, "member", Map.of("agent", " "))), 400, "'agent' must not be empty");
        assertThat(ok(list(ACME, "member", Map.of("limit", "100"))).path("runs").size()).isEqualTo(made.size());
    }

    @Test
    void withoutTheAuthorizersTenantTheListingIsA401() {
        APIGatewayV2HTTPEvent anonymous = list(ACME, "member", Map.of());
        anonymous.getRequestContext().setAuthorizer(null);
        APIGatewayV2HTTPResponse r = call(anonymous);
        assertThat(r.getStatusCode()).isEqualTo(401);
        assertThat(Json.tree(r.getBody()).path("error").path("code").asText()).isEqualTo("unauthorized");
    }

    static APIGatewayV2HTTPEvent list(TenantId tenant, String role, Map<String, String> query) {
        APIGatewayV2HTTPEvent event = as(tenant, role, "GET", "/v1/runs", Map.of(), null);
        event.setQueryStringParameters(query.isEmpty() ? null : new HashMap<>(query));
        return event;
    }

    static APIGatewayV2HTTPResponse call(APIGatewayV2HTTPEvent event) {
        return api.handleRequest(event, null);
    }

    static JsonNode ok(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPResponse r = call(event);
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        return Json.tree(r.getBody());
    }

    static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("runs").forEach(r -> ids.add(r.path("runId").asText()));
        return ids;
    }
}
