package dev.steward.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelProvidersTest {

    @Test
    void nothingConfiguredMeansNoModel() {
        assertThat(ModelProviders.chainFromEnvironment(Map.of())).isEmpty();
        assertThat(ModelProviders.fromEnvironment(Map.of())).isEmpty();
    }

    @Test
    void theSingleEndpointVariablesStillWorkAsAOneElementChain() {
        Map<String, String> env = Map.of("STEWARD_LLM_BASE_URL", "https://api.groq.com/openai/v1",
                "STEWARD_LLM_MODEL", "llama-3.3-70b-versatile", "STEWARD_LLM_API_KEY", "gsk-1", "STEWARD_LLM_TIMEOUT_SECONDS", "30");

        List<ProviderConfig> chain = ModelProviders.chainFromEnvironment(env);

        assertThat(chain).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(ProviderKind.OPENAI);
            assertThat(c.baseUrl()).isEqualTo("https://api.groq.com/openai/v1");
            assertThat(c.apiKey()).isEqualTo("gsk-1");
            assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(30));
        });
        ChatModel model = ModelProviders.fromEnvironment(env).orElseThrow();
        assertThat(model).isInstanceOf(OpenAiCompatibleChatModel.class);
        assertThat(model.id()).as("labelled as before chains existed").isEqualTo("llama-3.3-70b-versatile");
    }

    @Test
    void groqThenOllamaNeedsOnlyTheGroqKey() {
        Map<String, String> env = Map.of("STEWARD_LLM_CHAIN", "groq, ollama", "STEWARD_LLM_GROQ_API_KEY", "gsk-1");

        List<ProviderConfig> chain = ModelProviders.chainFromEnvironment(env);

        assertThat(chain).extracting(ProviderConfig::name).containsExactly("groq", "ollama");
        assertThat(chain.get(0).kind()).isEqualTo(ProviderKind.OPENAI);
        assertThat(chain.get(0).baseUrl()).isEqualTo("https://api.groq.com/openai/v1");
        assertThat(chain.get(0).model()).isEqualTo("llama-3.3-70b-versatile");
        assertThat(chain.get(1).kind()).isEqualTo(ProviderKind.OLLAMA);
        assertThat(chain.get(1).baseUrl()).isEqualTo("http://localhost:11434");
        ChatModel model = ModelProviders.fromEnvironment(env).orElseThrow();
        assertThat(model).isInstanceOf(FallbackChatModel.class);
        assertThat(model.id()).isEqualTo("groq/llama-3.3-70b-versatile > ollama/llama3.2");
    }

    @Test
    void explicitVariablesOverrideThePresets() {
        Map<String, String> env = Map.of("STEWARD_LLM_CHAIN", "ollama",
                "STEWARD_LLM_OLLAMA_BASE_URL", "http://gpu-box:11434", "STEWARD_LLM_OLLAMA_MODEL", "qwen3:8b",
                "STEWARD_LLM_OLLAMA_TIMEOUT_SECONDS", "120", "STEWARD_LLM_TIMEOUT_SECONDS", "10");

        ProviderConfig only = ModelProviders.chainFromEnvironment(env).getFirst();

        assertThat(only.baseUrl()).isEqualTo("http://gpu-box:11434");
        assertThat(only.model()).isEqualTo("qwen3:8b");
        assertThat(only.timeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(ModelProviders.fromEnvironment(env).orElseThrow()).isInstanceOf(OllamaChatModel.class);
    }

    @Test
    void bedrockTakesItsRegionFromTheLambdaEnvironmentUnlessToldOtherwise() {
        Map<String, String> lambda = Map.of("STEWARD_LLM_CHAIN", "bedrock", "AWS_REGION", "eu-central-1");
        Map<String, String> pinned = Map.of("STEWARD_LLM_CHAIN", "bedrock", "AWS_REGION", "eu-central-1",
                "STEWARD_LLM_BEDROCK_REGION", "us-west-2", "STEWARD_LLM_BEDROCK_MODEL", "us.amazon.nova-pro-v1:0");

        assertThat(ModelProviders.chainFromEnvironment(lambda).getFirst().region()).isEqualTo("eu-central-1");
        assertThat(ModelProviders.chainFromEnvironment(Map.of("STEWARD_LLM_CHAIN", "bedrock")).getFirst().region()).isEqualTo("us-east-1");
        ProviderConfig config = ModelProviders.chainFromEnvironment(pinned).getFirst();
        assertThat(config.region()).isEqualTo("us-west-2");
        assertThat(config.baseUrl()).as("the regional AWS endpoint").isNull();
        try (BedrockChatModel model = (BedrockChatModel) ModelProviders.create(config)) {
            assertThat(model.id()).as("credentials resolve lazily: building needs none").isEqualTo("bedrock/us.amazon.nova-pro-v1:0");
        }
    }

    @Test
    void aCustomNameNeedsItsKindModelAndForOpenAiItsBaseUrl() {
        assertThatThrownBy(() -> ModelProviders.chainFromEnvironment(Map.of("STEWARD_LLM_CHAIN", "work")))
                .hasMessageContaining("STEWARD_LLM_WORK_KIND");
        assertThatThrownBy(() -> ModelProviders.chainFromEnvironment(Map.of("STEWARD_LLM_CHAIN", "work", "STEWARD_LLM_WORK_KIND", "openai",
                "STEWARD_LLM_WORK_MODEL", "gpt-4.1-mini"))).hasMessageContaining("STEWARD_LLM_WORK_BASE_URL");
        assertThatThrownBy(() -> ModelProviders.chainFromEnvironment(Map.of("STEWARD_LLM_CHAIN", "work", "STEWARD_LLM_WORK_KIND", "ollama")))
                .hasMessageContaining("STEWARD_LLM_WORK_MODEL");
        assertThatThrownBy(() -> ModelProviders.chainFromEnvironment(Map.of("STEWARD_LLM_CHAIN", "work", "STEWARD_LLM_WORK_KIND", "anthropic")))
                .hasMessageContaining("bedrock, openai or ollama");

        ProviderConfig vllm = ModelProviders.chainFromEnvironment(Map.of("STEWARD_LLM_CHAIN", "work", "STEWARD_LLM_WORK_KIND", "OpenAI",
                "STEWARD_LLM_WORK_MODEL", "qwen2.5-7b", "STEWARD_LLM_WORK_BASE_URL", "http://vllm:8000/v1")).getFirst();
        assertThat(vllm.kind()).isEqualTo(ProviderKind.OPENAI);
        assertThat(vllm.apiKey()).isNull();
    }

    @Test
    void aPresetFillsGapsOnlyForTheKindItDescribes() {
        assertThatThrownBy(() -> ModelProviders.chainFromEnvironment(Map.of("STEWARD_LLM_CHAIN", "groq", "STEWARD_LLM_GROQ_KIND", "ollama")))
                .hasMessageContaining("STEWARD_LLM_GROQ_MODEL");
    }

    @Test
    void ambiguousOrIncompleteChainsAreRejectedAtStartUp() {
        assertThatThrownBy(() -> ModelProviders.chainFromEnvironment(Map.of("STEWARD_LLM_CHAIN", "ollama",
                "STEWARD_LLM_BASE_URL", "http://x/v1", "STEWARD_LLM_MODEL", "m"))).hasMessageContaining("both");
        assertThatThrownBy(() -> ModelProviders.chainFromEnvironment(Map.of("STEWARD_LLM_CHAIN", "ollama,OLLAMA")))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> ModelProviders.chainFromEnvironment(Map.of("STEWARD_LLM_CHAIN", " , ")))
                .hasMessageContaining("names no provider");
        assertThatThrownBy(() -> ModelProviders.chainFromEnvironment(Map.of("STEWARD_LLM_CHAIN", "groq")))
                .hasMessageContaining("STEWARD_LLM_GROQ_API_KEY");
        assertThatThrownBy(() -> ModelProviders.chainFromEnvironment(Map.of("STEWARD_LLM_CHAIN", "ollama", "STEWARD_LLM_TIMEOUT_SECONDS", "1m")))
                .hasMessageContaining("whole seconds");
        assertThatThrownBy(() -> ModelProviders.chainFromEnvironment(Map.of("STEWARD_LLM_CHAIN", "ollama", "STEWARD_LLM_OLLAMA_BASE_URL", "localhost:11434")))
                .hasMessageContaining("http(s) URL");
        assertThatThrownBy(() -> ModelProviders.chainFromEnvironment(Map.of("STEWARD_LLM_CHAIN", "my-groq")))
                .hasMessageContaining("must match");
    }

    @Test
    void keysNeverAppearInPrintedConfig() {
        ProviderConfig config = ProviderConfig.openAi("groq", "https://api.groq.com/openai/v1", "m", "gsk-secret");

        assertThat(config.toString()).doesNotContain("gsk-secret").contains("****");
        assertThat(new ModelConfig("http://x/v1", "gsk-secret", "m", 5).toString()).doesNotContain("gsk-secret");
    }
}
