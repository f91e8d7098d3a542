package dev.steward.llm;

import dev.langchain4j.model.openai.OpenAiChatModel;

/**
 * Any OpenAI-compatible chat-completions endpoint (Groq, vLLM, Ollama's /v1, OpenAI), through LangChain4j: posts
 * to {@code {baseUrl}/chat/completions}, tools as {@code tools[].function}, tool calls read from
 * {@code choices[0].message.tool_calls}. Thread-safe; one attempt per call (see {@link ChatModel}).
 */
public final class OpenAiCompatibleChatModel implements ChatModel {
    private final OpenAiChatModel model;
    private final String id;

    /** The single endpoint of {@link ModelConfig}; replies are labelled with the bare model name. */
    public OpenAiCompatibleChatModel(ModelConfig config) {
        this(config.toProviderConfig());
    }

    /** One provider of a chain; replies are labelled {@link ProviderConfig#label()}. */
    public OpenAiCompatibleChatModel(ProviderConfig config) {
        if (config.kind() != ProviderKind.OPENAI) {
            throw new IllegalArgumentException("provider " + config.name() + " is " + config.kind() + ", not OPENAI");
        }
        this.id = config.label();
        // Retries belong to the state machine (backoff, jitter, attempt budget) and the fallback chain, not the client.
        this.model = OpenAiChatModel.builder()
                .baseUrl(config.baseUrl())
                .apiKey(config.apiKey() == null ? "none" : config.apiKey())
                .modelName(config.model())
                .temperature(0.0)
                .timeout(config.timeout())
                .maxRetries(0)
                .build();
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
