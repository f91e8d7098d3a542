package dev.steward.connectors.zendesk;

import dev.steward.connectors.Connector;
import dev.steward.connectors.Tool;
import dev.steward.connectors.connection.Vendor;
import dev.steward.connectors.connection.VendorEndpoints;
import dev.steward.connectors.http.ExternalHttpRead;
import dev.steward.connectors.http.ExternalHttpWrite;
import dev.steward.connectors.http.ReconcilingWriteTool;
import dev.steward.connectors.http.VendorReadTool;
import dev.steward.connectors.http.VendorWriteTool;
import dev.steward.store.connection.ConnectionStore;
import java.util.List;

/**
 * Zendesk Support for every tenant that has connected its own Zendesk: {@code zendesk_comment} (an effectively-once
 * external write that is also {@link dev.steward.connectors.Reconcilable}: an attempt whose answer was lost is looked
 * for on the ticket) and {@code zendesk_read_ticket} (a read). A tenant without a connection gets a
 * {@code not_connected} observation. Thread-safe.
 */
public final class ZendeskConnector implements Connector {
    private final List<Tool> tools;

    public ZendeskConnector(VendorEndpoints endpoints, ConnectionStore connections, ExternalHttpWrite write, ExternalHttpRead read) {
        this.tools = List.of(
                new ReconcilingWriteTool(new VendorWriteTool(ZendeskComment.SPEC, Vendor.ZENDESK, connections, write,
                        (connection, arguments) -> ZendeskComment.request(ZendeskAccount.of(endpoints, connection), arguments),
                        ZendeskComment::outcome), connections, new ZendeskCommentCheck(endpoints, write, read)),
                new VendorReadTool<>(ZendeskReadTicket.SPEC, Vendor.ZENDESK, connections, read,
                        connection -> ZendeskAccount.of(endpoints, connection), ZendeskReadTicket::read));
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
