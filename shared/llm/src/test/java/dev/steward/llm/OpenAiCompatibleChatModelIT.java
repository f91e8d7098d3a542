package dev.steward.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.core.json.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Chat completions as Groq serves them under {@code /openai/v1}. */
class OpenAiCompatibleChatModelIT extends MessagesChatModelContractIT {

    @Override
    ChatModel model(WireFake fake) {
        return new OpenAiCompatibleChatModel(ProviderConfig.openAi("groq", fake.url("/openai/v1"), "llama-3.3-70b-versatile", "gsk-test"));
    }

    @Override
    String expectedId() {
        return "groq/llama-3.3-70b-versatile";
    }

    @Override
    String expectedPath() {
        return "/openai/v1/chat/completions";
    }

    @Override
    WireFake.Response textReply(String text, int in, int out) {
        ObjectNode body = completion("stop");
        ((ObjectNode) body.at("/choices/0/message")).put("content", text);
        body.withObject("/usage").put("prompt_tokens", in).put("completion_tokens", out).put("total_tokens", in + out);
        return WireFake.Response.json(200, Json.write(body));
    }

    @Override
    WireFake.Response toolReply(String callId, String tool, String argumentsJson) {
        ObjectNode body = completion("tool_calls");
        ObjectNode message = (ObjectNode) body.at("/choices/0/message");
        message.putNull("content");
        message.putArray("tool_calls").addObject()
                .put("id", callId).put("type", "function")
                .putObject("function").put("name", tool).put("arguments", argumentsJson);
        body.withObject("/usage").put("prompt_tokens", 80).put("completion_tokens", 20).put("total_tokens", 100);
        return WireFake.Response.json(200, Json.write(body));
    }

    private static ObjectNode completion(String finishReason) {
        return (ObjectNode) Json.tree("""
                {"id":"chatcmpl-3f9a","object":"chat.completion","created":1763900000,"model":"llama-3.3-70b-versatile",
                 "choices":[{"index":0,"message":{"role":"assistant"},"logprobs":null,"finish_reason":"%s"}],
                 "usage":{},"system_fingerprint":"fp_1","x_groq":{"id":"req_01"}}""".formatted(finishReason));
    }

    @Override
    WireFake.Response throttled() {
        return new WireFake.Response(429, Map.of("Content-Type", "application/json", "retry-after", "2"), """
                {"error":{"message":"Rate limit reached for model `llama-3.3-70b-versatile` on tokens per minute (TPM)","type":"tokens","code":"rate_limit_exceeded"}}""");
    }

    @Override
    WireFake.Response serverError() {
        return WireFake.Response.json(500, "{\"error\":{\"message\":\"Internal Server Error\",\"type\":\"internal_server_error\"}}");
    }

    @Override
    WireFake.Response badRequest() {
        return WireFake.Response.json(400, "{\"error\":{\"message\":\"" + badRequestDetail() + "\",\"type\":\"invalid_request_error\"}}");
    }

    @Override
    String badRequestDetail() {
        return "messages.1.content must be a string";
    }

    @Test
    void sendsTheModelTheKeyAndNoRandomness() {
        fake.then(textReply("ok", 1, 1));

        model.chat(new ModelRequest(SYSTEM, USER));

        WireFake.Received sent = fake.only();
        assertThat(sent.header("Authorization")).isEqualTo("Bearer gsk-test");
        assertThat(sent.json().path("model").asText()).isEqualTo("llama-3.3-70b-versatile");
        assertThat(sent.json().path("temperature").asDouble(-1)).isEqualTo(0.0);
    }

    @Test
    void theSingleEndpointConfigKeepsTheBareModelNameAsItsLabel() {
        fake.then(textReply("ok", 1, 1));
        ChatModel single = new OpenAiCompatibleChatModel(new ModelConfig(fake.url("/v1"), "none", "qwen2.5:7b", 5));

        ModelReply reply = single.chat(new ModelRequest(SYSTEM, USER));

        assertThat(single.id()).isEqualTo("qwen2.5:7b");
        assertThat(reply.model()).isEqualTo("qwen2.5:7b");
        assertThat(fake.only().path()).isEqualTo("/v1/chat/completions");
    }
}
