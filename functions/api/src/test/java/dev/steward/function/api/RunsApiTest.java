package dev.steward.function.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.agent.AgentTemplate;
import dev.steward.core.json.Json;
import dev.steward.core.run.RunId;
import dev.steward.core.run.RunRecord;
import dev.steward.core.run.RunStatus;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.StewardTable;
import dev.steward.store.Stores;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;

/** Starting a run when the state machine cannot be reached (its endpoint refuses connections). */
class RunsApiTest {
    static AmazonDynamoDBLocal dynamo;
    static StewardTable table;
    static Stores stores;
    static ApiHandler api;
    static final TenantId TENANT = TenantId.of("acme");

    @BeforeAll
    static void start() {
        dynamo = DynamoDBEmbedded.create(false);
        table = new StewardTable(dynamo.dynamoDbClient(), "steward-test");
        table.createIfMissing();
        stores = Stores.over(table);
        stores.agents().put(TENANT, new AgentTemplate("assistant", "", "Answer from the sources.", 5, 8,
                Json.tree("{\"type\":\"object\"}")));
        api = new ApiHandler(UnreachableServices.config(stores));
    }

    @AfterAll
    static void stop() {
        dynamo.shutdown();
    }

    @Test
    void aRunThatCannotStartIsStoredFailedWithoutTheInputsPersonalData() {
        APIGatewayV2HTTPResponse r = api.handleRequest(post("/v1/runs",
                "{\"agent\":\"assistant\",\"input\":\"Refund jane.doe@example.com, card 4111 1111 1111 1111, please\"}"), null);

        assertThat(r.getStatusCode()).isEqualTo(503);
        assertThat(Json.tree(r.getBody()).path("error").path("code").asText()).isEqualTo("orchestrator_unavailable");
        List<RunRecord> runs = table.documents().index(StewardTable.GSI1)
                .query(q -> q.queryConditional(QueryConditional.keyEqualTo(k -> k.partitionValue("T#acme#RUN"))))
                .stream().flatMap(p -> p.items().stream())
                .map(d -> stores.runs().get(TENANT, new RunId(d.getString("pk").substring(d.getString("pk").lastIndexOf('#') + 1))))
                .toList();
        assertThat(runs).singleElement().satisfies(run -> {
            assertThat(run.status()).isEqualTo(RunStatus.FAILED);
            assertThat(run.error()).startsWith("the agent loop could not be started");
            assertThat(run.input()).doesNotContain("jane.doe@example.com", "4111 1111 1111 1111")
                    .contains("Refund ", "please");
            assertThat(Json.write(run)).doesNotContain("jane.doe@example.com");
        });
        assertThat(stores.vaults().get(TENANT, runs.getFirst().id())).isEmpty(); // nothing kept to re-hydrate
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
