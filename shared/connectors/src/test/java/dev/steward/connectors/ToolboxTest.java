package dev.steward.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.json.Json;
import dev.steward.core.run.RunId;
import dev.steward.core.run.ToolCall;
import dev.steward.core.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The connector API: specs, results as observations, the toolbox. */
class ToolboxTest {
    static final JsonNode ECHO_SCHEMA = Json.tree("{\"type\":\"object\",\"required\":[\"text\"],\"properties\":{\"text\":{\"type\":\"string\"}}}");

    static final class Echo implements Tool {
        final AtomicInteger calls = new AtomicInteger();
        final ArgumentValidator validator = new ArgumentValidator(ECHO_SCHEMA);

        @Override
        public ToolSpec spec() {
            return new ToolSpec("echo", "Repeats the text.", ECHO_SCHEMA, SideEffect.READ);
        }

        @Override
        public ToolResult execute(ToolContext context, JsonNode arguments) {
            List<String> violations = validator.violations(arguments);
            if (!violations.isEmpty()) {
                return ToolResult.invalidArguments(violations);
            }
            calls.incrementAndGet();
            return new ToolResult.Success(arguments, false);
        }
    }

    static Connector connector(String name, Tool... tools) {
        return new Connector() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<Tool> tools() {
                return List.of(tools);
            }
        };
    }

    static final ToolContext CONTEXT = new ToolContext(TenantId.of("acme"), new RunId("run_0123456789"), 1, "call_1");

    @Test
    void runsTheNamedToolAndTurnsUnknownNamesIntoAnObservation() {
        Echo echo = new Echo();
        Toolbox toolbox = new Toolbox(List.of(connector("test", echo)));
        assertThat(toolbox.specs()).extracting(ToolSpec::name).containsExactly("echo");

        ToolResult ok = toolbox.execute(CONTEXT, new ToolCall("call_1", "echo", Json.tree("{\"text\":\"hi\"}")));
        assertThat(ok.observation()).isEqualTo(Json.tree("{\"status\":\"ok\",\"result\":{\"text\":\"hi\"}}"));

        ToolResult invalid = toolbox.execute(CONTEXT, new ToolCall("call_1", "echo", Json.tree("{}")));
        assertThat(invalid.observation().get("code").asText()).isEqualTo("invalid_arguments");
        assertThat(invalid.observation().get("details").get(0).asText()).contains("text");

        ToolResult unknown = toolbox.execute(CONTEXT, new ToolCall("call_1", "rm_rf", Json.object()));
        assertThat(unknown).isInstanceOfSatisfying(ToolResult.Failed.class, f -> {
            assertThat(f.code()).isEqualTo("unknown_tool");
            assertThat(f.details()).containsExactly("available tools: echo");
        });
        assertThat(echo.calls).hasValue(1);
    }

    @Test
    void refusesDuplicateNamesAndAContextForAnotherCall() {
        assertThatThrownBy(() -> new Toolbox(List.of(connector("a", new Echo()), connector("b", new Echo()))))
                .hasMessageContaining("two tools are named echo");
        Toolbox toolbox = new Toolbox(List.of(connector("test", new Echo())));
        assertThatThrownBy(() -> toolbox.execute(CONTEXT, new ToolCall("call_2", "echo", Json.object())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void specsAreValidatedAndCannotBeChangedFromOutside() {
        assertThatThrownBy(() -> new ToolSpec("Send Email", "d", ECHO_SCHEMA, SideEffect.READ)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ToolSpec("echo", " ", ECHO_SCHEMA, SideEffect.READ)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ToolSpec("echo", "d", Json.tree("{\"type\":\"string\"}"), SideEffect.READ))
                .isInstanceOf(IllegalArgumentException.class);
        ToolSpec spec = new ToolSpec("echo", "d", ECHO_SCHEMA, SideEffect.READ);
        ((com.fasterxml.jackson.databind.node.ObjectNode) spec.argumentsSchema()).put("type", "string");
        assertThat(spec.argumentsSchema().get("type").asText()).isEqualTo("object");
    }

    @Test
    void theContextDerivesOneKeyPerCall() {
        assertThat(CONTEXT.idempotencyKey()).isEqualTo(new ToolContext(TenantId.of("acme"), new RunId("run_0123456789"), 1, "call_1").idempotencyKey());
        assertThat(CONTEXT.idempotencyKey()).isNotEqualTo(new ToolContext(TenantId.of("acme"), new RunId("run_0123456789"), 2, "call_1").idempotencyKey());
        assertThat(ToolContext.of(TenantId.of("acme"), new RunId("run_0123456789"), 1, new ToolCall("call_1", "echo", Json.object())))
                .isEqualTo(CONTEXT);
        assertThatThrownBy(() -> new ToolContext(TenantId.of("acme"), new RunId("run_0123456789"), -1, "c")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void needsReviewTellsTheModelNothingWasDone() {
        ToolResult r = new ToolResult.NeedsReview(CONTEXT.idempotencyKey(), Instant.parse("2026-01-01T00:00:00Z"), "unknown outcome");
        assertThat(r.observation()).isEqualTo(Json.tree("{\"status\":\"needs_review\",\"message\":\"unknown outcome\"}"));
    }
}
