package dev.steward.connectors.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.connectors.ArgumentValidator;
import dev.steward.connectors.SideEffect;
import dev.steward.connectors.Tool;
import dev.steward.connectors.ToolContext;
import dev.steward.connectors.ToolResult;
import dev.steward.connectors.ToolSpec;
import dev.steward.connectors.connection.Vendor;
import dev.steward.store.connection.ConnectionSettings;
import dev.steward.store.connection.ConnectionStore;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What every vendor tool does before it calls the vendor: the arguments checked against the schema, then the calling
 * tenant's connection looked up (by the tenant of the {@link ToolContext}, at every call, so a run only ever uses its
 * own tenant's credentials). A tenant without one gets {@code not_connected} and nothing is sent.
 */
abstract sealed class VendorTool implements Tool permits VendorWriteTool, VendorReadTool {
    private final ToolSpec spec;
    private final Vendor vendor;
    private final ConnectionStore connections;
    private final ArgumentValidator validator;

    VendorTool(ToolSpec spec, Vendor vendor, ConnectionStore connections, SideEffect sideEffect) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.vendor = Objects.requireNonNull(vendor, "vendor");
        if (spec.sideEffect() != sideEffect) {
            throw new IllegalArgumentException("tool " + spec.name() + " calls " + vendor.label() + " as " + sideEffect
                    + ": its side effect must be " + sideEffect);
        }
        this.connections = Objects.requireNonNull(connections, "connections");
        this.validator = new ArgumentValidator(spec.argumentsSchema());
    }

    @Override
    public final ToolSpec spec() {
        return spec;
    }

    final Vendor vendor() {
        return vendor;
    }

    @Override
    public final ToolResult execute(ToolContext context, JsonNode arguments) {
        List<String> violations = validator.violations(arguments);
        if (!violations.isEmpty()) {
            return ToolResult.invalidArguments(violations);
        }
        Optional<ConnectionSettings> connection = connections.find(context.tenant(), vendor.wire());
        if (connection.isEmpty()) {
            return withoutConnection(context).orElseGet(() -> notConnected("this tenant has no " + vendor.label() + " connection"));
        }
        return call(context, arguments, connection.get());
    }

    /** The call with the tenant's connection and valid arguments. */
    abstract ToolResult call(ToolContext context, JsonNode arguments, ConnectionSettings connection);

    /** What a call gets when its tenant has no connection, besides {@code not_connected}: nothing, unless overridden. */
    Optional<ToolResult> withoutConnection(ToolContext context) {
        return Optional.empty();
    }

    /** For a connection that lacks what the requests need ({@code why}): nothing was sent. */
    final ToolResult.Failed incomplete(IllegalArgumentException why) {
        return notConnected("this tenant's " + vendor.label() + " connection is incomplete (" + why.getMessage() + ")");
    }

    private ToolResult.Failed notConnected(String why) {
        return new ToolResult.Failed("not_connected", why + ", so nothing was sent. An admin can connect it with PUT /v1/connections/"
                + vendor.wire() + ".", List.of());
    }
}
