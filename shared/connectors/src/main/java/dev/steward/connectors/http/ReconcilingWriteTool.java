package dev.steward.connectors.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.connectors.ArgumentValidator;
import dev.steward.connectors.Reconcilable;
import dev.steward.connectors.Reconciliation;
import dev.steward.connectors.Tool;
import dev.steward.connectors.ToolContext;
import dev.steward.connectors.ToolResult;
import dev.steward.connectors.ToolSpec;
import dev.steward.core.error.TransientException;
import dev.steward.store.connection.ConnectionSettings;
import dev.steward.store.connection.ConnectionStore;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link VendorWriteTool} that is also {@link Reconcilable}: what every vendor's check does before it looks is here
 * (arguments that fit the schema, the calling tenant's connection, the vendor's failures turned into
 * {@link Reconciliation.Unknown}); what it looks for is the vendor's {@link Check}. Thread-safe when the check is.
 */
public final class ReconcilingWriteTool implements Tool, Reconcilable {

    /** How one vendor tells, from its own records, whether an earlier attempt of a call took effect. */
    @FunctionalInterface
    public interface Check {
        /**
         * Looks at the vendor with the tenant's {@code connection} for the effect of an attempt of this call begun at or
         * after {@code since}; settles a found one ({@link ExternalHttpWrite#settle}). Only reads.
         *
         * @param arguments valid for the tool's schema
         * @throws IllegalArgumentException when the connection lacks something the look needs
         * @throws TransientException when the vendor cannot be read
         */
        Reconciliation look(ToolContext context, ConnectionSettings connection, JsonNode arguments, Instant since);
    }

    private final VendorWriteTool write;
    private final ConnectionStore connections;
    private final Check check;
    private final ArgumentValidator validator;

    public ReconcilingWriteTool(VendorWriteTool write, ConnectionStore connections, Check check) {
        this.write = Objects.requireNonNull(write, "write");
        this.connections = Objects.requireNonNull(connections, "connections");
        this.check = Objects.requireNonNull(check, "check");
        this.validator = new ArgumentValidator(write.spec().argumentsSchema());
    }

    @Override
    public ToolSpec spec() {
        return write.spec();
    }

    @Override
    public ToolResult execute(ToolContext context, JsonNode arguments) {
        return write.execute(context, arguments);
    }

    @Override
    public Reconciliation reconcile(ToolContext context, JsonNode arguments, Instant since) {
        String vendor = write.vendor().label();
        if (!validator.violations(arguments).isEmpty()) {
            return new Reconciliation.Unknown("the arguments do not fit " + spec().name() + ", so there is nothing to look for");
        }
        Optional<ConnectionSettings> connection = connections.find(context.tenant(), write.vendor().wire());
        if (connection.isEmpty()) {
            return new Reconciliation.Unknown("this tenant has no " + vendor + " connection any more, so " + vendor + " could not be asked");
        }
        try {
            return check.look(context, connection.get(), arguments, since);
        } catch (IllegalArgumentException incomplete) {
            return new Reconciliation.Unknown("this tenant's " + vendor + " connection is incomplete (" + incomplete.getMessage() + ")");
        } catch (TransientException unreachable) {
            return new Reconciliation.Unknown(vendor + " could not be read: " + unreachable.getMessage());
        }
    }

    /** What a read that was not a success said, for an {@link Reconciliation.Unknown}'s reason: the refusal's code, message and details. */
    public static String refusal(ToolResult result) {
        return result instanceof ToolResult.Failed f ? " (" + f.code() + ": " + f.message() + " " + String.join("; ", f.details()) + ")" : "";
    }
}
