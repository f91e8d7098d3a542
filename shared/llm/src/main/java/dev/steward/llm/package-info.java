/**
 * Language models behind one small interface, {@link dev.steward.llm.ChatModel}: a prompt
 * ({@link dev.steward.llm.ModelRequest}, optionally offering {@link dev.steward.llm.ToolSpec tools}) in, a
 * {@link dev.steward.llm.ModelReply} (text and/or {@link dev.steward.core.run.ToolCall tool calls}, usage, stop
 * reason, and the id of the provider that answered) out.
 *
 * <p>Providers, all through LangChain4j: {@link dev.steward.llm.BedrockChatModel} (Converse),
 * {@link dev.steward.llm.OpenAiCompatibleChatModel} (Groq, OpenAI, vLLM), {@link dev.steward.llm.OllamaChatModel}
 * (native {@code /api/chat}); {@link dev.steward.llm.FallbackChatModel} tries several in order, and
 * {@link dev.steward.llm.ModelProviders} builds the configured one from the environment.
 *
 * <p>What callers may rely on: every model is thread-safe; each call is one attempt per provider (no client
 * retries); failures are {@link dev.steward.core.error.TransientException} (retry later: throttling, timeouts, 5xx,
 * unreachable) or {@link dev.steward.core.error.PermanentException} (retrying the same request cannot help).
 * Models are not tenant-aware: tenancy is applied by the caller, which decides what goes into the prompt.
 *
 * <p>Also here: {@link dev.steward.llm.JsonSchemaCheck} for validating model output, and
 * {@link dev.steward.llm.OfflineExtractiveResponder}, which answers with no model at all.
 */
package dev.steward.llm;
