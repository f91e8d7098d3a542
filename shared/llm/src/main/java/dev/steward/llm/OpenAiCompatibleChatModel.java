package dev.steward.llm;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.output.TokenUsage;
import dev.steward.core.error.PermanentException;
import dev.steward.core.error.TransientException;
import java.time.Duration;

/** Any OpenAI-compatible chat-completions endpoint (Groq, vLLM, Ollama's /v1, OpenAI), through LangChain4j. */
public final class OpenAiCompatibleChatModel implements ChatModel {
    private final OpenAiChatModel model;
    private final String modelName;

    public OpenAiCompatibleChatModel(ModelConfig config) {
        this.modelName = config.model();
        // Retries belong to the state machine (backoff, jitter, attempt budget), not to the client.
        this.model = OpenAiChatModel.builder()
                .baseUrl(config.baseUrl())
                .apiKey(config.apiKey())
                .modelName(config.model())
                .temperature(0.0)
                .timeout(Duration.ofSeconds(config.timeoutSeconds()))
                .maxRetries(0)
                .build();
    }

    @Override
    public ModelReply chat(ModelRequest request) {
        ChatResponse response;
        try {
            response = model.chat(ChatRequest.builder()
                    .messages(SystemMessage.from(request.system()), UserMessage.from(request.user()))
                    .build());
        } catch (RateLimitException | TimeoutException e) {
            throw new TransientException("model " + modelName + " is throttled or timed out: " + e.getMessage(), e);
        } catch (HttpException e) {
            if (e.statusCode() >= 500 || e.statusCode() == 429 || e.statusCode() == 408) {
                throw new TransientException("model " + modelName + " answered HTTP " + e.statusCode(), e);
            }
            throw new PermanentException("model " + modelName + " refused the request (HTTP " + e.statusCode() + "): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e.getCause() instanceof java.io.IOException) {
                throw new TransientException("model " + modelName + " could not be reached: " + e.getMessage(), e);
            }
            throw e;
        }
        TokenUsage usage = response.tokenUsage();
        return new ModelReply(
                response.aiMessage().text() == null ? "" : response.aiMessage().text(),
                modelName,
                usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount(),
                usage == null || usage.outputTokenCount() == null ? 0 : usage.outputTokenCount());
    }

    @Override
    public String id() {
        return modelName;
    }
}
