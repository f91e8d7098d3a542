package dev.steward.function.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.agent.AgentTemplate;
import dev.steward.core.json.Json;
import dev.steward.core.knowledge.RetrievalFilter;
import dev.steward.core.run.GuardVerdict;
import dev.steward.core.run.RunId;
import dev.steward.core.run.RunRecord;
import dev.steward.core.run.RunStatus;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.StewardTable;
import dev.steward.store.Stores;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Starting a run: its input's personal data is redacted before anything is stored, and a run whose state machine
 * cannot be reached (the endpoint refuses connections) is stored FAILED.
 */
class RunsApiTest {
    static AmazonDynamoDBLocal dynamo;
    /** Every request the stores sent to the table, as the SDK prints it (with the items' attribute values). */
    static final List<String> requests = new CopyOnWriteArrayList<>();
    static StewardTable table;
    static Stores stores;
    static ApiHandler api;
    static final TenantId TENANT = TenantId.of("acme");

    @BeforeAll
    static void start() {
        dynamo = DynamoDBEmbedded.create(false);
        DynamoDbClient real = dynamo.dynamoDbClient();
        DynamoDbClient recording = (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
                new Class<?>[] {DynamoDbClient.class}, (proxy, method, args) -> {
                    if (args != null && args.length == 1) {
                        requests.add(String.valueOf(args[0]));
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        table = new StewardTable(recording, "steward-test");
        table.createIfMissing();
        stores = Stores.over(table);
        stores.agents().put(TENANT, new AgentTemplate("assistant", "", "Answer from the sources.", 5, 8,
                Json.tree("{\"type\":\"object\"}")));
        stores.agents().put(TENANT, new AgentTemplate("per-customer", "", "Answer from the sources.", 5, 8,
                Json.tree("{\"type\":\"object\"}"), List.of(), null, null, new AgentTemplate.Retrieval(RetrievalFilter.of(
                        IntStream.range(0, 15).mapToObj(i -> new RetrievalFilter.AnyOf("field" + i, List.of("v")))
                                .toArray(RetrievalFilter.Clause[]::new)))));
        api = UnreachableServices.handler(stores);
    }

    @AfterAll
    static void stop() {
        dynamo.shutdown();
    }

    @Test
    void aRunThatCannotStartIsStoredFailedWithoutTheInputsPersonalData() {
        requests.clear();
        APIGatewayV2HTTPResponse r = api.handleRequest(post("/v1/runs",
                "{\"agent\":\"assistant\",\"input\":\"Refund jane.doe@example.com, card 4111 1111 1111 1111, please\"}"), null);

        assertThat(r.getStatusCode()).isEqualTo(503);
        assertThat(Json.tree(r.getBody()).path("error").path("code").asText()).isEqualTo("orchestrator_unavailable");
        List<RunRecord> runs = runsOf(TENANT).stream().filter(run -> run.input().startsWith("Refund")).toList();
        assertThat(runs).singleElement().satisfies(run -> {
            assertThat(run.status()).isEqualTo(RunStatus.FAILED);
            assertThat(run.error()).startsWith("the agent loop could not be started");
            assertThat(run.input()).doesNotContain("jane.doe@example.com", "4111 1111 1111 1111")
                    .contains("Refund ", "please");
            assertThat(Json.write(run)).doesNotContain("jane.doe@example.com");
        });
        assertThat(stores.vaults().get(TENANT, runs.getFirst().id())).isEmpty(); // nothing kept to re-hydrate
        // Redacted at the door: no write ever carried the raw input, except the vault's own item.
        List<String> writes = requests.stream().filter(q -> q.startsWith("PutItemRequest") || q.startsWith("UpdateItemRequest")
                || q.startsWith("TransactWriteItemsRequest")).toList();
        assertThat(writes).filteredOn(q -> q.contains("RUN#") && !q.contains("S=VAULT")).isNotEmpty()
                .allSatisfy(q -> assertThat(q).doesNotContain("jane.doe@example.com", "4111 1111 1111 1111"));
        assertThat(writes).filteredOn(q -> q.contains("S=VAULT"))
                .anySatisfy(q -> assertThat(q).contains("jane.doe@example.com"));
        assertThat(runs.getFirst().inputCheck()).satisfies(check -> {
            assertThat(check.stage()).isEqualTo("USER_INPUT");
            assertThat(check.verdict()).isEqualTo("REDACT");
            assertThat(check.reasons()).extracting(GuardVerdict.Reason::category).contains("EMAIL", "CREDIT_CARD");
            assertThat(Json.write(check)).doesNotContain("jane.doe@example.com");
        });
    }

    @Test
    void anInputWithoutPersonalDataIsStoredAsGivenWithoutACheck() {
        api.handleRequest(post("/v1/runs", "{\"agent\":\"assistant\",\"input\":\"What is our refund window?\"}"), null);

        assertThat(runsOf(TENANT)).filteredOn(run -> run.input().equals("What is our refund window?"))
                .singleElement().satisfies(run -> assertThat(run.inputCheck()).isNull());
    }

    @Test
    void aRunStoresItsFiltersAndInvalidFiltersAreRefusedWithNothingStored() {
        api.handleRequest(post("/v1/runs", """
                {"agent":"assistant","input":"Open tickets of Acme?","filters":{"customer":"Acme","status":["open","pending"],
                 "created":{"from":"2024-01-01","to":"2024-03-31"}}}"""), null);
        assertThat(runsOf(TENANT)).filteredOn(run -> run.input().equals("Open tickets of Acme?"))
                .singleElement().satisfies(run -> assertThat(run.filters()).isEqualTo(RetrievalFilter.fromJson(Json.tree("""
                        {"customer":"Acme","status":["open","pending"],"created":{"from":"2024-01-01","to":"2024-03-31"}}"""))));

        int before = runsOf(TENANT).size();
        Map<String, String> refused = Map.of(
                "\"filters\":\"customer=Acme\"", "'filters': a filter must be an object",
                "\"filters\":{\"customer\":[]}", "'filters': filter field 'customer' needs at least one value",
                "\"filters\":{\"created\":{\"from\":\"yesterday\"}}", "'filters': filter field 'created' has 'from' \"yesterday\"",
                "\"filters\":{\"created\":{\"since\":\"2024-01-01\"}}", "'filters': filter field 'created' has an unknown key 'since'");
        refused.forEach((filters, message) -> {
            APIGatewayV2HTTPResponse r = api.handleRequest(post("/v1/runs",
                    "{\"agent\":\"assistant\",\"input\":\"Open tickets?\"," + filters + "}"), null);
            assertThat(r.getStatusCode()).as(filters).isEqualTo(400);
            JsonNode error = Json.tree(r.getBody()).path("error");
            assertThat(error.path("code").asText()).isEqualTo("invalid_request");
            assertThat(error.path("message").asText()).as(filters).startsWith(message);
        });
        assertThat(runsOf(TENANT)).hasSize(before);
    }

    @Test
    void filtersThatWouldExceedTheLimitWithTheAgentsPinnedOnesAreRefusedAtTheDoor() {
        int before = runsOf(TENANT).size();
        String six = IntStream.range(0, 6).mapToObj(i -> "\"run" + i + "\":\"x\"").collect(Collectors.joining(",", "{", "}"));

        APIGatewayV2HTTPResponse r = api.handleRequest(post("/v1/runs",
                "{\"agent\":\"per-customer\",\"input\":\"Open tickets?\",\"filters\":" + six + "}"), null);

        assertThat(r.getStatusCode()).isEqualTo(400);
        assertThat(Json.tree(r.getBody()).path("error").path("message").asText())
                .isEqualTo("'filters' has 6 conditions and agent 'per-customer' pins 15; together at most 20");
        assertThat(runsOf(TENANT)).hasSize(before);
        String five = IntStream.range(0, 5).mapToObj(i -> "\"run" + i + "\":\"x\"").collect(Collectors.joining(",", "{", "}"));
        assertThat(api.handleRequest(post("/v1/runs",
                "{\"agent\":\"per-customer\",\"input\":\"Open tickets?\",\"filters\":" + five + "}"), null).getStatusCode())
                .as("15 + 5 is within the limit; the run then cannot start here (no state machine)").isEqualTo(503);
    }

    static List<RunRecord> runsOf(TenantId tenant) {
        return table.documents().index(StewardTable.GSI1)
                .query(q -> q.queryConditional(QueryConditional.keyEqualTo(k -> k.partitionValue("T#" + tenant.value() + "#RUN"))))
                .stream().flatMap(p -> p.items().stream())
                .map(d -> stores.runs().get(tenant, new RunId(d.getString("pk").substring(d.getString("pk").lastIndexOf('#') + 1))))
                .toList();
    }

    static APIGatewayV2HTTPEvent post(String path, String body) {
        return APIGatewayV2HTTPEvent.builder()
                .withRouteKey("POST " + path)
                .withRawPath(path)
                .withBody(body)
                .withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST").withPath(path).build())
                        .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                                .withLambda(Map.of("tenantId", TENANT.value(), "principalId", "key:acme", "role", "member")).build())
                        .build())
                .build();
    }
}
