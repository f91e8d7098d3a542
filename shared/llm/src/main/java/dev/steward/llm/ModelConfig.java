package dev.steward.llm;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The single OpenAI-compatible endpoint (Groq, vLLM, Ollama's /v1, OpenAI) configured with
 * {@code STEWARD_LLM_BASE_URL}, {@code STEWARD_LLM_API_KEY} and {@code STEWARD_LLM_MODEL}; with no base URL there
 * is no model and answers come from the offline extractive responder, labelled as such. For several providers
 * with fallback, see {@link ModelProviders#fromEnvironment}, which also reads these variables.
 */
public record ModelConfig(String baseUrl, String apiKey, String model, int timeoutSeconds) {

    public static Optional<ModelConfig> fromEnvironment(Map<String, String> env) {
        String base = env.get("STEWARD_LLM_BASE_URL");
        if (base == null || base.isBlank()) {
            return Optional.empty();
        }
        String model = env.getOrDefault("STEWARD_LLM_MODEL", "");
        if (model.isBlank()) {
            throw new IllegalArgumentException("STEWARD_LLM_BASE_URL is set but STEWARD_LLM_MODEL is not: name the model to use");
        }
        int timeout = Integer.parseInt(env.getOrDefault("STEWARD_LLM_TIMEOUT_SECONDS", "60"));
        return Optional.of(new ModelConfig(base, env.getOrDefault("STEWARD_LLM_API_KEY", "none"), model, timeout));
    }

    /** The same endpoint as one provider named {@code default}. */
    public ProviderConfig toProviderConfig() {
        return ProviderConfig.openAi(ProviderConfig.DEFAULT_NAME, baseUrl, model, apiKey).withTimeout(Duration.ofSeconds(timeoutSeconds));
    }

    @Override
    public String toString() {
        return "ModelConfig[baseUrl=" + baseUrl + ", apiKey=****, model=" + model + ", timeoutSeconds=" + timeoutSeconds + "]";
    }
}
