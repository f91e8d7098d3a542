package dev.steward.llm;

import java.util.Locale;

/** The wire protocol a provider speaks. */
public enum ProviderKind {
    /** Amazon Bedrock Converse API ({@code POST /model/{modelId}/converse}), signed with AWS credentials. */
    BEDROCK,
    /** OpenAI-compatible chat completions ({@code POST {baseUrl}/chat/completions}): Groq, OpenAI, vLLM, Ollama's /v1. */
    OPENAI,
    /** Ollama's native API ({@code POST {baseUrl}/api/chat}). */
    OLLAMA;

    /** Parses {@code bedrock}, {@code openai} or {@code ollama}, in any case. */
    public static ProviderKind parse(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown model provider kind '" + value + "': use bedrock, openai or ollama", e);
        }
    }
}
