package dev.steward.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.core.error.PermanentException;
import dev.steward.core.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ollama's native {@code /api/chat}, non-streaming; tool calls carry no id and arguments as a JSON object. */
class OllamaChatModelIT extends MessagesChatModelContractIT {

    @Override
    ChatModel model(WireFake fake) {
        return new OllamaChatModel(ProviderConfig.ollama("ollama", fake.url(""), "llama3.2"));
    }

    @Override
    String expectedId() {
        return "ollama/llama3.2";
    }

    @Override
    String expectedPath() {
        return "/api/chat";
    }

    @Override
    String expectedCallId(String wireId) {
        return "call_0"; // Ollama sends none: the position names it
    }

    @Override
    WireFake.Response textReply(String text, int in, int out) {
        ObjectNode body = chat(in, out);
        body.putObject("message").put("role", "assistant").put("content", text);
        return WireFake.Response.json(200, Json.write(body));
    }

    @Override
    WireFake.Response toolReply(String callId, String tool, String argumentsJson) {
        ObjectNode body = chat(180, 25);
        ObjectNode message = body.putObject("message").put("role", "assistant").put("content", "");
        message.putArray("tool_calls").addObject().putObject("function").put("name", tool).set("arguments", Json.tree(argumentsJson));
        return WireFake.Response.json(200, Json.write(body));
    }

    private static ObjectNode chat(int in, int out) {
        return (ObjectNode) Json.tree("""
                {"model":"llama3.2","created_at":"2025-11-23T22:41:07.123456789Z","done":true,"done_reason":"stop",
                 "total_duration":912000000,"load_duration":21000000,"prompt_eval_count":%d,"prompt_eval_duration":150000000,
                 "eval_count":%d,"eval_duration":700000000}""".formatted(in, out));
    }

    @Override
    WireFake.Response throttled() {
        return WireFake.Response.json(503, "{\"error\":\"server busy, please try again.  maximum pending requests exceeded\"}");
    }

    @Override
    WireFake.Response serverError() {
        return WireFake.Response.json(500, "{\"error\":\"llama runner process has terminated: signal: killed\"}");
    }

    @Override
    WireFake.Response badRequest() {
        return WireFake.Response.json(400, "{\"error\":\"" + badRequestDetail() + "\"}");
    }

    @Override
    String badRequestDetail() {
        return "registry.ollama.ai/library/llama3.2:latest does not support tools";
    }

    @Test
    void asksForOneNonStreamedAnswerFromTheConfiguredModel() {
        fake.then(textReply("ok", 1, 1));

        model.chat(new ModelRequest(SYSTEM, USER));

        JsonNode sent = fake.only().json();
        assertThat(sent.path("model").asText()).isEqualTo("llama3.2");
        assertThat(sent.path("stream").asBoolean(true)).isFalse();
        assertThat(sent.at("/options/temperature").asDouble(-1)).isEqualTo(0.0);
    }

    @Test
    void keepsToolCallIdsWhenOllamaSendsThem() {
        ObjectNode body = chat(10, 5);
        ObjectNode message = body.putObject("message").put("role", "assistant").put("content", "");
        var calls = message.putArray("tool_calls");
        calls.addObject().put("id", "call_x1").putObject("function").put("name", "lookup_order").set("arguments", Json.tree("{\"orderId\":\"A-1\"}"));
        calls.addObject().putObject("function").put("name", "lookup_order").set("arguments", Json.tree("{\"orderId\":\"A-2\"}"));
        fake.then(WireFake.Response.json(200, Json.write(body)));

        ModelReply reply = model.chat(new ModelRequest(SYSTEM, USER, List.of(LOOKUP)));

        assertThat(reply.toolCalls()).extracting(c -> c.id()).containsExactly("call_x1", "call_1");
        assertThat(reply.toolCalls()).extracting(c -> c.arguments().path("orderId").asText()).containsExactly("A-1", "A-2");
    }

    @Test
    void anUnknownModelIsPermanent() {
        fake.then(WireFake.Response.json(404, "{\"error\":\"model \\\"llama3.2\\\" not found, try pulling it first\"}"));

        assertThatThrownBy(() -> model.chat(new ModelRequest(SYSTEM, USER)))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("HTTP 404")
                .hasMessageContaining("try pulling it first");
    }
}
