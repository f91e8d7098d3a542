package dev.steward.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/** Every function is reachable through the Lambda Invoke API, called with the real AWS SDK client. */
class LocalLambdaEndpointIT {
    private static final Path HOME = Path.of(System.getProperty("steward.home", "../..")).toAbsolutePath().normalize();

    @TempDir
    static Path dataDir;

    static LocalPlatform platform;
    static LambdaClient lambda;

    @BeforeAll
    static void start() throws Exception {
        platform = LocalPlatform.start(new LocalConfig(HOME, dataDir, 0, 1024 * 1024,
                Path.of(System.getProperty("steward.s3proxy.jar")), true));
        lambda = LambdaClient.builder()
                .endpointOverride(platform.lambdaEndpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterAll
    static void stop() {
        if (lambda != null) {
            lambda.close();
        }
        if (platform != null) {
            platform.close();
        }
    }

    private static InvokeResponse invoke(String function, String payload) {
        return lambda.invoke(b -> b.functionName("arn:aws:lambda:us-east-1:000000000000:function:" + function)
                .payload(SdkBytes.fromString(payload, StandardCharsets.UTF_8)));
    }

    @Test
    void theApiFunctionTakesAnApiGatewayEventInLambdasOwnFormat() {
        InvokeResponse r = invoke("steward-api", """
                {"version":"2.0","routeKey":"GET /health","rawPath":"/health","rawQueryString":"",
                 "headers":{"accept":"application/json"},"isBase64Encoded":false,
                 "requestContext":{"http":{"method":"GET","path":"/health","protocol":"HTTP/1.1","sourceIp":"127.0.0.1"},
                   "routeKey":"GET /health","stage":"$default","requestId":"r1","timeEpoch":0}}""");

        assertThat(r.functionError()).isNull();
        JsonNode response = Json.tree(r.payload().asUtf8String());
        assertThat(response.path("statusCode").asInt()).isEqualTo(200);
        assertThat(Json.tree(response.path("body").asText()).path("status").asText()).isEqualTo("ok");
    }

    @Test
    void theAuthorizerRejectsABadKeyAndAcceptsTheDemoKey() {
        String template = """
                {"version":"2.0","type":"REQUEST","routeArn":"arn","identitySource":["%s"],"routeKey":"GET /v1/agents",
                 "headers":{"authorization":"%s"}}""";
        JsonNode denied = Json.tree(invoke("steward-authorizer", template.formatted("Bearer x", "Bearer x")).payload().asUtf8String());
        assertThat(denied.path("isAuthorized").asBoolean()).isFalse();

        String key = "Bearer " + platform.demoKey().orElseThrow();
        JsonNode allowed = Json.tree(invoke("steward-authorizer", template.formatted(key, key)).payload().asUtf8String());
        assertThat(allowed.path("isAuthorized").asBoolean()).isTrue();
        assertThat(allowed.path("context").path("tenantId").asText()).isEqualTo("demo");
    }

    @Test
    void theIngestFunctionTakesAnSqsEventWithCapitalisedRecords() {
        String s3Event = Json.write(Json.object().put("Event", "s3:TestEvent"));
        InvokeResponse r = invoke("steward-ingest", """
                {"Records":[{"messageId":"m1","receiptHandle":"h","body":%s,"attributes":{},"messageAttributes":{},
                  "eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-1:000000000000:q","awsRegion":"us-east-1"}]}"""
                .formatted(Json.write(Json.mapper().getNodeFactory().textNode(s3Event))));

        assertThat(r.functionError()).isNull();
        assertThat(Json.tree(r.payload().asUtf8String()).path("batchItemFailures")).isEmpty();
    }

    @Test
    void aStepFailureReportsTheExceptionClassAsErrorType() {
        InvokeResponse r = invoke("steward-plan", "{\"tenantId\":\"demo\",\"runId\":\"run_doesnotexist00\",\"segment\":0,\"step\":0}");

        assertThat(r.functionError()).isEqualTo("Unhandled");
        JsonNode error = Json.tree(r.payload().asUtf8String());
        assertThat(error.path("errorType").asText()).isEqualTo("dev.steward.store.StoreException");
        assertThat(error.path("errorMessage").asText()).contains("does not exist");
    }

    @Test
    void anUnknownFunctionIsNotFound() {
        assertThatThrownBy(() -> invoke("steward-nothing", "{}")).isInstanceOf(ResourceNotFoundException.class);
    }
}
