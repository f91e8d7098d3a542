package dev.steward.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.error.PermanentException;
import dev.steward.core.error.TransientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class FallbackChatModelTest {
    private static final ModelRequest REQUEST = new ModelRequest("sys", "user");

    /** A provider whose behaviour is a function, counting its calls. */
    static final class Stub implements ChatModel {
        final String id;
        final Function<ModelRequest, ModelReply> behaviour;
        final AtomicInteger calls = new AtomicInteger();

        Stub(String id, Function<ModelRequest, ModelReply> behaviour) {
            this.id = id;
            this.behaviour = behaviour;
        }

        static Stub answering(String id) {
            return new Stub(id, r -> new ModelReply("from " + id, id, 1, 1));
        }

        static Stub failing(String id, RuntimeException e) {
            return new Stub(id, r -> {
                throw e;
            });
        }

        @Override
        public ModelReply chat(ModelRequest request) {
            calls.incrementAndGet();
            return behaviour.apply(request);
        }

        @Override
        public String id() {
            return id;
        }
    }

    @Test
    void theFirstProviderAnswersAndTheOthersAreNotAsked() {
        Stub a = Stub.answering("a");
        Stub b = Stub.answering("b");

        ModelReply reply = new FallbackChatModel(List.of(a, b)).chat(REQUEST);

        assertThat(reply.model()).isEqualTo("a");
        assertThat(b.calls).hasValue(0);
    }

    @Test
    void aTransientFailureMovesOnAndTheReplyNamesWhoAnswered() {
        Stub a = Stub.failing("a", new TransientException("model a answered HTTP 503"));
        Stub b = Stub.failing("b", new UncheckedIOException(new IOException("connection reset")));
        Stub c = Stub.answering("c");

        ModelReply reply = new FallbackChatModel(List.of(a, b, c)).chat(REQUEST);

        assertThat(reply.model()).isEqualTo("c");
        assertThat(reply.text()).isEqualTo("from c");
        assertThat(List.of(a.calls.get(), b.calls.get(), c.calls.get())).containsExactly(1, 1, 1);
    }

    @Test
    void aPermanentFailureIsThrownWithoutTryingTheRest() {
        PermanentException refused = new PermanentException("model a refused the request (HTTP 400)");
        Stub a = Stub.failing("a", refused);
        Stub b = Stub.answering("b");

        assertThatThrownBy(() -> new FallbackChatModel(List.of(a, b)).chat(REQUEST)).isSameAs(refused);
        assertThat(b.calls).hasValue(0);
    }

    @Test
    void aBugIsNotMistakenForAnOutage() {
        Stub a = Stub.failing("a", new IllegalStateException("bug"));
        Stub b = Stub.answering("b");

        assertThatThrownBy(() -> new FallbackChatModel(List.of(a, b)).chat(REQUEST)).isInstanceOf(IllegalStateException.class);
        assertThat(b.calls).hasValue(0);
    }

    @Test
    void whenAllFailTransientlyTheErrorNamesEachProvidersFailure() {
        TransientException first = new TransientException("model a answered HTTP 429: rate limited");
        TransientException second = new TransientException("model b could not be reached: Connection refused");
        FallbackChatModel chain = new FallbackChatModel(List.of(Stub.failing("a", first), Stub.failing("b", second)));

        assertThatThrownBy(() -> chain.chat(REQUEST))
                .isInstanceOf(TransientException.class)
                .hasMessageContaining("all 2 model providers failed")
                .hasMessageContaining("a: model a answered HTTP 429: rate limited")
                .hasMessageContaining("b: model b could not be reached: Connection refused")
                .hasCause(second)
                .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(first));
    }

    @Test
    void theChainIsNamedByItsProvidersInOrder() {
        FallbackChatModel chain = new FallbackChatModel(List.of(Stub.answering("groq/x"), Stub.answering("ollama/y")));

        assertThat(chain.id()).isEqualTo("groq/x > ollama/y");
        assertThat(chain.providers()).extracting(ChatModel::id).containsExactly("groq/x", "ollama/y");
        assertThatThrownBy(() -> new FallbackChatModel(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
