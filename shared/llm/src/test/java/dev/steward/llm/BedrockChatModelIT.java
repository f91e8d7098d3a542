package dev.steward.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.core.error.PermanentException;
import dev.steward.core.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Bedrock Converse through the real {@code BedrockRuntimeClient} (SigV4, REST-JSON protocol, error unmarshalling by
 * {@code x-amzn-ErrorType}) pointed at the fake with an endpoint override and static dummy credentials. The
 * model's client has SDK retries off, which the contract's one-request-per-failure checks prove.
 */
class BedrockChatModelIT extends ChatModelContractIT {
    static final String MODEL_ID = "anthropic.claude-3-haiku-20240307-v1:0";

    @Override
    ChatModel model(WireFake fake) {
        return BedrockChatModel.create(ProviderConfig.bedrock("bedrock", "eu-west-1", MODEL_ID).withBaseUrl(fake.url("")),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDSTEWARDTEST", "not-a-secret")));
    }

    @Override
    String expectedId() {
        return "bedrock/" + MODEL_ID;
    }

    @Override
    String expectedPath() {
        return "/model/" + MODEL_ID + "/converse";
    }

    @Override
    WireFake.Response textReply(String text, int in, int out) {
        ObjectNode body = converse("end_turn", in, out);
        body.withArray("/output/message/content").addObject().put("text", text);
        return ok(body);
    }

    @Override
    WireFake.Response toolReply(String callId, String tool, String argumentsJson) {
        ObjectNode body = converse("tool_use", 380, 60);
        var content = body.withArray("/output/message/content");
        content.addObject().putObject("toolUse").put("toolUseId", callId).put("name", tool).set("input", Json.tree(argumentsJson));
        return ok(body);
    }

    private static ObjectNode converse(String stopReason, int in, int out) {
        return (ObjectNode) Json.tree("""
                {"output":{"message":{"role":"assistant","content":[]}},"stopReason":"%s",
                 "usage":{"inputTokens":%d,"outputTokens":%d,"totalTokens":%d},"metrics":{"latencyMs":412}}"""
                .formatted(stopReason, in, out, in + out));
    }

    private static WireFake.Response ok(JsonNode body) {
        return new WireFake.Response(200, Map.of("Content-Type", "application/json", "x-amzn-RequestId", "5c1f-ok"), Json.write(body));
    }

    private static WireFake.Response awsError(int status, String type, String message) {
        return new WireFake.Response(status, Map.of(
                "Content-Type", "application/json",
                "x-amzn-RequestId", "5c1f-err",
                "x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/"),
                "{\"message\":\"" + message + "\"}");
    }

    @Override
    WireFake.Response throttled() {
        return awsError(429, "ThrottlingException", "Too many requests, please wait before trying again.");
    }

    @Override
    WireFake.Response serverError() {
        return awsError(500, "InternalServerException", "The server encountered an internal error.");
    }

    @Override
    WireFake.Response badRequest() {
        return awsError(400, "ValidationException", badRequestDetail());
    }

    @Override
    String badRequestDetail() {
        return "The provided model identifier is invalid.";
    }

    @Override
    String sentSystem(JsonNode body) {
        return body.at("/system/0/text").asText();
    }

    @Override
    String sentUser(JsonNode body) {
        assertThat(body.at("/messages/0/role").asText()).isEqualTo("user");
        return body.at("/messages/0/content/0/text").asText();
    }

    @Override
    List<JsonNode> sentTools(JsonNode body) {
        List<JsonNode> tools = new ArrayList<>();
        for (JsonNode tool : body.at("/toolConfig/tools")) {
            JsonNode spec = tool.path("toolSpec");
            tools.add(Json.object().put("name", spec.path("name").asText()).put("description", spec.path("description").asText())
                    .set("parameters", spec.at("/inputSchema/json")));
        }
        return tools;
    }

    @Test
    void throttlingNamesTheAwsErrorCode() {
        fake.then(throttled());

        assertThatThrownBy(() -> model.chat(new ModelRequest(SYSTEM, USER)))
                .hasMessageContaining("HTTP 429")
                .hasMessageContaining("ThrottlingException: Too many requests");
    }

    @Test
    void accessDeniedIsPermanent() {
        fake.then(awsError(403, "AccessDeniedException", "You don't have access to the model with the specified model ID."));

        assertThatThrownBy(() -> model.chat(new ModelRequest(SYSTEM, USER)))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("AccessDeniedException");
    }

    @Test
    void signsForTheConfiguredRegionWithTheGivenCredentials() {
        fake.then(textReply("ok", 1, 1));

        model.chat(new ModelRequest(SYSTEM, USER));

        WireFake.Received sent = fake.only();
        assertThat(sent.header("Authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=AKIDSTEWARDTEST/")
                .contains("/eu-west-1/bedrock/aws4_request");
        assertThat(sent.json().at("/inferenceConfig/temperature").asDouble(-1)).isEqualTo(0.0);
    }
}
