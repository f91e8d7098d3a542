package dev.steward.function.api;

import static dev.steward.function.api.WebhooksApiTest.admin;
import static dev.steward.function.api.WebhooksApiTest.as;
import static dev.steward.function.api.WebhooksApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.json.Json;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.StewardTable;
import dev.steward.store.Stores;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * Vendor connections through the admin API: admins store them, nobody ever reads a token back, bad input is a 400
 * naming the problem and changes nothing, and one tenant never sees or changes another's.
 */
class ConnectionsApiTest {
    static EmbeddedTable table;
    static Stores stores;
    static ApiHandler api;
    static final TenantId ACME = TenantId.of("acme");
    static final TenantId GLOBEX = TenantId.of("globex");
    static final String ZENDESK_TOKEN = "zd-api-token-0123456789abcdef";
    static final String HUBSPOT_TOKEN = "pat-na1-11111111-2222-3333-4444-555555555555";

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

    static APIGatewayV2HTTPResponse call(APIGatewayV2HTTPEvent event) {
        return api.handleRequest(event, null);
    }

    static APIGatewayV2HTTPResponse put(TenantId tenant, String role, String vendor, String body) {
        return call(as(tenant, role, "PUT", "/v1/connections/{vendor}", Map.of("vendor", vendor), body));
    }

    @Test
    void aThrottledTableIsA503TheClientMayRetryAndABrokenOneA500() {
        ApiHandler throttled = UnreachableServices.handler(Stores.over(new StewardTable(failing(
                ProvisionedThroughputExceededException.builder().statusCode(400).message("Rate of requests exceeds the allowed throughput")
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException").build()).build()),
                "steward-test")));
        APIGatewayV2HTTPResponse busy = throttled.handleRequest(as(ACME, "admin", "GET", "/v1/connections", Map.of(), null), null);
        assertError(busy, 503, "busy or briefly unavailable; retry the request");
        assertThat(Json.tree(busy.getBody()).path("error").path("code").asText()).isEqualTo("unavailable");

        ApiHandler missingTable = UnreachableServices.handler(Stores.over(new StewardTable(failing(
                ResourceNotFoundException.builder().statusCode(400).message("Requested resource not found").build()), "steward-test")));
        assertError(missingTable.handleRequest(as(ACME, "admin", "GET", "/v1/connections", Map.of(), null), null), 500, "failed unexpectedly");
    }

    /** A DynamoDB client whose every call fails with {@code failure}, as one does after the SDK's own retries. */
    private static DynamoDbClient failing(RuntimeException failure) {
        return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(), new Class<?>[] {DynamoDbClient.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "serviceName" -> "dynamodb";
                    case "close" -> null;
                    case "toString" -> "failing DynamoDB client";
                    default -> throw failure;
                });
    }

    @Test
    void anAdminConnectsBothVendorsAndNoResponseCarriesAToken() {
        APIGatewayV2HTTPResponse zendesk = put(ACME, "admin", "zendesk",
                "{\"subdomain\":\"acme\",\"email\":\"agent@acme.test\",\"token\":\"" + ZENDESK_TOKEN + "\"}");
        APIGatewayV2HTTPResponse hubspot = put(ACME, "admin", "hubspot", "{\"token\":\"" + HUBSPOT_TOKEN + "\"}");

        assertThat(zendesk.getStatusCode()).as(zendesk.getBody()).isEqualTo(200);
        assertThat(Json.tree(zendesk.getBody())).isEqualTo(Json.tree("{\"vendor\":\"zendesk\",\"email\":\"agent@acme.test\","
                + "\"subdomain\":\"acme\",\"tokenSet\":true,\"updatedAt\":\"2026-05-01T12:00:00Z\",\"updatedBy\":\"key:admin\"}"));
        assertThat(hubspot.getStatusCode()).isEqualTo(200);
        APIGatewayV2HTTPResponse list = call(as(ACME, "member", "GET", "/v1/connections", Map.of(), null));
        assertThat(list.getStatusCode()).isEqualTo(200);
        JsonNode connections = Json.tree(list.getBody()).path("connections");
        assertThat(connections.findValuesAsText("vendor")).containsExactlyInAnyOrder("zendesk", "hubspot");
        for (APIGatewayV2HTTPResponse r : java.util.List.of(zendesk, hubspot, list)) {
            assertThat(r.getBody()).doesNotContain(ZENDESK_TOKEN, HUBSPOT_TOKEN, "\"token\"");
        }
        // the tools read what was stored
        assertThat(stores.connections().find(ACME, "zendesk").orElseThrow().token()).isEqualTo(ZENDESK_TOKEN);

        // another tenant sees none of it and cannot remove it
        assertThat(Json.tree(call(as(GLOBEX, "admin", "GET", "/v1/connections", Map.of(), null)).getBody()).path("connections")).isEmpty();
        assertError(call(admin(GLOBEX, "DELETE", "/v1/connections/{vendor}", Map.of("vendor", "hubspot"), null)), 404, "connection hubspot");
        assertThat(stores.connections().find(ACME, "hubspot")).isPresent();

        APIGatewayV2HTTPResponse deleted = call(admin(ACME, "DELETE", "/v1/connections/{vendor}", Map.of("vendor", "hubspot"), null));
        assertThat(deleted.getStatusCode()).isEqualTo(200);
        assertThat(stores.connections().find(ACME, "hubspot")).isEmpty();
    }

    @Test
    void googleCalendarIsConnectedWithItsClientAndRefreshTokenAndNeitherSecretIsShownBack() {
        TenantId umbrella = TenantId.of("umbrella");
        String secret = "GOCSPX-umbrella-client-secret";
        String refresh = "1//0g-umbrella-refresh-token";
        String client = "\"client_id\":\"998877-umbrella.apps.googleusercontent.com\"";
        APIGatewayV2HTTPResponse saved = put(umbrella, "admin", "google_calendar",
                "{" + client + ",\"client_secret\":\"" + secret + "\",\"refresh_token\":\"" + refresh + "\"}");

        assertThat(saved.getStatusCode()).as(saved.getBody()).isEqualTo(200);
        assertThat(Json.tree(saved.getBody())).isEqualTo(Json.tree("{\"vendor\":\"google_calendar\",\"calendar_id\":\"primary\","
                + "\"client_id\":\"998877-umbrella.apps.googleusercontent.com\",\"tokenSet\":true,"
                + "\"updatedAt\":\"2026-05-01T12:00:00Z\",\"updatedBy\":\"key:admin\"}"));
        APIGatewayV2HTTPResponse list = call(as(umbrella, "member", "GET", "/v1/connections", Map.of(), null));
        for (APIGatewayV2HTTPResponse r : java.util.List.of(saved, list)) {
            assertThat(r.getBody()).doesNotContain(secret, refresh, "client_secret", "refresh_token");
        }
        assertThat(dev.steward.connectors.connection.GoogleSecret.of(stores.connections().find(umbrella, "google_calendar").orElseThrow().token()))
                .isEqualTo(new dev.steward.connectors.connection.GoogleSecret(secret, refresh));

        assertError(put(umbrella, "admin", "google_calendar", "{" + client + ",\"refresh_token\":\"" + refresh + "\"}"),
                400, "'client_secret' is required");
        assertError(put(umbrella, "admin", "google_calendar", "{" + client + ",\"client_secret\":\"" + secret + "\"}"),
                400, "'refresh_token' is required");
        assertError(put(umbrella, "admin", "google_calendar", "{\"client_id\":\"umbrella\",\"client_secret\":\"" + secret
                + "\",\"refresh_token\":\"" + refresh + "\"}"), 400, "'client_id' must be the OAuth client's id");
        assertError(put(umbrella, "admin", "google_calendar", "{" + client + ",\"calendar_id\":\"https://evil\",\"client_secret\":\""
                + secret + "\",\"refresh_token\":\"" + refresh + "\"}"), 400, "'calendar_id' must be");
        assertError(put(umbrella, "admin", "google_calendar", "{" + client + ",\"client_secret\":\"" + secret + "\",\"refresh_token\":\"x\"}"),
                400, "'refresh_token' must be 8 to 1024 visible characters");
        assertError(put(umbrella, "admin", "google_calendar", "{" + client + ",\"token\":\"" + HUBSPOT_TOKEN + "\"}"),
                400, "unknown field 'token'");
        assertError(put(umbrella, "member", "google_calendar", "{}"), 403, "cannot connect vendors");
    }

    @Test
    void onlyAnAdminMayChangeConnections() {
        assertError(put(GLOBEX, "member", "hubspot", "{\"token\":\"" + HUBSPOT_TOKEN + "\"}"), 403, "cannot connect vendors");
        assertError(put(GLOBEX, "reviewer", "hubspot", "{\"token\":\"" + HUBSPOT_TOKEN + "\"}"), 403, "use an admin key");
        stores.connections().put(GLOBEX, new dev.steward.store.connection.ConnectionSettings("hubspot", Map.of(), HUBSPOT_TOKEN,
                java.time.Instant.parse("2026-05-01T00:00:00Z"), "key:admin"));
        assertError(call(as(GLOBEX, "member", "DELETE", "/v1/connections/{vendor}", Map.of("vendor", "hubspot"), null)), 403,
                "cannot remove connections");
        assertThat(stores.connections().find(GLOBEX, "hubspot")).isPresent();
        stores.connections().delete(GLOBEX, "hubspot");
    }

    @Test
    void badInputIsA400NamingTheProblemAndAnUnknownVendorA404() {
        TenantId initech = TenantId.of("initech");
        assertError(put(initech, "admin", "salesforce", "{\"token\":\"" + HUBSPOT_TOKEN + "\"}"), 404, "supported: zendesk, hubspot");
        assertError(call(admin(initech, "DELETE", "/v1/connections/{vendor}", Map.of("vendor", "jira"), null)), 404, "supported: zendesk, hubspot");
        assertError(put(initech, "admin", "zendesk", "{\"subdomain\":\"acme.evil.example\",\"email\":\"a@b.co\",\"token\":\"" + ZENDESK_TOKEN + "\"}"),
                400, "'subdomain' must be the name before .zendesk.com");
        assertError(put(initech, "admin", "zendesk", "{\"subdomain\":\"acme\",\"token\":\"" + ZENDESK_TOKEN + "\"}"), 400, "'email' is required");
        assertError(put(initech, "admin", "zendesk", "{\"subdomain\":\"acme\",\"email\":\"a@b.co\",\"token\":\"" + ZENDESK_TOKEN
                + "\",\"baseUrl\":\"http://169.254.169.254\"}"), 400, "unknown field 'baseUrl'");
        assertError(put(initech, "admin", "hubspot", "{\"token\":\"short\"}"), 400, "'token' must be 8 to 1024 visible characters");
        assertError(put(initech, "admin", "hubspot", "{\"token\":42}"), 400, "'token' is required");
        assertError(put(initech, "admin", "hubspot", "[\"token\"]"), 400, "JSON object");
        APIGatewayV2HTTPResponse malformed = put(initech, "admin", "hubspot", "{\"token\":");
        assertThat(malformed.getStatusCode()).isEqualTo(400);
        assertThat(Json.tree(malformed.getBody()).path("error").path("code").asText()).isEqualTo("malformed_json");
        APIGatewayV2HTTPResponse shortToken = put(initech, "admin", "hubspot", "{\"token\":\"short\"}");
        assertThat(Json.tree(shortToken.getBody()).path("error").path("code").asText()).isEqualTo("invalid_request");
        assertThat(shortToken.getBody()).as("the refused token is not echoed").doesNotContain("short\"");
        assertError(call(admin(initech, "DELETE", "/v1/connections/{vendor}", Map.of("vendor", "zendesk"), null)), 404, "connection zendesk");
        assertThat(stores.connections().listSealed(initech)).isEmpty();
    }

    @Test
    void aSlackConnectionIsABotTokenAndAnotherKindOfSlackTokenIsA400NamingIt() {
        TenantId hooli = TenantId.of("hooli");
        String bot = "xoxb-1234567890-0987654321-HooliBotTokenSecret";
        String user = "xoxp-1234567890-0987654321-HooliUserTokenSecret";
        APIGatewayV2HTTPResponse refused = put(hooli, "admin", "slack", "{\"token\":\"" + user + "\"}");
        assertError(refused, 400, "starting with xoxb-");
        assertThat(refused.getBody()).contains("a user token (xoxp-)").doesNotContain(user);
        assertThat(stores.connections().listSealed(hooli)).isEmpty();

        APIGatewayV2HTTPResponse saved = put(hooli, "admin", "slack", "{\"token\":\"" + bot + "\"}");
        assertThat(saved.getStatusCode()).as(saved.getBody()).isEqualTo(200);
        assertThat(saved.getBody()).doesNotContain(bot);
        assertThat(Json.tree(saved.getBody()).path("vendor").asText()).isEqualTo("slack");
        assertThat(Json.tree(saved.getBody()).path("tokenSet").asBoolean()).isTrue();
        assertThat(stores.connections().find(hooli, "slack").orElseThrow().token()).isEqualTo(bot);
        assertThat(stores.connections().listSealed(hooli).getFirst().token()).as("stored sealed").doesNotContain(bot);
    }

    @Test
    void theRoutesAreInTheSharedTable() {
        assertThat(Routes.ALL).contains(new Route("GET", "/v1/connections", Route.Auth.API_KEY), new Route("PUT", "/v1/connections/{vendor}", Route.Auth.API_KEY),
                new Route("DELETE", "/v1/connections/{vendor}", Route.Auth.API_KEY));
    }
}
