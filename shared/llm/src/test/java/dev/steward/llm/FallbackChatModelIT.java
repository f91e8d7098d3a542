package dev.steward.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.error.PermanentException;
import dev.steward.core.error.TransientException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The chain as configured from the environment ({@code STEWARD_LLM_CHAIN=groq,ollama}), with real clients against
 * two fakes: Groq-style chat completions first, Ollama's native API second.
 */
class FallbackChatModelIT {
    private static final ModelRequest REQUEST = new ModelRequest("Be brief.", "How long do refunds take?");

    private WireFake groq;
    private WireFake ollama;
    private ChatModel chain;

    @BeforeEach
    void start() throws IOException {
        groq = new WireFake();
        ollama = new WireFake();
        chain = ModelProviders.fromEnvironment(Map.of(
                "STEWARD_LLM_CHAIN", "groq,ollama",
                "STEWARD_LLM_GROQ_BASE_URL", groq.url("/openai/v1"),
                "STEWARD_LLM_GROQ_API_KEY", "gsk-test",
                "STEWARD_LLM_OLLAMA_BASE_URL", ollama.url(""),
                "STEWARD_LLM_TIMEOUT_SECONDS", "10")).orElseThrow();
    }

    @AfterEach
    void stop() {
        groq.close();
        ollama.close();
    }

    private static WireFake.Response ollamaAnswer(String text) {
        return WireFake.Response.json(200, """
                {"model":"llama3.2","created_at":"2025-11-23T22:41:07Z","message":{"role":"assistant","content":"%s"},
                 "done":true,"done_reason":"stop","prompt_eval_count":30,"eval_count":9}""".formatted(text));
    }

    @Test
    void aServerErrorFromThePrimaryIsAnsweredByTheSecondary() {
        groq.then(WireFake.Response.json(500, "{\"error\":{\"message\":\"Internal Server Error\"}}"));
        ollama.then(ollamaAnswer("Refunds take 14 days."));

        ModelReply reply = chain.chat(REQUEST);

        assertThat(reply.text()).isEqualTo("Refunds take 14 days.");
        assertThat(reply.model()).isEqualTo("ollama/llama3.2");
        assertThat(reply.inputTokens()).isEqualTo(30);
        assertThat(groq.received()).hasSize(1);
        assertThat(groq.only().path()).isEqualTo("/openai/v1/chat/completions");
        assertThat(ollama.only().path()).isEqualTo("/api/chat");
    }

    @Test
    void anUnreachablePrimaryIsAnsweredByTheSecondary() {
        groq.close();
        ollama.then(ollamaAnswer("ok"));

        assertThat(chain.chat(REQUEST).model()).isEqualTo("ollama/llama3.2");
    }

    @Test
    void aBadRequestToThePrimaryIsNotRetriedOnTheSecondary() {
        groq.then(WireFake.Response.json(400, "{\"error\":{\"message\":\"'messages' must contain the word 'json'\",\"type\":\"invalid_request_error\"}}"));

        assertThatThrownBy(() -> chain.chat(REQUEST))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("groq/llama-3.3-70b-versatile")
                .hasMessageContaining("must contain the word");
        assertThat(groq.received()).hasSize(1);
        assertThat(ollama.received()).isEmpty();
    }

    @Test
    void whenEveryProviderIsOverloadedTheTransientErrorNamesBoth() {
        groq.then(WireFake.Response.json(429, "{\"error\":{\"message\":\"Rate limit reached\",\"code\":\"rate_limit_exceeded\"}}"));
        ollama.then(WireFake.Response.json(503, "{\"error\":\"server busy, please try again.\"}"));

        assertThatThrownBy(() -> chain.chat(REQUEST))
                .isInstanceOf(TransientException.class)
                .hasMessageContaining("groq/llama-3.3-70b-versatile: model groq/llama-3.3-70b-versatile answered HTTP 429")
                .hasMessageContaining("ollama/llama3.2: model ollama/llama3.2 answered HTTP 503");
        assertThat(groq.received()).hasSize(1);
        assertThat(ollama.received()).hasSize(1);
    }

    @Test
    void bedrockThrottlingFallsBackToAnOpenAiCompatibleProvider() throws Exception {
        try (WireFake bedrock = new WireFake();
             BedrockChatModel primary = BedrockChatModel.create(
                     ProviderConfig.bedrock("bedrock", "us-east-1", "amazon.nova-lite-v1:0").withBaseUrl(bedrock.url("")),
                     StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "not-a-secret")))) {
            bedrock.then(new WireFake.Response(429, Map.of("Content-Type", "application/json",
                    "x-amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/"),
                    "{\"message\":\"Too many requests, please wait before trying again.\"}"));
            groq.then(WireFake.Response.json(200, """
                    {"id":"c1","object":"chat.completion","created":1763900000,"model":"llama-3.3-70b-versatile",
                     "choices":[{"index":0,"message":{"role":"assistant","content":"From Groq."},"finish_reason":"stop"}],
                     "usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}}"""));
            ChatModel mixed = new FallbackChatModel(List.of(primary,
                    new OpenAiCompatibleChatModel(ProviderConfig.openAi("groq", groq.url("/openai/v1"), "llama-3.3-70b-versatile", "gsk-test"))));

            ModelReply reply = mixed.chat(REQUEST);

            assertThat(reply.model()).isEqualTo("groq/llama-3.3-70b-versatile");
            assertThat(reply.text()).isEqualTo("From Groq.");
            assertThat(bedrock.only().path()).isEqualTo("/model/amazon.nova-lite-v1:0/converse");
        }
    }
}
