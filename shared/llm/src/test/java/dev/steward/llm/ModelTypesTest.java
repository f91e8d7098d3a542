package dev.steward.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.core.json.Json;
import dev.steward.core.run.ToolCall;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelTypesTest {
    private static ObjectNode schema() {
        return (ObjectNode) Json.tree("{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\"}},\"required\":[\"q\"]}");
    }

    @Test
    void theTwoArgumentRequestOffersNoTools() {
        assertThat(new ModelRequest("sys", "user").tools()).isEmpty();
    }

    @Test
    void aRequestCopiesItsToolsAndRejectsTheSameNameTwice() {
        ToolSpec search = new ToolSpec("search", "Searches the knowledge base.", schema());
        List<ToolSpec> tools = new ArrayList<>(List.of(search));
        ModelRequest request = new ModelRequest("sys", "user", tools);
        tools.clear();

        assertThat(request.tools()).containsExactly(search);
        assertThatThrownBy(() -> new ModelRequest("sys", "user", List.of(search, search)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("search");
    }

    @Test
    void theFourArgumentReplyHasNoToolCallsAndEndedItsTurn() {
        ModelReply reply = new ModelReply("hi", "m", 3, 4);

        assertThat(reply.toolCalls()).isEmpty();
        assertThat(reply.stopReason()).isEqualTo(StopReason.END_TURN);
        assertThatThrownBy(() -> new ModelReply("hi", "m", -1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aReplyCopiesItsToolCalls() {
        List<ToolCall> calls = new ArrayList<>(List.of(new ToolCall("c1", "search", Json.object())));
        ModelReply reply = new ModelReply("", "m", 0, 0, calls, StopReason.TOOL_USE);
        calls.clear();

        assertThat(reply.toolCalls()).hasSize(1);
    }

    @Test
    void aToolSpecIsIsolatedFromLaterChangesToTheCallersSchema() {
        ObjectNode schema = schema();
        ToolSpec spec = new ToolSpec("search", "Searches.", schema);
        schema.put("type", "array");
        ((ObjectNode) spec.parametersSchema()).put("type", "string");

        assertThat(spec.parametersSchema().path("type").asText()).isEqualTo("object");
    }

    @Test
    void aToolSpecRejectsWhatProvidersWouldRefuse() {
        assertThatThrownBy(() -> new ToolSpec("search docs", "Searches.", schema())).hasMessageContaining("must match");
        assertThatThrownBy(() -> new ToolSpec("x".repeat(65), "Searches.", schema())).hasMessageContaining("must match");
        assertThatThrownBy(() -> new ToolSpec("search", " ", schema())).hasMessageContaining("description");
        assertThatThrownBy(() -> new ToolSpec("search", "Searches.", Json.tree("{\"type\":\"string\"}")))
                .hasMessageContaining("\"type\":\"object\"");
        assertThatThrownBy(() -> new ToolSpec("search", "Searches.", Json.tree("{\"type\":\"object\",\"properties\":[]}")))
                .hasMessageContaining("properties");
    }
}
