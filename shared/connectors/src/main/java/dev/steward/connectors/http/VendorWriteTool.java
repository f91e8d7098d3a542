package dev.steward.connectors.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.connectors.SideEffect;
import dev.steward.connectors.ToolContext;
import dev.steward.connectors.ToolResult;
import dev.steward.connectors.ToolSpec;
import dev.steward.connectors.connection.Vendor;
import dev.steward.store.connection.ConnectionSettings;
import dev.steward.store.connection.ConnectionStore;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * A tool that writes to one vendor's API with the calling tenant's own connection: arguments checked against the
 * schema, then the tenant's connection read (a tenant without one gets {@code not_connected}, and nothing is sent or
 * recorded), then the request sent effectively once by {@link ExternalHttpWrite}. The connection is looked up by the
 * tenant of the {@link ToolContext} at every call, so a run only ever uses its own tenant's credentials.
 */
public final class VendorWriteTool extends VendorTool {

    /** Builds a call's request from the tenant's connection and the (valid) arguments. */
    @FunctionalInterface
    public interface RequestBuilder {
        /** @throws IllegalArgumentException when the connection lacks something the request needs */
        VendorRequest build(ConnectionSettings connection, JsonNode arguments);
    }

    /**
     * How a call is sent when its request needs more than the connection and the arguments (the call's identity, an
     * access token fetched first): it may answer without sending (a refusal the model sees), or send through
     * {@code write}.
     */
    @FunctionalInterface
    public interface Sending {
        /** @throws IncompleteConnection when the connection lacks something the request needs; then nothing was sent */
        ToolResult send(ToolContext context, ConnectionSettings connection, JsonNode arguments, ExternalHttpWrite write);
    }

    /**
     * The tenant's connection lacks something a call's request needs, found before anything was recorded or sent: the
     * model is told the tool is not connected. Only this is read so: an {@link IllegalArgumentException} thrown later,
     * once the call may have been recorded, is a failure of the step, not a missing connection.
     */
    public static final class IncompleteConnection extends RuntimeException {
        public IncompleteConnection(IllegalArgumentException why) {
            super(why.getMessage(), why);
        }

        /** Runs {@code build} (which reads the connection), an {@link IllegalArgumentException} from it as this. */
        public static <T> T reading(java.util.function.Supplier<T> build) {
            try {
                return build.get();
            } catch (IllegalArgumentException missing) {
                throw new IncompleteConnection(missing);
            }
        }
    }

    /** Builds a call's request from the call itself too, for a request that carries the call's identity (Slack's metadata). */
    @FunctionalInterface
    public interface CallRequestBuilder {
        /** @throws IllegalArgumentException when the connection lacks something the request needs */
        VendorRequest build(ToolContext context, ConnectionSettings connection, JsonNode arguments);
    }

    /** What a vendor's 2xx answer to a call means, for a vendor that reports failures inside a 2xx (Slack). */
    @FunctionalInterface
    public interface Judge {
        /** @param answer the parsed 2xx body (a missing node when empty) */
        WriteAnswer judge(JsonNode arguments, JsonNode answer);
    }

    private final ExternalHttpWrite write;
    private final Sending sending;

    /**
     * @param outcome what to keep of a call (its arguments, then the vendor's 2xx answer) as the tool's result (recorded with the call's
     *     idempotency record and replayed to retries)
     */
    public VendorWriteTool(ToolSpec spec, Vendor vendor, ConnectionStore connections, ExternalHttpWrite write, RequestBuilder request,
            BiFunction<JsonNode, JsonNode, ObjectNode> outcome) {
        this(spec, vendor, connections, write, built(spec.name(), request, outcome));
    }

    /**
     * A tool whose request carries the call's identity, and whose vendor's 2xx answer may still be a failure: {@code judge}
     * tells ({@link ExternalHttpWrite#sendJudging}).
     */
    public VendorWriteTool(ToolSpec spec, Vendor vendor, ConnectionStore connections, ExternalHttpWrite write, CallRequestBuilder request,
            Judge judge) {
        this(spec, vendor, connections, write, judged(spec.name(), request, judge));
    }

    /** A tool whose calls are sent by {@code sending}. */
    public VendorWriteTool(ToolSpec spec, Vendor vendor, ConnectionStore connections, ExternalHttpWrite write, Sending sending) {
        super(spec, vendor, connections, SideEffect.EXTERNAL_WRITE);
        this.write = Objects.requireNonNull(write, "write");
        this.sending = Objects.requireNonNull(sending, "sending");
    }

    private static Sending built(String tool, RequestBuilder request, BiFunction<JsonNode, JsonNode, ObjectNode> outcome) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(outcome, "outcome");
        return (context, connection, arguments, write) -> {
            VendorRequest built = IncompleteConnection.reading(() -> request.build(connection, arguments));
            return write.send(context, tool, arguments, built, answer -> outcome.apply(arguments, answer));
        };
    }

    private static Sending judged(String tool, CallRequestBuilder request, Judge judge) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(judge, "judge");
        return (context, connection, arguments, write) -> {
            VendorRequest built = IncompleteConnection.reading(() -> request.build(context, connection, arguments));
            return write.sendJudging(context, tool, arguments, built, answer -> judge.judge(arguments, answer));
        };
    }

    /** A retry of a call that went out before the connection was removed still gets that call's outcome. */
    @Override
    Optional<ToolResult> withoutConnection(ToolContext context) {
        return write.earlierAttempt(context, spec().name(), vendor());
    }

    @Override
    ToolResult call(ToolContext context, JsonNode arguments, ConnectionSettings connection) {
        try {
            return sending.send(context, connection, arguments, write);
        } catch (IncompleteConnection missing) {
            return incomplete((IllegalArgumentException) missing.getCause());
        }
    }
}
