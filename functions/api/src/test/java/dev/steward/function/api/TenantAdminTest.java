package dev.steward.function.api;

import static dev.steward.function.api.WebhooksApiTest.as;
import static dev.steward.function.api.WebhooksApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.agent.AgentTemplate;
import dev.steward.core.json.Json;
import dev.steward.core.tenant.Role;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.Stores;
import dev.steward.store.tenant.ApiKeyRecord;
import dev.steward.store.tenant.ApiKeys;
import dev.steward.store.tenant.TenantLimit;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's routes through the real handler over DynamoDB Local: a tenant comes with the template agents and
 * an admin key its tenant can use, further keys carry their role, bad input is a 400, a second create a 409, an
 * unknown tenant a 404, and a request without an IAM identity (an API key's included) a 403 that changes nothing.
 */
class TenantAdminTest {
    static final String OPERATOR = "arn:aws:iam::123456789012:user/ops";
    static EmbeddedTable table;
    static Stores stores;
    static ApiHandler api;

    @BeforeAll
    static void start() {
        table = EmbeddedTable.start();
        stores = table.stores();
        api = UnreachableServices.handler(stores);
    }

    @AfterAll
    static void stop() {
        table.close();
    }

    /** A request as API Gateway's IAM authorizer passes it on: the signer in {@code authorizer.iam}. */
    static APIGatewayV2HTTPEvent signed(String route, Map<String, String> params, String body) {
        return signed("POST", route, params, body);
    }

    static APIGatewayV2HTTPEvent signed(String method, String route, Map<String, String> params, String body) {
        APIGatewayV2HTTPEvent event = unsigned(method, route, params, body);
        event.getRequestContext().setAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                .withIam(APIGatewayV2HTTPEvent.RequestContext.IAM.builder()
                        .withAccountId("123456789012").withCallerId("AIDAEXAMPLE").withUserId("AIDAEXAMPLE")
                        .withAccessKey("AKIAEXAMPLE").withUserArn(OPERATOR).build())
                .build());
        return event;
    }

    /** A request that carries no IAM identity (nor any other authorizer's context). */
    static APIGatewayV2HTTPEvent unsigned(String route, Map<String, String> params, String body) {
        return unsigned("POST", route, params, body);
    }

    static APIGatewayV2HTTPEvent unsigned(String method, String route, Map<String, String> params, String body) {
        APIGatewayV2HTTPEvent event = as(TenantId.of("nobody"), "admin", method, route, params, body);
        event.getRequestContext().setAuthorizer(null);
        return event;
    }

    static APIGatewayV2HTTPResponse createTenant(String body) {
        return api.handleRequest(signed("/v1/admin/tenants", Map.of(), body), null);
    }

    static APIGatewayV2HTTPResponse createKey(String tenant, String body) {
        return api.handleRequest(signed("/v1/admin/tenants/{tenant}/keys", Map.of("tenant", tenant), body), null);
    }

    /** The stored record of an issued key, after checking that the key matches its stored hash. */
    static ApiKeyRecord stored(String key) {
        ApiKeys.ParsedKey parsed = ApiKeys.parse(key).orElseThrow();
        ApiKeyRecord record = stores.tenants().findKey(parsed.tenant(), parsed.keyId()).orElseThrow();
        assertThat(UnreachableServices.KEYS.matches(key, record.hash())).isTrue();
        return record;
    }

    @Test
    void aNewTenantGetsTheTemplateAgentsAndAnAdminKey() throws IOException {
        APIGatewayV2HTTPResponse created = createTenant("{\"name\":\"acme\"}");

        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);
        JsonNode body = Json.tree(created.getBody());
        assertThat(body.path("tenantId").asText()).isEqualTo("acme");
        assertThat(body.path("role").asText()).isEqualTo("admin");
        String key = body.path("apiKey").asText();
        assertThat(key).startsWith("stw_acme_");
        ApiKeyRecord record = stored(key);
        assertThat(record.role()).isEqualTo(Role.ADMIN);
        assertThat(record.label()).isEqualTo("tenant created by " + OPERATOR);

        List<String> templates = AgentTemplates.in(Path.of("../../templates/agents")).stream().map(AgentTemplate::name).toList();
        assertThat(templates).contains("knowledge-assistant", "support-agent", "sales-agent");
        assertThat(stores.agents().list(TenantId.of("acme")).stream().map(AgentTemplate::name))
                .containsExactlyInAnyOrderElementsOf(templates);
        // the tenant's own API sees them
        APIGatewayV2HTTPResponse agents = api.handleRequest(as(TenantId.of("acme"), "admin", "GET", "/v1/agents", Map.of(), null), null);
        assertThat(agents.getStatusCode()).isEqualTo(200);
        assertThat(agents.getBody()).contains("knowledge-assistant");
    }

    @Test
    void aSecondCreateIsA409ThatChangesNothing() {
        String first = Json.tree(createTenant("{\"name\":\"globex\"}").getBody()).path("apiKey").asText();

        APIGatewayV2HTTPResponse again = createTenant("{\"name\":\"globex\"}");

        assertError(again, 409, "tenant 'globex' already exists");
        assertThat(Json.tree(again.getBody()).path("error").path("code").asText()).isEqualTo("tenant_exists");
        assertThat(stored(first).role()).isEqualTo(Role.ADMIN);
    }

    @Test
    void aBadNameIsA400() {
        for (String body : List.of("{}", "{\"name\":\"A\"}", "{\"name\":\"Acme\"}", "{\"name\":\"1acme\"}", "{\"name\":\"acme_corp\"}",
                "[\"acme\"]")) {
            APIGatewayV2HTTPResponse r = createTenant(body);
            assertError(r, 400, "'name' must be 2-40 lower-case letters");
            assertThat(Json.tree(r.getBody()).path("error").path("code").asText()).as(body).isEqualTo("invalid_request");
        }
        APIGatewayV2HTTPResponse malformed = createTenant("{\"name\":");
        assertThat(malformed.getStatusCode()).isEqualTo(400);
        assertThat(Json.tree(malformed.getBody()).path("error").path("code").asText()).isEqualTo("malformed_json");
        assertThat(stores.tenants().find(TenantId.of("acme-corp"))).isEmpty();
    }

    @Test
    void aTenantGetsFurtherKeysOfEachRole() {
        assertThat(createTenant("{\"name\":\"initech\"}").getStatusCode()).isEqualTo(201);
        for (Role role : Role.values()) {
            APIGatewayV2HTTPResponse issued = createKey("initech", "{\"role\":\"" + role.wire() + "\"}");

            assertThat(issued.getStatusCode()).as(issued.getBody()).isEqualTo(201);
            JsonNode body = Json.tree(issued.getBody());
            assertThat(body.path("tenantId").asText()).isEqualTo("initech");
            assertThat(body.path("role").asText()).isEqualTo(role.wire());
            ApiKeyRecord record = stored(body.path("apiKey").asText());
            assertThat(record.role()).isEqualTo(role);
            assertThat(record.label()).isEqualTo("issued by " + OPERATOR);
        }
    }

    @Test
    void anUnknownRoleIsA400AndAnUnknownTenantA404() {
        assertThat(createTenant("{\"name\":\"hooli\"}").getStatusCode()).isEqualTo(201);

        assertError(createKey("hooli", "{\"role\":\"owner\"}"), 400, "unknown role 'owner'");
        assertError(createKey("hooli", "{}"), 400, "use admin, reviewer or member");
        assertError(createKey("nobody", "{\"role\":\"member\"}"), 404, "tenant 'nobody' does not exist");
        assertError(createKey("Not_A_Tenant", "{\"role\":\"member\"}"), 404, "does not exist");
        assertThat(Json.tree(createKey("nobody", "{\"role\":\"member\"}").getBody()).path("error").path("code").asText())
                .isEqualTo("not_found");
    }

    @Test
    void withoutAnIamIdentityBothRoutesAre403AndChangeNothing() {
        assertThat(createTenant("{\"name\":\"umbrella\"}").getStatusCode()).isEqualTo(201);
        // no authorizer at all, and a tenant admin's API key (the Lambda authorizer's context)
        List<APIGatewayV2HTTPEvent> refused = List.of(
                unsigned("/v1/admin/tenants", Map.of(), "{\"name\":\"stark\"}"),
                unsigned("/v1/admin/tenants/{tenant}/keys", Map.of("tenant", "umbrella"), "{\"role\":\"admin\"}"),
                as(TenantId.of("umbrella"), "admin", "POST", "/v1/admin/tenants", Map.of(), "{\"name\":\"stark\"}"),
                as(TenantId.of("umbrella"), "admin", "POST", "/v1/admin/tenants/{tenant}/keys", Map.of("tenant", "umbrella"),
                        "{\"role\":\"admin\"}"));
        for (APIGatewayV2HTTPEvent event : refused) {
            APIGatewayV2HTTPResponse r = api.handleRequest(event, null);
            assertError(r, 403, "only SigV4-signed requests");
            assertThat(Json.tree(r.getBody()).path("error").path("code").asText()).isEqualTo("forbidden");
            assertThat(r.getBody()).doesNotContain("apiKey");
        }
        assertThat(stores.tenants().find(TenantId.of("stark"))).isEmpty();
    }

    static APIGatewayV2HTTPResponse settings(String tenant) {
        return api.handleRequest(signed("GET", "/v1/admin/tenants/{tenant}", Map.of("tenant", tenant), null), null);
    }

    static APIGatewayV2HTTPResponse updateSettings(String tenant, String body) {
        return api.handleRequest(signed("PATCH", "/v1/admin/tenants/{tenant}", Map.of("tenant", tenant), body), null);
    }

    @Test
    void theOperatorGivesATenantItsOwnDailyBudgetAndTakesItBackWhichTheTenantSeesInItsUsage() {
        assertThat(createTenant("{\"name\":\"budgeted\"}").getStatusCode()).isEqualTo(201);
        JsonNode before = Json.tree(settings("budgeted").getBody());
        assertThat(before.path("tenantId").asText()).isEqualTo("budgeted");
        assertThat(before.path("dailyTokens")).isEqualTo(Json.tree("{\"limit\":" + UnreachableServices.DAILY_TOKENS + ",\"source\":\"deployment\"}"));
        assertThat(before.path("runsPerMinute")).isEqualTo(Json.tree("{\"limit\":" + UnreachableServices.RUNS_PER_MINUTE + ",\"source\":\"deployment\"}"));

        APIGatewayV2HTTPResponse set = updateSettings("budgeted", "{\"dailyTokens\": 50000}");
        assertThat(set.getStatusCode()).as(set.getBody()).isEqualTo(200);
        assertThat(Json.tree(set.getBody()).path("dailyTokens")).isEqualTo(Json.tree("{\"limit\":50000,\"source\":\"tenant\"}"));
        assertThat(stores.tenants().find(TenantId.of("budgeted")).orElseThrow().own()).isEqualTo(Map.of(TenantLimit.DAILY_TOKENS, 50_000L));
        JsonNode usage = Json.tree(api.handleRequest(as(TenantId.of("budgeted"), "member", "GET", "/v1/usage", Map.of(), null), null).getBody());
        assertThat(usage.path("dailyTokens").asLong()).isEqualTo(50_000L);

        APIGatewayV2HTTPResponse back = updateSettings("budgeted", "{\"dailyTokens\": null}");
        assertThat(Json.tree(back.getBody()).path("dailyTokens").path("source").asText()).isEqualTo("deployment");
        assertThat(stores.tenants().find(TenantId.of("budgeted")).orElseThrow().own()).isEmpty();
        usage = Json.tree(api.handleRequest(as(TenantId.of("budgeted"), "member", "GET", "/v1/usage", Map.of(), null), null).getBody());
        assertThat(usage.path("dailyTokens").asLong()).isEqualTo(UnreachableServices.DAILY_TOKENS);
    }

    @Test
    void aBadBudgetIsA400NamingItAnUnknownTenantA404AndNeitherChangesAnything() {
        assertThat(createTenant("{\"name\":\"careful\"}").getStatusCode()).isEqualTo(201);
        assertThat(updateSettings("careful", "{\"dailyTokens\": 1234}").getStatusCode()).isEqualTo(200);
        for (String bad : List.of("{\"dailyTokens\": -1}", "{\"dailyTokens\": 1.5}", "{\"dailyTokens\": \"lots\"}",
                "{\"dailyTokens\": 1000000000001}", "{\"dailyTokens\": 99999999999999999999999}")) {
            assertError(updateSettings("careful", bad), 400, "'dailyTokens' must be a whole number from 0 to");
        }
        assertError(updateSettings("careful", "{}"), 400, "send one or more of 'dailyTokens', 'runsPerMinute'");
        assertError(updateSettings("careful", "[5]"), 400, "send one or more of 'dailyTokens', 'runsPerMinute'");
        assertError(updateSettings("careful", "{\"dailyTokens\": 5, \"model\": \"x\"}"), 400, "unknown field 'model'");
        assertError(updateSettings("careful", "{\"dailyTokens\": 5, \"runsPerMinute\": 100001}"), 400,
                "'runsPerMinute' must be a whole number from 0 to 100000");
        assertThat(stores.tenants().find(TenantId.of("careful")).orElseThrow().own()).isEqualTo(Map.of(TenantLimit.DAILY_TOKENS, 1234L));

        assertError(updateSettings("nobody", "{\"dailyTokens\": 5}"), 404, "tenant 'nobody' does not exist");
        assertError(settings("nobody"), 404, "tenant 'nobody' does not exist");
        assertError(settings("Not_A_Tenant"), 404, "does not exist");
        assertThat(stores.tenants().find(TenantId.of("nobody"))).isEmpty();
    }

    @Test
    void aTenantsOwnRunsPerMinuteRefusesTheStartsPastItWith429AndTheSecondsToWaitAndOnlyItsOwn() {
        assertThat(createTenant("{\"name\":\"hasty\"}").getStatusCode()).isEqualTo(201);
        assertThat(createTenant("{\"name\":\"patient\"}").getStatusCode()).isEqualTo(201);
        APIGatewayV2HTTPResponse set = updateSettings("hasty", "{\"runsPerMinute\": 2}");
        assertThat(Json.tree(set.getBody()).path("runsPerMinute")).isEqualTo(Json.tree("{\"limit\":2,\"source\":\"tenant\"}"));
        String ask = "{\"agent\":\"knowledge-assistant\",\"input\":\"What is our refund window?\"}";
        // an invalid start is refused for what it is, and not counted: the two after it are still admitted
        assertError(api.handleRequest(as(TenantId.of("hasty"), "member", "POST", "/v1/runs", Map.of(), "{\"agent\":\"ghost\",\"input\":\"x\"}"),
                null), 404, "agent 'ghost' does not exist");
        // the handler's clock stands at 12:00:00, so every start falls in one minute; the step functions are out of reach
        // here, so an admitted start ends 503 after it was counted
        for (int i = 0; i < 2; i++) {
            assertThat(api.handleRequest(as(TenantId.of("hasty"), "member", "POST", "/v1/runs", Map.of(), ask), null).getStatusCode())
                    .as("start " + (i + 1)).isNotEqualTo(429);
        }
        APIGatewayV2HTTPResponse refused = api.handleRequest(as(TenantId.of("hasty"), "member", "POST", "/v1/runs", Map.of(), ask), null);
        assertError(refused, 429, "may start 2 runs a minute");
        assertThat(Json.tree(refused.getBody()).path("error").path("code").asText()).isEqualTo("rate_limited");
        assertThat(refused.getHeaders()).containsEntry("Retry-After", "60");
        assertThat(api.handleRequest(as(TenantId.of("patient"), "member", "POST", "/v1/runs", Map.of(), ask), null).getStatusCode())
                .as("another tenant").isNotEqualTo(429);
    }

    @Test
    void withoutAnIamIdentityTheSettingsRoutesAre403AndChangeNothing() {
        assertThat(createTenant("{\"name\":\"guarded\"}").getStatusCode()).isEqualTo(201);
        for (APIGatewayV2HTTPEvent event : List.of(
                unsigned("PATCH", "/v1/admin/tenants/{tenant}", Map.of("tenant", "guarded"), "{\"dailyTokens\": 1}"),
                unsigned("GET", "/v1/admin/tenants/{tenant}", Map.of("tenant", "guarded"), null),
                as(TenantId.of("guarded"), "admin", "PATCH", "/v1/admin/tenants/{tenant}", Map.of("tenant", "guarded"), "{\"dailyTokens\": 1}"))) {
            assertError(api.handleRequest(event, null), 403, "only SigV4-signed requests");
        }
        assertThat(stores.tenants().find(TenantId.of("guarded")).orElseThrow().own()).isEmpty();
    }

    @Test
    void theAdminRoutesAreIamRoutesOfTheSharedTable() {
        assertThat(Routes.ALL).contains(new Route("POST", "/v1/admin/tenants", Route.Auth.IAM),
                new Route("GET", "/v1/admin/tenants/{tenant}", Route.Auth.IAM),
                new Route("PATCH", "/v1/admin/tenants/{tenant}", Route.Auth.IAM),
                new Route("POST", "/v1/admin/tenants/{tenant}/keys", Route.Auth.IAM));
        assertThat(Routes.ALL.stream().filter(r -> r.auth() == Route.Auth.IAM).map(Route::path))
                .allMatch(p -> p.startsWith("/v1/admin/"));
    }

    @Test
    void bundledTemplatesAreReadFromAJarAsFromTheFolder(@TempDir Path dir) throws IOException {
        Path source = Path.of("../../templates/agents");
        Path jar = dir.resolve("api.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out)) {
            String folder = "dev/steward/function/api/" + AgentTemplates.BUNDLED + "/";
            zip.putNextEntry(new JarEntry(folder));
            try (var files = Files.list(source)) {
                for (Path f : files.toList()) {
                    zip.putNextEntry(new JarEntry(folder + f.getFileName()));
                    zip.write(Files.readAllBytes(f));
                }
            }
        }
        URL inJar = URI.create("jar:" + jar.toUri() + "!/dev/steward/function/api/" + AgentTemplates.BUNDLED).toURL();

        assertThat(AgentTemplates.at(inJar)).isEqualTo(AgentTemplates.in(source)).hasSizeGreaterThanOrEqualTo(3);
        assertThat(AgentTemplates.bundled()).isEqualTo(AgentTemplates.in(source));
    }
}
