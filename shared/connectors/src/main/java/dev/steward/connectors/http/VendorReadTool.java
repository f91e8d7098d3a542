package dev.steward.connectors.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.connectors.SideEffect;
import dev.steward.connectors.ToolContext;
import dev.steward.connectors.ToolResult;
import dev.steward.connectors.ToolSpec;
import dev.steward.connectors.connection.Vendor;
import dev.steward.store.connection.ConnectionSettings;
import dev.steward.store.connection.ConnectionStore;
import java.util.Objects;

/**
 * A tool that reads from one vendor's API with the calling tenant's own connection: arguments checked against the
 * schema, then the tenant's connection read (a tenant without one gets {@code not_connected} and nothing is sent),
 * then the reads made through {@link ExternalHttpRead}. Nothing is recorded: a read is safe to repeat. The connection
 * is looked up by the tenant of the {@link ToolContext} at every call, so a run only ever uses its own tenant's
 * credentials.
 *
 * @param <A> what the requests need of the connection (an API root and credentials)
 */
public final class VendorReadTool<A> extends VendorTool {

    /** What the requests need of the tenant's connection. */
    @FunctionalInterface
    public interface Account<A> {
        /** @throws IllegalArgumentException when the connection lacks something the requests need */
        A of(ConnectionSettings connection);
    }

    /** What a call reads, as the tenant's account, with the (valid) arguments. */
    @FunctionalInterface
    public interface Reading<A> {
        /** @return the observation, or the first refusal among the reads */
        ToolResult read(A account, JsonNode arguments, ExternalHttpRead http);
    }

    private final ExternalHttpRead http;
    private final Account<A> account;
    private final Reading<A> reading;

    public VendorReadTool(ToolSpec spec, Vendor vendor, ConnectionStore connections, ExternalHttpRead http, Account<A> account,
            Reading<A> reading) {
        super(spec, vendor, connections, SideEffect.READ);
        this.http = Objects.requireNonNull(http, "http");
        this.account = Objects.requireNonNull(account, "account");
        this.reading = Objects.requireNonNull(reading, "reading");
    }

    @Override
    ToolResult call(ToolContext context, JsonNode arguments, ConnectionSettings connection) {
        A usable;
        try {
            usable = account.of(connection);
        } catch (IllegalArgumentException missing) {
            return incomplete(missing);
        }
        return reading.read(usable, arguments, http);
    }
}
