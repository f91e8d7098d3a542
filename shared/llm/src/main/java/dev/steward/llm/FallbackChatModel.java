package dev.steward.llm;

import dev.steward.core.error.TransientException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Tries providers in order and returns the first answer; the reply's {@link ModelReply#model()} names the provider
 * that gave it.
 *
 * <ul>
 *   <li>A {@link TransientException} (throttling, timeout, 5xx, unreachable) or an {@link UncheckedIOException}
 *       moves on to the next provider.</li>
 *   <li>A {@link dev.steward.core.error.PermanentException} is thrown at once: a request one provider rejects as
 *       malformed is not retried elsewhere, so a bug is not masked by a fallback that happens to accept it.</li>
 *   <li>When every provider failed transiently, a {@link TransientException} names each failure (the others
 *       attached as suppressed), so the state machine's Retry may run the whole chain again later.</li>
 * </ul>
 * Each provider gets one attempt per call; there is no memory between calls (no circuit breaker). Thread-safe if
 * the providers are.
 */
public final class FallbackChatModel implements ChatModel {
    private static final Logger LOG = Logger.getLogger(FallbackChatModel.class.getName());

    private final List<ChatModel> providers;

    public FallbackChatModel(List<ChatModel> providers) {
        this.providers = List.copyOf(providers);
        if (this.providers.isEmpty()) {
            throw new IllegalArgumentException("a fallback chain needs at least one provider");
        }
    }

    @Override
    public ModelReply chat(ModelRequest request) {
        List<RuntimeException> failures = new ArrayList<>();
        for (ChatModel provider : providers) {
            try {
                return provider.chat(request);
            } catch (TransientException | UncheckedIOException e) {
                failures.add(e);
                if (failures.size() < providers.size()) {
                    LOG.log(Level.WARNING, "model {0} failed, trying the next provider: {1}", new Object[] {provider.id(), e.getMessage()});
                }
            }
        }
        String each = IntStream.range(0, providers.size())
                .mapToObj(i -> providers.get(i).id() + ": " + failures.get(i).getMessage())
                .collect(Collectors.joining("; "));
        TransientException all = new TransientException("all " + providers.size() + " model providers failed: " + each,
                failures.getLast());
        failures.subList(0, failures.size() - 1).forEach(all::addSuppressed);
        throw all;
    }

    /** The providers' ids in order, e.g. {@code groq/llama-3.3-70b-versatile > ollama/llama3.2}. */
    @Override
    public String id() {
        return providers.stream().map(ChatModel::id).collect(Collectors.joining(" > "));
    }

    /** The providers in the order they are tried. */
    public List<ChatModel> providers() {
        return providers;
    }
}
