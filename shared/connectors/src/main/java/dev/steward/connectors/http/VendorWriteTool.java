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
    private final CallRequestBuilder request;
    private final Judge judge;

    /**
     * @param outcome what to keep of a call (its arguments, then the vendor's 2xx answer) as the tool's result (recorded with the call's
     *     idempotency record and replayed to retries)
     */
    public VendorWriteTool(ToolSpec spec, Vendor vendor, ConnectionStore connections, ExternalHttpWrite write, RequestBuilder request,
            BiFunction<JsonNode, JsonNode, ObjectNode> outcome) {
        this(spec, vendor, connections, write, callRequestOf(request), judgeOf(outcome));
    }

    /**
     * A tool whose request carries the call's identity, and whose vendor's 2xx answer may still be a failure: {@code judge}
     * tells ({@link ExternalHttpWrite#sendJudging}).
     */
    public VendorWriteTool(ToolSpec spec, Vendor vendor, ConnectionStore connections, ExternalHttpWrite write, CallRequestBuilder request,
            Judge judge) {
        super(spec, vendor, connections, SideEffect.EXTERNAL_WRITE);
        this.write = Objects.requireNonNull(write, "write");
        this.request = Objects.requireNonNull(request, "request");
        this.judge = Objects.requireNonNull(judge, "judge");
    }

    private static CallRequestBuilder callRequestOf(RequestBuilder request) {
        Objects.requireNonNull(request, "request");
        return (context, connection, arguments) -> request.build(connection, arguments);
    }

    private static Judge judgeOf(BiFunction<JsonNode, JsonNode, ObjectNode> outcome) {
        Objects.requireNonNull(outcome, "outcome");
        return (arguments, answer) -> new WriteAnswer.Done(outcome.apply(arguments, answer));
    }

    /** A retry of a call that went out before the connection was removed still gets that call's outcome. */
    @Override
    Optional<ToolResult> withoutConnection(ToolContext context) {
        return write.earlierAttempt(context, spec().name(), vendor());
    }

    @Override
    ToolResult call(ToolContext context, JsonNode arguments, ConnectionSettings connection) {
        VendorRequest built;
        try {
            built = request.build(context, connection, arguments);
        } catch (IllegalArgumentException missing) {
            return incomplete(missing);
        }
        return write.sendJudging(context, spec().name(), arguments, built, answer -> judge.judge(arguments, answer));
    }
}
