package dev.steward.llm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the model (or fallback chain of models) a deployment is configured with.
 *
 * <p>From the environment, in this order:
 * <ol>
 *   <li>{@code STEWARD_LLM_CHAIN=groq,ollama}: providers tried in that order. Each name reads
 *       {@code STEWARD_LLM_<NAME>_KIND} ({@code bedrock | openai | ollama}), {@code _BASE_URL}, {@code _MODEL},
 *       {@code _API_KEY}, {@code _REGION} (Bedrock) and {@code _TIMEOUT_SECONDS} (else
 *       {@code STEWARD_LLM_TIMEOUT_SECONDS}, else 60). The names {@code groq}, {@code ollama} and {@code bedrock}
 *       are presets that fill in the kind, base URL and a seed model; explicit variables win.</li>
 *   <li>Otherwise {@code STEWARD_LLM_BASE_URL} (+ {@code _MODEL}, {@code _API_KEY}): the single OpenAI-compatible
 *       endpoint of {@link ModelConfig}, as a one-element chain labelled by its model name.</li>
 *   <li>Otherwise no model: callers fall back to the offline extractive responder.</li>
 * </ol>
 * Setting both {@code STEWARD_LLM_CHAIN} and {@code STEWARD_LLM_BASE_URL} is rejected rather than guessed at.
 * Configuration errors throw {@link IllegalArgumentException} naming the variable to set, at start-up.
 */
public final class ModelProviders {
    public static final String CHAIN = "STEWARD_LLM_CHAIN";
    public static final String TIMEOUT_SECONDS = "STEWARD_LLM_TIMEOUT_SECONDS";
    static final String DEFAULT_BEDROCK_REGION = "us-east-1";
    /** The Bedrock provider's seed model, and the CDK stacks' default for a stage that names none. */
    public static final String DEFAULT_BEDROCK_MODEL = "amazon.nova-lite-v1:0";
    /** The Bedrock provider's model variable ({@code STEWARD_LLM_<NAME>_MODEL} for the preset name {@code bedrock}). */
    public static final String BEDROCK_MODEL = "STEWARD_LLM_BEDROCK_MODEL";

    /** What a well-known provider name implies when its variables are not set. Seed models: change freely. */
    private record Preset(ProviderKind kind, String baseUrl, String model) {}

    private static final Map<String, Preset> PRESETS = Map.of(
            "groq", new Preset(ProviderKind.OPENAI, "https://api.groq.com/openai/v1", "llama-3.3-70b-versatile"),
            "ollama", new Preset(ProviderKind.OLLAMA, ProviderConfig.DEFAULT_OLLAMA_URL, "llama3.2"),
            "bedrock", new Preset(ProviderKind.BEDROCK, null, DEFAULT_BEDROCK_MODEL));

    private ModelProviders() {}

    /** The configured model: one provider, a {@link FallbackChatModel} over several, or empty for none. */
    public static Optional<ChatModel> fromEnvironment(Map<String, String> env) {
        List<ProviderConfig> chain = chainFromEnvironment(env);
        return chain.isEmpty() ? Optional.empty() : Optional.of(chain(chain));
    }

    /** The providers the environment configures, in the order they are tried; empty when none. */
    public static List<ProviderConfig> chainFromEnvironment(Map<String, String> env) {
        String chain = value(env, CHAIN);
        Optional<ModelConfig> single = ModelConfig.fromEnvironment(env);
        if (chain == null) {
            return single.map(c -> List.of(c.toProviderConfig())).orElse(List.of());
        }
        if (single.isPresent()) {
            throw new IllegalArgumentException("both " + CHAIN + " and STEWARD_LLM_BASE_URL are set: configure the chain's "
                    + "providers with STEWARD_LLM_<NAME>_* and unset STEWARD_LLM_BASE_URL");
        }
        Set<String> names = new LinkedHashSet<>();
        for (String raw : chain.split(",")) {
            String name = raw.strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (!ProviderConfig.NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(CHAIN + " names provider '" + name + "': names must match "
                        + ProviderConfig.NAME.pattern() + " to form STEWARD_LLM_<NAME>_* variables");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException(CHAIN + " names provider '" + name + "' twice");
            }
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException(CHAIN + " is set but names no provider");
        }
        List<ProviderConfig> configs = new ArrayList<>();
        for (String name : names) {
            configs.add(provider(name, env));
        }
        return List.copyOf(configs);
    }

    /** One provider of the chain, from {@code STEWARD_LLM_<NAME>_*} and its preset. */
    static ProviderConfig provider(String name, Map<String, String> env) {
        String prefix = "STEWARD_LLM_" + name.toUpperCase(Locale.ROOT) + "_";
        Preset preset = PRESETS.get(name);
        String kindValue = value(env, prefix + "KIND");
        ProviderKind kind;
        if (kindValue != null) {
            kind = ProviderKind.parse(kindValue);
        } else if (preset != null) {
            kind = preset.kind();
        } else {
            throw new IllegalArgumentException(prefix + "KIND is not set: bedrock, openai or ollama");
        }
        // A preset fills gaps only for the kind it describes: "groq" switched to KIND=ollama gets no Groq URL.
        Preset defaults = preset != null && preset.kind() == kind ? preset : new Preset(kind, null, null);
        String model = first(value(env, prefix + "MODEL"), defaults.model());
        if (model == null) {
            throw new IllegalArgumentException(prefix + "MODEL is not set: name the model provider " + name + " should use");
        }
        String baseUrl = first(value(env, prefix + "BASE_URL"), defaults.baseUrl());
        if (kind == ProviderKind.OPENAI && baseUrl == null) {
            throw new IllegalArgumentException(prefix + "BASE_URL is not set: an OpenAI-compatible provider needs its base URL");
        }
        String apiKey = value(env, prefix + "API_KEY");
        if ("groq".equals(name) && kind == ProviderKind.OPENAI && apiKey == null) {
            throw new IllegalArgumentException(prefix + "API_KEY is not set: Groq needs an API key");
        }
        String region = kind == ProviderKind.BEDROCK
                ? first(value(env, prefix + "REGION"), first(value(env, "AWS_REGION"), first(value(env, "AWS_DEFAULT_REGION"), DEFAULT_BEDROCK_REGION)))
                : null;
        String seconds = first(value(env, prefix + "TIMEOUT_SECONDS"), first(value(env, TIMEOUT_SECONDS), "60"));
        Duration timeout;
        try {
            timeout = Duration.ofSeconds(Long.parseLong(seconds));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("timeout for provider " + name + " must be whole seconds, was '" + seconds + "'", e);
        }
        return new ProviderConfig(name, kind, model, baseUrl, region, apiKey, timeout);
    }

    /** The model for one provider. */
    public static ChatModel create(ProviderConfig config) {
        return switch (config.kind()) {
            case OPENAI -> new OpenAiCompatibleChatModel(config);
            case OLLAMA -> new OllamaChatModel(config);
            case BEDROCK -> BedrockChatModel.create(config);
        };
    }

    /** One provider as itself; several as a {@link FallbackChatModel} trying them in order. */
    public static ChatModel chain(List<ProviderConfig> configs) {
        if (configs.isEmpty()) {
            throw new IllegalArgumentException("a model chain needs at least one provider");
        }
        if (configs.size() == 1) {
            return create(configs.getFirst());
        }
        return new FallbackChatModel(configs.stream().map(ModelProviders::create).toList());
    }

    private static String value(Map<String, String> env, String key) {
        String v = env.get(key);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }
}
