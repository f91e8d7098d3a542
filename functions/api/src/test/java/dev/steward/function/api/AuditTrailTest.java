package dev.steward.function.api;

import static dev.steward.function.api.WebhooksApiTest.as;
import static dev.steward.function.api.WebhooksApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.agent.AgentTemplate;
import dev.steward.core.json.Json;
import dev.steward.core.knowledge.DocumentId;
import dev.steward.core.run.RunId;
import dev.steward.core.run.RunRecord;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.Stores;
import dev.steward.store.audit.AuditStore;
import dev.steward.store.document.DocumentRecord;
import dev.steward.store.review.ReviewRecord;
import dev.steward.store.review.ReviewStatus;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;

/**
 * The audit trail through the real handler over DynamoDB Local: each change a route makes records exactly one event
 * with the right actor, role, action and target, a refused change (400, 403, 404, 409) records none, no event holds a
 * credential, and {@code GET /v1/audit} shows a tenant its own events only, to admins only.
 */
class AuditTrailTest {
    static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z"); // the handler's fixed clock
    static final String ZENDESK_TOKEN = "zd-api-token-audit-0123456789";
    static final String WEBHOOK_SECRET = "webhook-signing-secret-audit-0123";
    static EmbeddedTable table;
    static Stores stores;
    static ApiHandler api;
    static final AtomicInteger REQUESTS = new AtomicInteger();

    @BeforeAll
    static void start() {
        table = EmbeddedTable.start();
        stores = table.stores();
        api = UnreachableServices.handler(stores, acceptingDeletes());
    }

    @AfterAll
    static void stop() {
        table.close();
    }

    /** An object store that accepts every DeleteObject (the document route removes the bytes before the record). */
    private static S3Client acceptingDeletes() {
        return (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "deleteObject" -> DeleteObjectResponse.builder().build();
                    case "serviceName" -> "s3";
                    case "close" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Calls the handler with a request id, as API Gateway gives every request one; returns it with the response. */
    static Call call(APIGatewayV2HTTPEvent event) {
        String requestId = "req-" + REQUESTS.incrementAndGet();
        event.getRequestContext().setRequestId(requestId);
        return new Call(api.handleRequest(event, null), requestId);
    }

    record Call(APIGatewayV2HTTPResponse response, String requestId) {
        JsonNode body() {
            return Json.tree(response.getBody());
        }

        int status() {
            return response.getStatusCode();
        }
    }

    static Call as(TenantId tenant, String role, String method, String route, Map<String, String> params, String body) {
        return call(WebhooksApiTest.as(tenant, role, method, route, params, body));
    }

    /** Every audit item of the tenant exactly as the table holds it, newest first. */
    static List<Map<String, AttributeValue>> rawEvents(TenantId tenant) {
        return stores.table().client().query(r -> r.tableName(stores.table().name()).consistentRead(true).scanIndexForward(false)
                .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(AuditStore.partition(tenant)))))
                .items();
    }

    static JsonNode events(TenantId tenant) {
        return Json.tree(rawEvents(tenant).stream().map(i -> i.get("body").s()).toList().toString());
    }

    /** Asserts the route made exactly one event more, and that it says what {@code expected} says; returns it. */
    static JsonNode assertOneNewEvent(TenantId tenant, int before, Call call, String actor, String role, String action, String target) {
        assertThat(call.status()).as(call.response().getBody()).isBetween(200, 299);
        JsonNode all = events(tenant);
        assertThat(all).as("events of " + tenant).hasSize(before + 1);
        // the handler's clock is fixed, so events of one test share their instant: the request id tells them apart
        List<JsonNode> ofRequest = new ArrayList<>();
        all.forEach(e -> {
            if (e.path("requestId").asText().equals(call.requestId())) {
                ofRequest.add(e);
            }
        });
        assertThat(ofRequest).as("events of request " + call.requestId()).hasSize(1);
        JsonNode e = ofRequest.getFirst();
        assertThat(e.path("actor").asText()).isEqualTo(actor);
        assertThat(e.path("role").asText()).isEqualTo(role);
        assertThat(e.path("action").asText()).isEqualTo(action);
        assertThat(e.path("target").asText()).isEqualTo(target);
        assertThat(e.path("requestId").asText()).isEqualTo(call.requestId());
        assertThat(Instant.parse(e.path("at").asText())).isEqualTo(NOW);
        return e;
    }

    /** An admin's removal at {@code route} records {@code action} on {@code target} once; removing it again records nothing. */
    static void assertRemovedOnce(TenantId tenant, String route, Map<String, String> params, String action, String target) {
        int before = rawEvents(tenant).size();
        assertOneNewEvent(tenant, before, as(tenant, "admin", "DELETE", route, params, null), "key:admin", "admin", action, target);
        assertRefusedWithoutEvent(tenant, as(tenant, "admin", "DELETE", route, params, null), 404);
    }

    static void assertRefusedWithoutEvent(TenantId tenant, Call call, int status) {
        int before = rawEvents(tenant).size();
        assertThat(call.status()).as(call.response().getBody()).isEqualTo(status);
        assertThat(rawEvents(tenant)).as("a refused change records nothing").hasSize(before);
    }

    @Test
    void theOperatorsRoutesRecordTheTenantAndEachKeyWithTheSignerAsActor() {
        APIGatewayV2HTTPResponse created = api.handleRequest(TenantAdminTest.signed("/v1/admin/tenants", Map.of(), "{\"name\":\"op-audit\"}"), null);
        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);
        TenantId tenant = TenantId.of("op-audit");
        String adminKey = Json.tree(created.getBody()).path("apiKey").asText();
        JsonNode first = events(tenant).get(0);
        assertThat(events(tenant)).hasSize(1);
        assertThat(first.path("action").asText()).isEqualTo("TENANT_CREATED");
        assertThat(first.path("actor").asText()).isEqualTo(TenantAdminTest.OPERATOR);
        assertThat(first.path("role").asText()).isEqualTo("operator");
        assertThat(first.path("target").asText()).isEqualTo("op-audit");
        assertThat(first.path("detail").path("keyId").asText()).isEqualTo(adminKey.split("_")[2]);

        Call key = call(TenantAdminTest.signed("/v1/admin/tenants/{tenant}/keys", Map.of("tenant", "op-audit"), "{\"role\":\"reviewer\"}"));
        String reviewerKey = key.body().path("apiKey").asText();
        JsonNode issued = assertOneNewEvent(tenant, 1, key, TenantAdminTest.OPERATOR, "operator", "API_KEY_CREATED", reviewerKey.split("_")[2]);
        assertThat(issued.path("detail").path("role").asText()).isEqualTo("reviewer");

        Call budget = call(TenantAdminTest.signed("PATCH", "/v1/admin/tenants/{tenant}", Map.of("tenant", "op-audit"), "{\"dailyTokens\":50000}"));
        JsonNode set = assertOneNewEvent(tenant, 2, budget, TenantAdminTest.OPERATOR, "operator", "TENANT_BUDGET_SET", "op-audit");
        assertThat(set.path("detail").path("budget").asText()).isEqualTo("dailyTokens 50000");
        assertRefusedWithoutEvent(tenant, call(TenantAdminTest.signed("PATCH", "/v1/admin/tenants/{tenant}", Map.of("tenant", "op-audit"),
                "{\"dailyTokens\":-1}")), 400);
        assertRefusedWithoutEvent(tenant, call(TenantAdminTest.unsigned("PATCH", "/v1/admin/tenants/{tenant}", Map.of("tenant", "op-audit"),
                "{\"dailyTokens\":1}")), 403);

        assertRefusedWithoutEvent(tenant, call(TenantAdminTest.signed("/v1/admin/tenants", Map.of(), "{\"name\":\"op-audit\"}")), 409);
        assertRefusedWithoutEvent(tenant, call(TenantAdminTest.signed("/v1/admin/tenants/{tenant}/keys", Map.of("tenant", "op-audit"),
                "{\"role\":\"owner\"}")), 400);
        assertRefusedWithoutEvent(tenant, call(TenantAdminTest.unsigned("/v1/admin/tenants/{tenant}/keys", Map.of("tenant", "op-audit"),
                "{\"role\":\"admin\"}")), 403);
        assertNoCredentialIn(tenant, adminKey, reviewerKey, adminKey.split("_")[3], reviewerKey.split("_")[3]);
    }

    @Test
    void connectionChangesRecordTheVendorAndItsFieldsButNeverTheToken() {
        TenantId t = TenantId.of("conn-audit");
        String zendesk = "{\"subdomain\":\"acme\",\"email\":\"agent@acme.test\",\"token\":\"" + ZENDESK_TOKEN + "\"}";
        assertRefusedWithoutEvent(t, as(t, "member", "PUT", "/v1/connections/{vendor}", Map.of("vendor", "zendesk"), zendesk), 403);
        assertRefusedWithoutEvent(t, as(t, "admin", "PUT", "/v1/connections/{vendor}", Map.of("vendor", "zendesk"), "{\"subdomain\":\"acme\"}"), 400);
        assertRefusedWithoutEvent(t, as(t, "admin", "PUT", "/v1/connections/{vendor}", Map.of("vendor", "salesforce"), zendesk), 404);
        assertRefusedWithoutEvent(t, as(t, "admin", "DELETE", "/v1/connections/{vendor}", Map.of("vendor", "zendesk"), null), 404);

        JsonNode saved = assertOneNewEvent(t, 0, as(t, "admin", "PUT", "/v1/connections/{vendor}", Map.of("vendor", "zendesk"), zendesk),
                "key:admin", "admin", "CONNECTION_SAVED", "zendesk");
        assertThat(saved.path("detail").path("fields").asText()).isEqualTo("email=agent@acme.test, subdomain=acme");
        assertRemovedOnce(t, "/v1/connections/{vendor}", Map.of("vendor", "zendesk"), "CONNECTION_REMOVED", "zendesk");
        assertNoCredentialIn(t, ZENDESK_TOKEN);
    }

    @Test
    void webhookChangesRecordTheAgentAndEventsButNeverTheSecret() {
        TenantId t = TenantId.of("hook-audit");
        stores.agents().put(t, new AgentTemplate("triage", "", "Triage the ticket.", 5, 8, Json.tree("{\"type\":\"object\"}")));
        String body = "{\"agent\":\"triage\",\"secret\":\"" + WEBHOOK_SECRET + "\",\"events\":[\"zen:event-type:ticket.created\"]}";
        assertRefusedWithoutEvent(t, as(t, "reviewer", "PUT", "/v1/webhooks/{source}", Map.of("source", "zendesk"), body), 403);
        assertRefusedWithoutEvent(t, as(t, "admin", "PUT", "/v1/webhooks/{source}", Map.of("source", "zendesk"),
                "{\"agent\":\"triage\",\"secret\":\"short\"}"), 400);
        assertRefusedWithoutEvent(t, as(t, "admin", "PUT", "/v1/webhooks/{source}", Map.of("source", "zendesk"),
                "{\"agent\":\"nobody\",\"secret\":\"" + WEBHOOK_SECRET + "\"}"), 404);

        JsonNode saved = assertOneNewEvent(t, 0, as(t, "admin", "PUT", "/v1/webhooks/{source}", Map.of("source", "zendesk"), body),
                "key:admin", "admin", "WEBHOOK_SAVED", "zendesk");
        assertThat(saved.path("detail").path("agent").asText()).isEqualTo("triage");
        assertThat(saved.path("detail").path("events").asText()).isEqualTo("zen:event-type:ticket.created");
        assertRemovedOnce(t, "/v1/webhooks/{source}", Map.of("source", "zendesk"), "WEBHOOK_REMOVED", "zendesk");
        assertNoCredentialIn(t, WEBHOOK_SECRET);
    }

    @Test
    void aPublishedPolicyRecordsItsVersionAndAStaleOrInvalidOneNothing() {
        TenantId t = TenantId.of("policy-audit");
        String v1 = PoliciesApiTest.saveBody(PoliciesApiTest.POLICY, 0, "first cut");
        assertRefusedWithoutEvent(t, as(t, "member", "PUT", "/v1/policy", Map.of(), v1), 403);
        assertRefusedWithoutEvent(t, as(t, "admin", "PUT", "/v1/policy", Map.of(), PoliciesApiTest.saveBody("permit(", 0, "broken")), 400);

        JsonNode published = assertOneNewEvent(t, 0, as(t, "admin", "PUT", "/v1/policy", Map.of(), v1), "key:admin", "admin", "POLICY_PUBLISHED", "1");
        assertThat(published.path("detail").path("comment").asText()).isEqualTo("first cut");
        assertRefusedWithoutEvent(t, as(t, "admin", "PUT", "/v1/policy", Map.of(), v1), 409); // still based on version 0
        assertOneNewEvent(t, 1, as(t, "admin", "PUT", "/v1/policy", Map.of(), PoliciesApiTest.saveBody(PoliciesApiTest.POLICY, 1, "")),
                "key:admin", "admin", "POLICY_PUBLISHED", "2");
        assertThat(list(t, Map.of()).body().path("events").findValues("detail").stream().filter(d -> d.size() == 0).count())
                .as("no comment, no detail").isEqualTo(1);
    }

    @Test
    void aReviewDecisionRecordsTheDeciderAndTheLoserOfARaceNothing() {
        TenantId t = TenantId.of("review-audit");
        RunId run = RunId.random();
        stores.runs().create(RunRecord.queued(t, run, "support-agent", "Refund the customer", NOW)); // not waiting: nothing to resume
        ReviewRecord review = new ReviewRecord(t, ReviewRecord.newId(), run, "support-agent", 2, "call_1", "send_email", "EXTERNAL_WRITE",
                Json.tree("{\"to\":[\"a@example.com\"]}"), "hash", null, "asks a person", ReviewStatus.PENDING, null, NOW, NOW.plusSeconds(3600));
        stores.reviews().create(review);
        Map<String, String> id = Map.of("id", review.id());

        assertRefusedWithoutEvent(t, as(t, "member", "POST", "/v1/reviews/{id}/decision", id, "{\"decision\":\"approve\"}"), 403);
        assertRefusedWithoutEvent(t, as(t, "reviewer", "POST", "/v1/reviews/{id}/decision", id, "{\"decision\":\"maybe\"}"), 400);
        JsonNode decided = assertOneNewEvent(t, 0, as(t, "reviewer", "POST", "/v1/reviews/{id}/decision", id, "{\"decision\":\"reject\"}"),
                "key:reviewer", "reviewer", "REVIEW_DECIDED", review.id());
        assertThat(decided.path("detail").path("decision").asText()).isEqualTo("reject");
        assertThat(decided.path("detail").path("runId").asText()).isEqualTo(run.value());
        assertThat(decided.path("detail").path("tool").asText()).isEqualTo("send_email");
        assertThat(decided.path("detail").has("payload")).as("the payload may hold personal data; it stays on the review").isFalse();
        assertRefusedWithoutEvent(t, as(t, "admin", "POST", "/v1/reviews/{id}/decision", id, "{\"decision\":\"approve\"}"), 409);
    }

    @Test
    void aRemovedDocumentRecordsItsIdAndName() {
        TenantId t = TenantId.of("doc-audit");
        DocumentRecord doc = DocumentRecord.queued(t, DocumentId.random(), "herons.txt", 10, "k", "a".repeat(64), null, NOW);
        stores.documents().put(doc);
        Map<String, String> id = Map.of("id", doc.id().value());
        assertRefusedWithoutEvent(t, as(t, "reviewer", "DELETE", "/v1/documents/{id}", id, null), 403);

        JsonNode removed = assertOneNewEvent(t, 0, as(t, "admin", "DELETE", "/v1/documents/{id}", id, null),
                "key:admin", "admin", "DOCUMENT_REMOVED", doc.id().value());
        assertThat(removed.path("detail").path("name").asText()).isEqualTo("herons.txt");
        assertRefusedWithoutEvent(t, as(t, "admin", "DELETE", "/v1/documents/{id}", id, null), 404);
    }

    @Test
    void readingTheTrailIsForAdminsNewestFirstAPageAtATime() {
        TenantId t = TenantId.of("read-audit");
        for (String vendor : List.of("zendesk", "hubspot", "zendesk")) {
            String body = vendor.equals("zendesk") ? "{\"subdomain\":\"acme\",\"email\":\"a@acme.test\",\"token\":\"" + ZENDESK_TOKEN + "\"}"
                    : "{\"token\":\"pat-na1-11111111-2222\"}";
            assertThat(as(t, "admin", "PUT", "/v1/connections/{vendor}", Map.of("vendor", vendor), body).status()).isEqualTo(200);
        }
        assertThat(as(t, "admin", "DELETE", "/v1/connections/{vendor}", Map.of("vendor", "hubspot"), null).status()).isEqualTo(200);

        for (String role : List.of("member", "reviewer")) {
            assertError(as(t, role, "GET", "/v1/audit", Map.of(), null).response(), 403, "cannot read the audit trail");
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = list(t, cursor == null ? Map.of("limit", "3") : Map.of("limit", "3", "cursor", cursor)).body();
            page.path("events").forEach(e -> seen.add(e.path("action").asText() + " " + e.path("target").asText()));
            page.path("events").forEach(e -> assertThat(e.path("actor").asText()).isEqualTo("key:admin"));
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(seen).hasSize(4).containsExactlyInAnyOrder("connection.saved zendesk", "connection.saved hubspot",
                "connection.saved zendesk", "connection.removed hubspot");
        assertThat(pages).isEqualTo(2);

        JsonNode removals = list(t, Map.of("action", "connection.removed")).body().path("events");
        assertThat(removals).hasSize(1);
        assertThat(removals.get(0).path("eventId").asText()).hasSize(12);
        assertThat(removals.get(0).path("requestId").asText()).startsWith("req-");
        assertThat(list(t, Map.of("since", NOW.toString(), "until", NOW.plusSeconds(1).toString())).body().path("events")).hasSize(4);
        assertThat(list(t, Map.of("until", NOW.toString())).body().path("events")).isEmpty();
        assertThat(list(t, Map.of("since", NOW.plusSeconds(1).toString())).body().path("events")).isEmpty();
    }

    @Test
    void badParametersAreRefusedByName() {
        TenantId t = TenantId.of("params-audit");
        assertError(list(t, Map.of("limit", "0")).response(), 400, "'limit'");
        assertError(list(t, Map.of("limit", "many")).response(), 400, "'limit'");
        assertError(list(t, Map.of("action", "policy.deleted")).response(), 400, "unknown 'action' 'policy.deleted'");
        assertError(list(t, Map.of("since", "yesterday")).response(), 400, "'since' must be a UTC time");
        assertError(list(t, Map.of("until", "2026-13-01")).response(), 400, "'until' must be a UTC time");
        assertError(list(t, Map.of("since", NOW.toString(), "until", NOW.toString())).response(), 400, "'since' must be before 'until'");
        assertError(list(t, Map.of("cursor", "garbage")).response(), 400, "'cursor'");
    }

    @Test
    void aTenantSeesOnlyItsOwnEventsAndCannotUseAnotherTenantsCursor() {
        TenantId a = TenantId.of("tenant-a-audit");
        TenantId b = TenantId.of("tenant-b-audit");
        for (int i = 0; i < 2; i++) {
            as(a, "admin", "PUT", "/v1/connections/{vendor}", Map.of("vendor", "hubspot"), "{\"token\":\"pat-na1-a-" + i + "-0000\"}");
        }
        as(b, "admin", "PUT", "/v1/connections/{vendor}", Map.of("vendor", "zendesk"),
                "{\"subdomain\":\"b\",\"email\":\"b@b.test\",\"token\":\"" + ZENDESK_TOKEN + "\"}");

        JsonNode bEvents = list(b, Map.of()).body().path("events");
        assertThat(bEvents).hasSize(1);
        assertThat(bEvents.get(0).path("target").asText()).isEqualTo("zendesk");
        String aCursor = list(a, Map.of("limit", "1")).body().path("nextCursor").asText();
        assertError(list(b, Map.of("cursor", aCursor)).response(), 400, "another listing");
    }

    private static Call list(TenantId tenant, Map<String, String> query) {
        APIGatewayV2HTTPEvent event = WebhooksApiTest.as(tenant, "admin", "GET", "/v1/audit", Map.of(), null);
        event.setQueryStringParameters(new HashMap<>(query));
        return call(event);
    }

    /** No stored byte of the tenant's trail holds any of {@code secrets}. */
    private static void assertNoCredentialIn(TenantId tenant, String... secrets) {
        String raw = rawEvents(tenant).toString();
        assertThat(raw).isNotEmpty();
        for (String secret : secrets) {
            assertThat(raw).as("the audit trail holds a credential").doesNotContain(secret);
        }
    }
}
