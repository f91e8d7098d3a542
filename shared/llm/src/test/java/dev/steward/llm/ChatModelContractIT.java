package dev.steward.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.error.PermanentException;
import dev.steward.core.error.TransientException;
import dev.steward.core.json.Json;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ChatModel} provider must do, proven against a local fake speaking that provider's real wire
 * format: each subclass scripts the provider's JSON and says where the prompt and tools sit in what it sends. The
 * fake counts requests, so "one attempt per call" (no hidden client retries) is checked for every failure.
 */
abstract class ChatModelContractIT {
    static final String SYSTEM = "You answer questions about orders. Be brief.";
    static final String USER = "How long do refunds take?";
    static final ToolSpec LOOKUP = new ToolSpec("lookup_order", "Finds an order by its id.", Json.tree("""
            {"type":"object",
             "properties":{"orderId":{"type":"string","description":"The order id, e.g. A-17"},
                           "quantity":{"type":"integer","minimum":1}},
             "required":["orderId"]}"""));

    protected WireFake fake;
    protected ChatModel model;

    /** The provider under test, pointed at {@code fake}. */
    abstract ChatModel model(WireFake fake);

    /** The label replies carry. */
    abstract String expectedId();

    /** The decoded request path the provider must post to. */
    abstract String expectedPath();

    abstract WireFake.Response textReply(String text, int inputTokens, int outputTokens);

    /** A reply asking for one tool call; {@code callId} may be dropped where the wire format has no ids. */
    abstract WireFake.Response toolReply(String callId, String tool, String argumentsJson);

    /** The provider's "slow down" answer (429, or 503 for Ollama). */
    abstract WireFake.Response throttled();

    abstract WireFake.Response serverError();

    /** A 400 whose body contains {@link #badRequestDetail()}. */
    abstract WireFake.Response badRequest();

    abstract String badRequestDetail();

    abstract String sentSystem(JsonNode body);

    abstract String sentUser(JsonNode body);

    /** The tools as sent, each normalised to {@code {name, description, parameters}}. */
    abstract List<JsonNode> sentTools(JsonNode body);

    /** The id our reply gives the scripted call. */
    String expectedCallId(String wireId) {
        return wireId;
    }

    @BeforeEach
    void startFake() throws IOException {
        fake = new WireFake();
        model = model(fake);
    }

    @AfterEach
    void stopFake() throws Exception {
        fake.close();
        if (model instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @Test
    void answersInTextWithTokenUsage() {
        fake.then(textReply("Refunds are issued within 14 days.", 42, 7));

        ModelReply reply = model.chat(new ModelRequest(SYSTEM, USER));

        assertThat(reply.text()).isEqualTo("Refunds are issued within 14 days.");
        assertThat(reply.model()).isEqualTo(expectedId()).isEqualTo(model.id());
        assertThat(reply.inputTokens()).isEqualTo(42);
        assertThat(reply.outputTokens()).isEqualTo(7);
        assertThat(reply.toolCalls()).isEmpty();
        assertThat(reply.stopReason()).isEqualTo(StopReason.END_TURN);

        WireFake.Received sent = fake.only();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo(expectedPath());
        assertThat(sentSystem(sent.json())).isEqualTo(SYSTEM);
        assertThat(sentUser(sent.json())).isEqualTo(USER);
        assertThat(sentTools(sent.json())).isEmpty();
    }

    @Test
    void offersToolsAndReturnsTheToolCallTheModelAskedFor() {
        fake.then(toolReply("call_7", "lookup_order", "{\"orderId\":\"A-17\",\"quantity\":2}"));

        ModelReply reply = model.chat(new ModelRequest(SYSTEM, "Where is order A-17?", List.of(LOOKUP)));

        assertThat(reply.stopReason()).isEqualTo(StopReason.TOOL_USE);
        assertThat(reply.text()).isEmpty();
        assertThat(reply.toolCalls()).singleElement().satisfies(call -> {
            assertThat(call.id()).isEqualTo(expectedCallId("call_7"));
            assertThat(call.tool()).isEqualTo("lookup_order");
            assertThat(call.arguments()).isEqualTo(Json.tree("{\"orderId\":\"A-17\",\"quantity\":2}"));
        });

        WireFake.Received sent = fake.only();
        assertThat(sent.path()).isEqualTo(expectedPath());
        assertThat(sentUser(sent.json())).isEqualTo("Where is order A-17?");
        assertThat(sentTools(sent.json())).singleElement().satisfies(tool -> {
            assertThat(tool.path("name").asText()).isEqualTo("lookup_order");
            assertThat(tool.path("description").asText()).isEqualTo("Finds an order by its id.");
            JsonNode schema = tool.path("parameters");
            assertThat(schema.path("type").asText()).isEqualTo("object");
            assertThat(schema.at("/properties/orderId/type").asText()).isEqualTo("string");
            assertThat(schema.at("/properties/orderId/description").asText()).isEqualTo("The order id, e.g. A-17");
            assertThat(schema.at("/properties/quantity/type").asText()).isEqualTo("integer");
            assertThat(schema.at("/properties/quantity/minimum").asInt()).as("keywords LangChain4j has no type for survive").isEqualTo(1);
            assertThat(schema.path("required")).isEqualTo(Json.tree("[\"orderId\"]"));
        });
    }

    @Test
    void throttlingIsTransientAndNotRetriedByTheClient() {
        fake.then(throttled());

        assertThatThrownBy(() -> model.chat(new ModelRequest(SYSTEM, USER)))
                .isInstanceOf(TransientException.class)
                .hasMessageContaining(expectedId());
        assertThat(fake.received()).hasSize(1);
    }

    @Test
    void serverErrorIsTransientAndNotRetriedByTheClient() {
        fake.then(serverError());

        assertThatThrownBy(() -> model.chat(new ModelRequest(SYSTEM, USER)))
                .isInstanceOf(TransientException.class)
                .hasMessageContaining(expectedId())
                .hasMessageContaining("500");
        assertThat(fake.received()).hasSize(1);
    }

    @Test
    void badRequestIsPermanentAndSaysWhy() {
        fake.then(badRequest());

        assertThatThrownBy(() -> model.chat(new ModelRequest(SYSTEM, USER)))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining(expectedId())
                .hasMessageContaining("400")
                .hasMessageContaining(badRequestDetail());
        assertThat(fake.received()).hasSize(1);
    }

    @Test
    void anUnreachableProviderIsTransient() {
        fake.close();

        assertThatThrownBy(() -> model.chat(new ModelRequest(SYSTEM, USER)))
                .isInstanceOf(TransientException.class)
                .hasMessageContaining(expectedId());
    }
}
