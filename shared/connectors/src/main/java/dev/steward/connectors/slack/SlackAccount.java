package dev.steward.connectors.slack;

import dev.steward.connectors.connection.Vendor;
import dev.steward.connectors.connection.VendorEndpoints;
import dev.steward.connectors.http.VendorAccount;
import dev.steward.store.connection.ConnectionSettings;

/** A tenant's Slack workspace as every Slack tool calls it: the Web API root and the bot token as {@code Bearer}. */
final class SlackAccount {
    private SlackAccount() {}

    static VendorAccount of(VendorEndpoints endpoints, ConnectionSettings connection) {
        return new VendorAccount(Vendor.SLACK, endpoints.slack(), "Bearer " + connection.token());
    }
}
