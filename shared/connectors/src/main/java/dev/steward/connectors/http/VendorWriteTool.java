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

    private final ExternalHttpWrite write;
    private final RequestBuilder request;
    private final BiFunction<JsonNode, JsonNode, ObjectNode> outcome;

    /**
     * @param outcome what to keep of a call (its arguments, then the vendor's 2xx answer) as the tool's result (recorded with the call's
     *     idempotency record and replayed to retries)
     */
    public VendorWriteTool(ToolSpec spec, Vendor vendor, ConnectionStore connections, ExternalHttpWrite write, RequestBuilder request,
            BiFunction<JsonNode, JsonNode, ObjectNode> outcome) {
        super(spec, vendor, connections, SideEffect.EXTERNAL_WRITE);
        this.write = Objects.requireNonNull(write, "write");
        this.request = Objects.requireNonNull(request, "request");
        this.outcome = Objects.requireNonNull(outcome, "outcome");
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
            built = request.build(connection, arguments);
        } catch (IllegalArgumentException missing) {
            return incomplete(missing);
        }
        return write.send(context, spec().name(), arguments, built, answer -> outcome.apply(arguments, answer));
    }
}
