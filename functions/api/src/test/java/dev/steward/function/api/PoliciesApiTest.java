package dev.steward.function.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.json.Json;
import dev.steward.store.StewardTable;
import dev.steward.store.Stores;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The policy routes through the real handler, over DynamoDB Local; S3 and Step Functions are never reached. */
class PoliciesApiTest {
    static AmazonDynamoDBLocal dynamo;
    static ApiHandler api;
    static final String POLICY = """
            @id("reads")
            permit (principal, action, resource) when { resource.side_effect == "READ" };
            @id("email")
            permit (principal, action == Action::"execute", resource == Tool::"send_email");
            @id("email-inside")
            permit (principal, action == Action::"execute_without_review", resource == Tool::"send_email")
            when { !context.recipient_domains.isEmpty() && context.recipients_outside_allowlist.isEmpty() };
            """;

    @BeforeAll
    static void start() {
        dynamo = DynamoDBEmbedded.create(false);
        StewardTable table = new StewardTable(dynamo.dynamoDbClient(), "steward-test");
        table.createIfMissing();
        api = UnreachableServices.handler(Stores.over(table));
    }

    @AfterAll
    static void stop() {
        dynamo.shutdown();
    }

    record Reply(int status, JsonNode body) {
        String code() {
            return body.path("error").path("code").asText();
        }
    }

    static Reply call(String tenant, String role, String method, String path, String routePath, Map<String, String> params, String body) {
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withRouteKey(method + " " + routePath)
                .withRawPath(path)
                .withPathParameters(params)
                .withBody(body)
                .withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path).build())
                        .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                                .withLambda(Map.of("tenantId", tenant, "principalId", "key:" + tenant + "-" + role, "role", role)).build())
                        .build())
                .build();
        APIGatewayV2HTTPResponse r = api.handleRequest(event, null);
        return new Reply(r.getStatusCode(), Json.tree(r.getBody()));
    }

    static Reply get(String tenant, String path) {
        return call(tenant, "member", "GET", path, path, null, null);
    }

    static Reply put(String tenant, String role, String body) {
        return call(tenant, role, "PUT", "/v1/policy", "/v1/policy", null, body);
    }

    static Reply evaluate(String tenant, String role, String body) {
        return call(tenant, role, "POST", "/v1/policy/evaluate", "/v1/policy/evaluate", null, body);
    }

    static Reply version(String tenant, String n) {
        return call(tenant, "member", "GET", "/v1/policy/versions/" + n, "/v1/policy/versions/{version}", Map.of("version", n), null);
    }

    static String saveBody(String policy, long expected, String comment) {
        return Json.write(Json.object().put("policy", policy).put("expectedVersion", expected).put("comment", comment)
                .set("emailDomains", Json.tree("[\"Example.com\"]")));
    }

    @Test
    void aTenantWithNoPolicySeesTheBaselineAtVersionZero() {
        Reply r = get("fresh", "/v1/policy");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("version").asLong()).isZero();
        assertThat(r.body().path("baseline").asBoolean()).isTrue();
        assertThat(r.body().path("policy").asText()).contains("@id(\"baseline-external-writes\")");
        assertThat(get("fresh", "/v1/policy/versions").body().path("versions")).isEmpty();
        Reply d = evaluate("fresh", "admin", "{\"agent\":\"support-agent\",\"tool\":\"send_email\",\"sideEffect\":\"EXTERNAL_WRITE\","
                + "\"arguments\":{\"to\":[\"a@example.com\"]}}");
        assertThat(d.status()).isEqualTo(200);
        assertThat(d.body().path("effect").asText()).isEqualTo("ASK");
        assertThat(d.body().path("rule").asText()).isEqualTo("baseline-external-writes");
        assertThat(d.body().path("version").asLong()).isZero();
    }

    @Test
    void anAdminSavesVersionsAndEveryoneInTheTenantReadsThem() {
        Reply v1 = put("saver", "admin", saveBody(POLICY, 0, "first"));
        assertThat(v1.status()).isEqualTo(200);
        assertThat(v1.body().path("version").asLong()).isEqualTo(1);
        assertThat(v1.body().path("emailDomains").toString()).isEqualTo("[\"example.com\"]");
        assertThat(v1.body().path("author").asText()).isEqualTo("key:saver-admin");
        Reply v2 = put("saver", "admin", saveBody(POLICY + "\n// tweak\n", 1, "second"));
        assertThat(v2.body().path("version").asLong()).isEqualTo(2);

        Reply current = get("saver", "/v1/policy");
        assertThat(current.body().path("version").asLong()).isEqualTo(2);
        assertThat(current.body().path("baseline").asBoolean()).isFalse();
        assertThat(current.body().path("policy").asText()).endsWith("// tweak\n");
        Reply list = get("saver", "/v1/policy/versions");
        assertThat(list.body().path("versions")).hasSize(2);
        assertThat(list.body().path("versions").get(0).path("comment").asText()).isEqualTo("second");
        assertThat(list.body().path("versions").get(1).path("createdAt").asText()).isEqualTo("2026-05-01T12:00:00Z");
        assertThat(version("saver", "1").body().path("policy").asText()).isEqualTo(POLICY);
        assertThat(version("saver", "0").body().path("baseline").asBoolean()).isTrue();
        assertThat(version("saver", "3").status()).isEqualTo(404);
        assertThat(version("saver", "x").status()).isEqualTo(400);

        Reply inside = evaluate("saver", "admin", "{\"agent\":\"support-agent\",\"tool\":\"send_email\",\"sideEffect\":\"EXTERNAL_WRITE\","
                + "\"arguments\":{\"to\":[\"a@sub.example.com\"]}}");
        assertThat(inside.body().path("effect").asText()).isEqualTo("ALLOW");
        assertThat(inside.body().path("rule").asText()).isEqualTo("email-inside");
        assertThat(inside.body().path("version").asLong()).isEqualTo(2);
        Reply unknownTool = evaluate("saver", "admin", "{\"agent\":\"support-agent\",\"tool\":\"crm_delete\",\"sideEffect\":\"EXTERNAL_WRITE\"}");
        assertThat(unknownTool.body().path("effect").asText()).isEqualTo("DENY");
        assertThat(unknownTool.body().path("rule").asText()).isEqualTo("default-deny");
        Reply onBaseline = evaluate("saver", "admin", "{\"version\":0,\"agent\":\"a\",\"tool\":\"crm_delete\",\"sideEffect\":\"READ\"}");
        assertThat(onBaseline.body().path("rule").asText()).isEqualTo("baseline-reads");
        Reply draft = evaluate("saver", "admin", "{\"policy\":\"@id(\\\"nothing\\\") forbid (principal, action, resource);\","
                + "\"agent\":\"a\",\"tool\":\"search\",\"sideEffect\":\"READ\"}");
        assertThat(draft.body().path("rule").asText()).isEqualTo("nothing");
        assertThat(get("saver", "/v1/policy").body().path("version").asLong()).isEqualTo(2); // a dry run saves nothing
    }

    @Test
    void aStaleSaveGets409AndChangesNothing() {
        assertThat(put("stale", "admin", saveBody(POLICY, 0, "a")).status()).isEqualTo(200);
        Reply lost = put("stale", "admin", saveBody(POLICY + "// other\n", 0, "b"));
        assertThat(lost.status()).isEqualTo(409);
        assertThat(lost.code()).isEqualTo("version_conflict");
        assertThat(lost.body().path("error").path("message").asText()).contains("version 1, not 0");
        assertThat(put("stale", "admin", saveBody(POLICY, 7, "c")).status()).isEqualTo(409);
        assertThat(get("stale", "/v1/policy/versions").body().path("versions")).hasSize(1);
    }

    @Test
    void anInvalidPolicyGets400WithCedarsMessageAndIsNotStored() {
        Reply bad = put("invalid", "admin", saveBody("@id(\"x\") permit (principal, action, resource) when { context.amont > 1 };", 0, ""));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.code()).isEqualTo("invalid_policy");
        assertThat(bad.body().path("error").path("message").asText()).contains("@id(\"x\")").contains("amont");
        Reply syntax = put("invalid", "admin", saveBody("permit (principal, action, resource", 0, ""));
        assertThat(syntax.code()).isEqualTo("invalid_policy");
        assertThat(syntax.body().path("error").path("message").asText()).contains("does not parse as Cedar");
        Reply domain = put("invalid", "admin", "{\"policy\":\"\",\"expectedVersion\":0,\"emailDomains\":[\"not a domain\"]}");
        assertThat(domain.code()).isEqualTo("invalid_policy");
        assertThat(put("invalid", "admin", "{\"policy\":\"\"}").code()).isEqualTo("invalid_request");
        assertThat(put("invalid", "admin", "{\"policy\":3,\"expectedVersion\":0}").code()).isEqualTo("invalid_request");
        assertThat(put("invalid", "admin", "{\"policy\":\"\",\"expectedVersion\":-1}").code()).isEqualTo("invalid_request");
        assertThat(put("invalid", "admin", "{\"policy\":\"\",\"expectedVersion\":0,\"emailDomains\":\"x.com\"}").code()).isEqualTo("invalid_request");
        assertThat(put("invalid", "admin", "not json").code()).isEqualTo("malformed_json");
        assertThat(evaluate("invalid", "admin", "{\"agent\":\"a\",\"tool\":\"t\",\"sideEffect\":\"WRITE\"}").code()).isEqualTo("invalid_request");
        assertThat(evaluate("invalid", "admin", "{\"agent\":\" \",\"tool\":\"t\",\"sideEffect\":\"READ\"}").code()).isEqualTo("invalid_request");
        assertThat(evaluate("invalid", "admin", "{\"agent\":\"a\",\"tool\":\"t\",\"sideEffect\":\"READ\",\"arguments\":[1]}").code())
                .isEqualTo("invalid_request");
        assertThat(evaluate("invalid", "admin", "{\"policy\":\"permit\",\"agent\":\"a\",\"tool\":\"t\",\"sideEffect\":\"READ\"}").code())
                .isEqualTo("invalid_policy");
        assertThat(get("invalid", "/v1/policy").body().path("version").asLong()).isZero();
    }

    @Test
    void onlyAdminsSaveOrEvaluate() {
        for (String role : new String[] {"member", "reviewer"}) {
            Reply r = put("roles", role, saveBody(POLICY, 0, ""));
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.code()).isEqualTo("forbidden");
            assertThat(evaluate("roles", role, "{\"agent\":\"a\",\"tool\":\"t\",\"sideEffect\":\"READ\"}").status()).isEqualTo(403);
        }
        assertThat(get("roles", "/v1/policy").body().path("version").asLong()).isZero();
    }

    @Test
    void tenantBNeverReadsOrIsDecidedByTenantAsPolicy() {
        String secret = POLICY + "\n@id(\"a-only-secret\") permit (principal, action, resource == Tool::\"wire_money\");\n";
        assertThat(put("tenant-a", "admin", saveBody(secret, 0, "a's")).status()).isEqualTo(200);

        Reply b = get("tenant-b", "/v1/policy");
        assertThat(b.body().path("version").asLong()).isZero();
        assertThat(b.body().path("policy").asText()).doesNotContain("a-only-secret");
        assertThat(get("tenant-b", "/v1/policy/versions").body().path("versions")).isEmpty();
        Reply bv1 = version("tenant-b", "1");
        assertThat(bv1.status()).isEqualTo(404);
        assertThat(bv1.code()).isEqualTo("not_found");
        Reply decided = evaluate("tenant-b", "admin", "{\"agent\":\"a\",\"tool\":\"wire_money\",\"sideEffect\":\"EXTERNAL_WRITE\"}");
        assertThat(decided.body().path("effect").asText()).isEqualTo("ASK");
        assertThat(decided.body().path("rule").asText()).isEqualTo("baseline-external-writes");
        assertThat(evaluate("tenant-b", "admin", "{\"version\":1,\"agent\":\"a\",\"tool\":\"t\",\"sideEffect\":\"READ\"}").status())
                .isEqualTo(404);
        // B's first save is B's version 1; A's policy is untouched.
        assertThat(put("tenant-b", "admin", saveBody(POLICY, 0, "b's")).body().path("version").asLong()).isEqualTo(1);
        assertThat(get("tenant-a", "/v1/policy").body().path("policy").asText()).contains("a-only-secret");
        assertThat(version("tenant-b", "1").body().path("policy").asText()).doesNotContain("a-only-secret");
    }
    @Test
    void theDefaultPolicySavesUnderTheSchemaAndAsksBeforeEveryTicketCommentOrCrmNote() throws Exception {
        String defaults = java.nio.file.Files.readString(java.nio.file.Path.of("../../templates/policies/default.cedar"));
        Reply saved = put("helpdesk", "admin", saveBody(defaults, 0, "default policy"));
        assertThat(saved.status()).as(saved.body().toString()).isEqualTo(200);

        Reply reply = evaluate("helpdesk", "admin", "{\"agent\":\"support-agent\",\"tool\":\"zendesk_comment\",\"sideEffect\":\"EXTERNAL_WRITE\","
                + "\"arguments\":{\"ticketId\":35436,\"body\":\"Hi\",\"public\":true}}");
        assertThat(reply.body().path("effect").asText()).isEqualTo("ASK");
        assertThat(reply.body().path("rule").asText()).isEqualTo("zendesk-public-replies");
        Reply note = evaluate("helpdesk", "admin", "{\"agent\":\"support-agent\",\"tool\":\"zendesk_comment\",\"sideEffect\":\"EXTERNAL_WRITE\","
                + "\"arguments\":{\"ticketId\":35436,\"body\":\"Internal\",\"public\":false}}");
        assertThat(note.body().path("effect").asText()).isEqualTo("ASK");
        assertThat(note.body().path("rule").asText()).isEqualTo("zendesk-comments-with-approval");
        Reply crm = evaluate("helpdesk", "admin", "{\"agent\":\"support-agent\",\"tool\":\"crm_add_note\",\"sideEffect\":\"EXTERNAL_WRITE\","
                + "\"arguments\":{\"body\":\"n\",\"associations\":[{\"objectType\":\"deal\",\"id\":\"9001\"}]}}");
        assertThat(crm.body().path("effect").asText()).isEqualTo("ASK");
        assertThat(crm.body().path("rule").asText()).isEqualTo("crm-writes-with-approval");
    }
}
