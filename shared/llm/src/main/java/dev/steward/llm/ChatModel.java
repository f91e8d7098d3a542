package dev.steward.llm;

/**
 * A language model behind one small interface. Implementations are thread-safe. Transient failures (throttling,
 * timeouts, 5xx) surface as {@link dev.steward.core.error.TransientException}; everything else as
 * {@link dev.steward.core.error.PermanentException}.
 */
public interface ChatModel {

    ModelReply chat(ModelRequest request);

    /** The model's name as reported in answers, e.g. {@code llama-3.3-70b-versatile}. */
    String id();
}
