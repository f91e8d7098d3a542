package dev.steward.connectors.hubspot;

import dev.steward.connectors.Connector;
import dev.steward.connectors.Tool;
import dev.steward.connectors.connection.Vendor;
import dev.steward.connectors.connection.VendorEndpoints;
import dev.steward.connectors.http.ExternalHttpWrite;
import dev.steward.connectors.http.VendorWriteTool;
import dev.steward.store.connection.ConnectionStore;
import java.time.Clock;
import java.util.List;

/**
 * HubSpot CRM for every tenant that has connected its own HubSpot account: {@code crm_add_note} (an effectively-once
 * external write). A tenant without a connection gets a {@code not_connected} observation. Thread-safe.
 */
public final class HubSpotConnector implements Connector {
    private final List<Tool> tools;

    public HubSpotConnector(VendorEndpoints endpoints, ConnectionStore connections, ExternalHttpWrite write, Clock clock) {
        this.tools = List.of(new VendorWriteTool(CrmAddNote.SPEC, Vendor.HUBSPOT, connections, write,
                (connection, arguments) -> CrmAddNote.request(endpoints, clock, connection, arguments), CrmAddNote::outcome));
    }

    @Override
    public String name() {
        return Vendor.HUBSPOT.wire();
    }

    @Override
    public List<Tool> tools() {
        return tools;
    }
}
