package dev.steward.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The contract for providers whose request is a {@code messages} list with the system prompt first and the user's
 * turn second, and tools as {@code {"type":"function","function":{...}}}: OpenAI-compatible chat completions and
 * Ollama's {@code /api/chat} put them in the same places.
 */
abstract class MessagesChatModelContractIT extends ChatModelContractIT {
    @Override
    String sentSystem(JsonNode body) {
        assertThat(body.at("/messages/0/role").asText()).isEqualTo("system");
        return body.at("/messages/0/content").asText();
    }

    @Override
    String sentUser(JsonNode body) {
        assertThat(body.at("/messages/1/role").asText()).isEqualTo("user");
        return body.at("/messages/1/content").asText();
    }

    @Override
    List<JsonNode> sentTools(JsonNode body) {
        List<JsonNode> tools = new ArrayList<>();
        for (JsonNode tool : body.path("tools")) {
            assertThat(tool.path("type").asText()).isEqualTo("function");
            tools.add(tool.path("function"));
        }
        return tools;
    }
}
