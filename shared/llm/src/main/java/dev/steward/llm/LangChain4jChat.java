package dev.steward.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.steward.core.error.PermanentException;
import dev.steward.core.json.Json;
import dev.steward.core.run.ToolCall;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place our model API meets LangChain4j's: request and reply mapping for every provider, so the providers
 * differ only in how they build their LangChain4j model. Stateless.
 */
final class LangChain4jChat {
    private LangChain4jChat() {}

    /** One attempt against {@code delegate}; failures come back classified (see {@link ProviderFailures}). */
    static ModelReply chat(dev.langchain4j.model.chat.ChatModel delegate, String id, ModelRequest request) {
        ChatRequest chatRequest = toChatRequest(id, request);
        ChatResponse response;
        try {
            response = delegate.chat(chatRequest);
        } catch (RuntimeException e) {
            throw ProviderFailures.classify(id, e);
        }
        return toReply(id, response);
    }

    static ChatRequest toChatRequest(String id, ModelRequest request) {
        // LangChain4j refuses a blank system message; no instructions means no system turn.
        ChatRequest.Builder builder = ChatRequest.builder().messages(request.system().isBlank()
                ? List.of(UserMessage.from(request.user()))
                : List.of(SystemMessage.from(request.system()), UserMessage.from(request.user())));
        if (!request.tools().isEmpty()) {
            builder.toolSpecifications(request.tools().stream().map(t -> toolSpecification(id, t)).toList());
        }
        return builder.build();
    }

    static ToolSpecification toolSpecification(String id, ToolSpec tool) {
        ObjectNode json = Json.object().put("name", tool.name()).put("description", tool.description());
        ObjectNode schema = (ObjectNode) tool.parametersSchema();
        // Root annotations no provider reads. LangChain4j types the root as an object schema and refuses keywords it
        // has no field for, so these would otherwise make a valid tool unsendable.
        schema.remove(List.of("$schema", "$id", "title"));
        json.set("parameters", schema);
        try {
            return ToolSpecification.fromJson(Json.write(json));
        } catch (IllegalArgumentException e) {
            throw new PermanentException("tool '" + tool.name() + "' cannot be offered to model " + id + ": " + e.getMessage(), e);
        }
    }

    static ModelReply toReply(String id, ChatResponse response) {
        AiMessage message = response.aiMessage();
        if (message == null) {
            throw new PermanentException("model " + id + " returned no message");
        }
        List<ToolCall> calls = new ArrayList<>();
        if (message.hasToolExecutionRequests()) {
            for (ToolExecutionRequest r : message.toolExecutionRequests()) {
                calls.add(toolCall(r, calls.size()));
            }
        }
        TokenUsage usage = response.tokenUsage();
        return new ModelReply(
                message.text() == null ? "" : message.text(),
                id,
                usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount(),
                usage == null || usage.outputTokenCount() == null ? 0 : usage.outputTokenCount(),
                calls,
                calls.isEmpty() ? stopReason(response.finishReason()) : StopReason.TOOL_USE);
    }

    /**
     * Ollama gives tool calls no id, so the position names them ({@code call_0}, ...). Arguments that are not JSON
     * are kept as a JSON string, so the loop can tell the model its call was malformed instead of crashing.
     */
    static ToolCall toolCall(ToolExecutionRequest request, int index) {
        String id = request.id() == null || request.id().isBlank() ? "call_" + index : request.id();
        String name = request.name() == null ? "" : request.name();
        String raw = request.arguments();
        JsonNode arguments;
        if (raw == null || raw.isBlank()) {
            arguments = Json.object();
        } else {
            try {
                arguments = Json.tree(raw);
            } catch (RuntimeException notJson) {
                arguments = TextNode.valueOf(raw);
            }
            if (arguments == null || arguments.isMissingNode()) {
                arguments = TextNode.valueOf(raw);
            }
        }
        return new ToolCall(id, name, arguments);
    }

    static StopReason stopReason(FinishReason reason) {
        if (reason == null) {
            return StopReason.END_TURN;
        }
        return switch (reason) {
            case STOP -> StopReason.END_TURN;
            case TOOL_EXECUTION -> StopReason.TOOL_USE;
            case LENGTH -> StopReason.MAX_TOKENS;
            case CONTENT_FILTER -> StopReason.CONTENT_FILTERED;
            default -> StopReason.OTHER; // OTHER, and any reason a later LangChain4j adds
        };
    }
}
