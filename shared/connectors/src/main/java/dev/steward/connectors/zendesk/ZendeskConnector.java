package dev.steward.connectors.zendesk;

import dev.steward.connectors.Connector;
import dev.steward.connectors.Tool;
import dev.steward.connectors.connection.Vendor;
import dev.steward.connectors.connection.VendorEndpoints;
import dev.steward.connectors.http.ExternalHttpWrite;
import dev.steward.connectors.http.VendorWriteTool;
import dev.steward.store.connection.ConnectionStore;
import java.util.List;

/**
 * Zendesk Support for every tenant that has connected its own Zendesk: {@code zendesk_comment} (an effectively-once
 * external write). A tenant without a connection gets a {@code not_connected} observation. Thread-safe.
 */
public final class ZendeskConnector implements Connector {
    private final List<Tool> tools;

    public ZendeskConnector(VendorEndpoints endpoints, ConnectionStore connections, ExternalHttpWrite write) {
        this.tools = List.of(new VendorWriteTool(ZendeskComment.SPEC, Vendor.ZENDESK, connections, write,
                (connection, arguments) -> ZendeskComment.request(endpoints, connection, arguments), ZendeskComment::outcome));
    }

    @Override
    public String name() {
        return Vendor.ZENDESK.wire();
    }

    @Override
    public List<Tool> tools() {
        return tools;
    }
}
