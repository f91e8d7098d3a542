package dev.steward.llm;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One model provider in a chain: a name (used in env keys and in reply labels), the protocol it speaks, the model
 * to ask and where to reach it. Built with {@link #openAi}, {@link #ollama} or {@link #bedrock} and the
 * {@code with*} methods rather than a builder: each kind needs only three values.
 *
 * <ul>
 *   <li>{@code baseUrl}: the OpenAI-compatible base (e.g. {@code https://api.groq.com/openai/v1}, required), the
 *       Ollama server ({@code http://localhost:11434} by default), or for Bedrock an optional endpoint override
 *       (null: the regional AWS endpoint).</li>
 *   <li>{@code region}: the AWS region, Bedrock only (null for the others).</li>
 *   <li>{@code apiKey}: bearer key for OpenAI-compatible endpoints and a proxied Ollama; null when none. Bedrock
 *       signs with AWS credentials instead. Never printed by {@link #toString()}.</li>
 * </ul>
 */
public record ProviderConfig(String name, ProviderKind kind, String model, String baseUrl, String region, String apiKey,
                             Duration timeout) {
    /** The name of the one unnamed endpoint configured with {@code STEWARD_LLM_BASE_URL} (see {@link ModelConfig}). */
    public static final String DEFAULT_NAME = "default";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final String DEFAULT_OLLAMA_URL = "http://localhost:11434";
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,31}");

    public ProviderConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(timeout, "timeout");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("provider name '" + name + "' must match " + NAME.pattern()
                    + " (it becomes part of STEWARD_LLM_<NAME>_* variables)");
        }
        if (model.isBlank()) {
            throw new IllegalArgumentException("provider " + name + " needs a model");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("provider " + name + " timeout must be positive");
        }
        baseUrl = blankToNull(baseUrl);
        region = blankToNull(region);
        apiKey = blankToNull(apiKey);
        switch (kind) {
            case OPENAI -> requireUrl(name, Objects.requireNonNull(baseUrl, () -> "provider " + name + " (openai) needs a base URL"));
            case OLLAMA -> baseUrl = requireUrl(name, baseUrl == null ? DEFAULT_OLLAMA_URL : baseUrl);
            case BEDROCK -> {
                Objects.requireNonNull(region, () -> "provider " + name + " (bedrock) needs a region");
                if (baseUrl != null) {
                    requireUrl(name, baseUrl);
                }
            }
        }
    }

    /** An OpenAI-compatible chat-completions endpoint (Groq, OpenAI, vLLM, Ollama's /v1). */
    public static ProviderConfig openAi(String name, String baseUrl, String model, String apiKey) {
        return new ProviderConfig(name, ProviderKind.OPENAI, model, baseUrl, null, apiKey, DEFAULT_TIMEOUT);
    }

    /** Ollama's native API; {@code baseUrl} null means {@value #DEFAULT_OLLAMA_URL}. */
    public static ProviderConfig ollama(String name, String baseUrl, String model) {
        return new ProviderConfig(name, ProviderKind.OLLAMA, model, baseUrl, null, null, DEFAULT_TIMEOUT);
    }

    /** Bedrock Converse in {@code region} at the regional AWS endpoint. */
    public static ProviderConfig bedrock(String name, String region, String model) {
        return new ProviderConfig(name, ProviderKind.BEDROCK, model, null, region, null, DEFAULT_TIMEOUT);
    }

    public ProviderConfig withBaseUrl(String newBaseUrl) {
        return new ProviderConfig(name, kind, model, newBaseUrl, region, apiKey, timeout);
    }

    public ProviderConfig withApiKey(String newApiKey) {
        return new ProviderConfig(name, kind, model, baseUrl, region, newApiKey, timeout);
    }

    public ProviderConfig withTimeout(Duration newTimeout) {
        return new ProviderConfig(name, kind, model, baseUrl, region, apiKey, newTimeout);
    }

    /**
     * How replies from this provider are labelled: {@code name/model}, e.g. {@code groq/llama-3.3-70b-versatile}.
     * The {@value #DEFAULT_NAME} endpoint is labelled by its model alone, as it was before chains existed.
     */
    public String label() {
        return DEFAULT_NAME.equals(name) ? model : name + "/" + model;
    }

    @Override
    public String toString() {
        return "ProviderConfig[name=" + name + ", kind=" + kind + ", model=" + model + ", baseUrl=" + baseUrl
                + ", region=" + region + ", apiKey=" + (apiKey == null ? "none" : "****") + ", timeout=" + timeout + "]";
    }

    private static String requireUrl(String name, String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("provider " + name + " base URL '" + url + "' is not a URL", e);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("provider " + name + " base URL '" + url + "' must be an http(s) URL");
        }
        return url;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
