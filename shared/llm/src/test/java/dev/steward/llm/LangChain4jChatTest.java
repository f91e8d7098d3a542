package dev.steward.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.steward.core.error.PermanentException;
import dev.steward.core.json.Json;
import dev.steward.core.run.ToolCall;
import java.util.List;
import org.junit.jupiter.api.Test;

class LangChain4jChatTest {

    private static ToolExecutionRequest call(String id, String arguments) {
        return ToolExecutionRequest.builder().id(id).name("search").arguments(arguments).build();
    }

    @Test
    void toolArgumentsArriveAsJson() {
        ToolCall call = LangChain4jChat.toolCall(call("c1", "{\"q\":\"refunds\",\"k\":3}"), 0);

        assertThat(call.id()).isEqualTo("c1");
        assertThat(call.tool()).isEqualTo("search");
        assertThat(call.arguments()).isEqualTo(Json.tree("{\"q\":\"refunds\",\"k\":3}"));
    }

    @Test
    void missingArgumentsAreAnEmptyObjectAndMalformedOnesAreKeptAsText() {
        assertThat(LangChain4jChat.toolCall(call("c1", ""), 0).arguments()).isEqualTo(Json.object());
        JsonNode malformed = LangChain4jChat.toolCall(call("c1", "{\"q\": refunds"), 0).arguments();
        assertThat(malformed.isTextual()).isTrue();
        assertThat(malformed.asText()).isEqualTo("{\"q\": refunds");
    }

    @Test
    void aCallWithoutAnIdIsNamedByItsPosition() {
        assertThat(LangChain4jChat.toolCall(call(null, "{}"), 2).id()).isEqualTo("call_2");
    }

    @Test
    void finishReasonsMapOntoStopReasons() {
        assertThat(LangChain4jChat.stopReason(FinishReason.STOP)).isEqualTo(StopReason.END_TURN);
        assertThat(LangChain4jChat.stopReason(FinishReason.TOOL_EXECUTION)).isEqualTo(StopReason.TOOL_USE);
        assertThat(LangChain4jChat.stopReason(FinishReason.LENGTH)).isEqualTo(StopReason.MAX_TOKENS);
        assertThat(LangChain4jChat.stopReason(FinishReason.CONTENT_FILTER)).isEqualTo(StopReason.CONTENT_FILTERED);
        assertThat(LangChain4jChat.stopReason(FinishReason.OTHER)).isEqualTo(StopReason.OTHER);
        assertThat(LangChain4jChat.stopReason(null)).isEqualTo(StopReason.END_TURN);
    }

    @Test
    void toolCallsMeanToolUseWhateverTheProviderReportedAsFinishReason() {
        ChatResponse response = ChatResponse.builder()
                .aiMessage(AiMessage.from(List.of(call(null, "{\"q\":\"x\"}"))))
                .finishReason(FinishReason.STOP) // Ollama says "stop" when it asks for tools
                .tokenUsage(new TokenUsage(5, 2))
                .build();

        ModelReply reply = LangChain4jChat.toReply("ollama/llama3.2", response);

        assertThat(reply.stopReason()).isEqualTo(StopReason.TOOL_USE);
        assertThat(reply.text()).isEmpty();
        assertThat(reply.toolCalls()).extracting(ToolCall::id).containsExactly("call_0");
        assertThat(reply.inputTokens()).isEqualTo(5);
        assertThat(reply.outputTokens()).isEqualTo(2);
    }

    @Test
    void aReplyWithoutUsageCountsZeroTokens() {
        ModelReply reply = LangChain4jChat.toReply("m", ChatResponse.builder().aiMessage(AiMessage.from("hi")).build());

        assertThat(reply.inputTokens()).isZero();
        assertThat(reply.outputTokens()).isZero();
    }

    @Test
    void aRequestWithoutToolsSendsNone() {
        ChatRequest request = LangChain4jChat.toChatRequest("m", new ModelRequest("sys", "user"));

        assertThat(request.toolSpecifications()).isNullOrEmpty();
        assertThat(request.messages()).hasSize(2);
    }

    @Test
    void blankInstructionsSendNoSystemTurn() {
        ChatRequest request = LangChain4jChat.toChatRequest("m", new ModelRequest(" ", "user"));

        assertThat(request.messages()).singleElement().isInstanceOf(UserMessage.class);
    }

    @Test
    void schemaAnnotationsAtTheRootAreDroppedAndTheRestIsKept() {
        ToolSpec tool = new ToolSpec("search", "Searches.", Json.tree("""
                {"$schema":"https://json-schema.org/draft/2020-12/schema","title":"Search","type":"object",
                 "properties":{"q":{"type":"string"},"k":{"type":"integer","maximum":20}},"required":["q"],
                 "additionalProperties":false}"""));

        ToolSpecification spec = LangChain4jChat.toolSpecification("m", tool);

        JsonNode back = Json.tree(spec.toJson()).path("parameters");
        assertThat(back.has("$schema")).isFalse();
        assertThat(back.at("/properties/k/maximum").asInt()).isEqualTo(20);
        assertThat(back.path("required")).isEqualTo(Json.tree("[\"q\"]"));
        assertThat(back.path("additionalProperties").asBoolean(true)).isFalse();
        assertThat(tool.parametersSchema().has("$schema")).as("the caller's spec is untouched").isTrue();
    }

    @Test
    void aRootKeywordNoProviderMappingCarriesIsRefusedNotDropped() {
        ToolSpec tool = new ToolSpec("search", "Searches.", Json.tree("{\"type\":\"object\",\"minProperties\":1,\"properties\":{}}"));

        assertThatThrownBy(() -> LangChain4jChat.toolSpecification("groq/x", tool))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("search")
                .hasMessageContaining("groq/x");
    }
}
