package dev.steward.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.core.json.Json;
import dev.steward.store.idempotency.IdempotencyKey;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** The expected outcomes of a tool call. Infrastructure failures are exceptions instead (see {@link Tool#execute}). */
public sealed interface ToolResult {

    /**
     * The tool did its work. {@code replayed} is true when an earlier attempt of the same call did it and this is
     * its stored outcome (nothing was done again).
     */
    record Success(JsonNode output, boolean replayed) implements ToolResult {
        public Success {
            Objects.requireNonNull(output, "output");
            output = output.deepCopy();
        }

        /** A copy: the stored outcome cannot be changed through a result. */
        @Override
        public JsonNode output() {
            return output.deepCopy();
        }
    }

    /**
     * The tool did nothing, for a reason the model can see and act on (fix the arguments, pick another recipient).
     * {@code code} is a stable identifier such as {@code invalid_arguments} or {@code rejected}.
     */
    record Failed(String code, String message, List<String> details) implements ToolResult {
        public Failed {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
            details = details == null ? List.of() : List.copyOf(details);
        }
    }

    /**
     * An earlier attempt of this call began at {@code since} and its outcome is unknown (it crashed, or is still
     * running): the action may or may not have happened. Nothing was done now; a person must check and decide.
     */
    record NeedsReview(IdempotencyKey key, Instant since, String reason) implements ToolResult {
        public NeedsReview {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(since, "since");
            Objects.requireNonNull(reason, "reason");
        }
    }

    static Failed invalidArguments(List<String> violations) {
        return new Failed("invalid_arguments", "the arguments do not match the tool's schema", violations);
    }

    /** The JSON the model sees as the tool's observation. */
    default JsonNode observation() {
        ObjectNode o = Json.object();
        switch (this) {
            case Success s -> {
                o.put("status", "ok");
                o.set("result", s.output());
            }
            case Failed f -> {
                o.put("status", "error");
                o.put("code", f.code());
                o.put("message", f.message());
                if (!f.details().isEmpty()) {
                    o.set("details", Json.mapper().valueToTree(f.details()));
                }
            }
            case NeedsReview r -> {
                o.put("status", "needs_review");
                o.put("message", r.reason());
            }
        }
        return o;
    }
}
