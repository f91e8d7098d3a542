package dev.steward.connectors.hubspot;

import dev.steward.connectors.Connector;
import dev.steward.connectors.Tool;
import dev.steward.connectors.connection.Vendor;
import dev.steward.connectors.connection.VendorEndpoints;
import dev.steward.connectors.http.ExternalHttpRead;
import dev.steward.connectors.http.ExternalHttpWrite;
import dev.steward.connectors.http.VendorAccount;
import dev.steward.connectors.http.ReconcilingWriteTool;
import dev.steward.connectors.http.VendorReadTool;
import dev.steward.connectors.http.VendorWriteTool;
import dev.steward.store.connection.ConnectionSettings;
import dev.steward.store.connection.ConnectionStore;
import java.time.Clock;
import java.util.List;

/**
 * HubSpot CRM for every tenant that has connected its own HubSpot account: {@code crm_add_note} (an effectively-once
 * external write that is also {@link dev.steward.connectors.Reconcilable}: an attempt whose answer was lost is looked
 * for among the record's notes) and {@code crm_read_record} (a read), both at {@link VendorEndpoints#hubspot()} with the
 * connection's private app token as {@code Authorization: Bearer}. A tenant without a connection gets a
 * {@code not_connected} observation. Thread-safe.
 */
public final class HubSpotConnector implements Connector {
    private final List<Tool> tools;

    public HubSpotConnector(VendorEndpoints endpoints, ConnectionStore connections, ExternalHttpWrite write, ExternalHttpRead read,
            Clock clock) {
        this.tools = List.of(
                new ReconcilingWriteTool(new VendorWriteTool(CrmAddNote.SPEC, Vendor.HUBSPOT, connections, write,
                        (connection, arguments) -> CrmAddNote.request(account(endpoints, connection), clock, arguments), CrmAddNote::outcome),
                        connections, new CrmAddNoteCheck(endpoints, write, read)),
                new VendorReadTool<>(CrmReadRecord.SPEC, Vendor.HUBSPOT, connections, read,
                        connection -> account(endpoints, connection), CrmReadRecord::read));
    }

    /** The tenant's HubSpot account: the API root and its private app token as {@code Bearer}. */
    static VendorAccount account(VendorEndpoints endpoints, ConnectionSettings connection) {
        return new VendorAccount(Vendor.HUBSPOT, endpoints.hubspot(), "Bearer " + connection.token());
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
