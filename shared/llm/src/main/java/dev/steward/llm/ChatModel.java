package dev.steward.llm;

/**
 * A language model behind one small interface.
 *
 * <p>Contract every implementation keeps:
 * <ul>
 *   <li>Thread-safe: one instance serves concurrent calls.</li>
 *   <li>No hidden retries: one {@link #chat} is one attempt per provider. Retrying belongs to the state machine
 *       (backoff, jitter, attempt budget) and choosing another provider to {@link FallbackChatModel}.</li>
 *   <li>{@link dev.steward.core.error.TransientException} means "may succeed if retried": throttling, timeouts,
 *       5xx, the provider could not be reached.</li>
 *   <li>{@link dev.steward.core.error.PermanentException} means retrying the same request cannot help: the
 *       request was refused (4xx other than 408/429), credentials or the model id are wrong, or the reply could
 *       not be understood.</li>
 * </ul>
 */
public interface ChatModel {

    ModelReply chat(ModelRequest request);

    /** The model's name as reported in answers, e.g. {@code llama-3.3-70b-versatile} or {@code groq/llama-3.3-70b-versatile}. */
    String id();
}
