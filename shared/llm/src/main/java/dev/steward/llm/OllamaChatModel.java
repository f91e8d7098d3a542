package dev.steward.llm;

import java.util.Map;

/**
 * Ollama's native chat API through LangChain4j: posts to {@code {baseUrl}/api/chat} with {@code stream:false},
 * tools as {@code tools[].function}, tool calls read from {@code message.tool_calls} (which carry no id: see
 * {@link LangChain4jChat#toolCall}). An API key, when set, is sent as a bearer token for Ollama behind a proxy.
 * Thread-safe; one attempt per call (see {@link ChatModel}).
 */
public final class OllamaChatModel implements ChatModel {
    private final dev.langchain4j.model.ollama.OllamaChatModel model;
    private final String id;

    public OllamaChatModel(ProviderConfig config) {
        if (config.kind() != ProviderKind.OLLAMA) {
            throw new IllegalArgumentException("provider " + config.name() + " is " + config.kind() + ", not OLLAMA");
        }
        this.id = config.label();
        var builder = dev.langchain4j.model.ollama.OllamaChatModel.builder()
                .baseUrl(config.baseUrl())
                .modelName(config.model())
                .temperature(0.0)
                .timeout(config.timeout())
                .maxRetries(0);
        if (config.apiKey() != null) {
            builder.customHeaders(Map.of("Authorization", "Bearer " + config.apiKey()));
        }
        this.model = builder.build();
    }

    @Override
    public ModelReply chat(ModelRequest request) {
        return LangChain4jChat.chat(model, id, request);
    }

    @Override
    public String id() {
        return id;
    }
}
