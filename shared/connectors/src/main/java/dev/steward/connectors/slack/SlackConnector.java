package dev.steward.connectors.slack;

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
 * Slack for every tenant that has connected its own workspace (a Slack app's bot token): {@code slack_post_message} (an
 * effectively-once external write that is also {@link dev.steward.connectors.Reconcilable}: an attempt whose answer was
 * lost is looked for among the channel's messages by the key in its metadata) and {@code slack_read_channel} (a read),
 * both at {@link VendorEndpoints#slack()}. A tenant without a connection gets a {@code not_connected} observation.
 * Thread-safe.
 */
public final class SlackConnector implements Connector {
    private final List<Tool> tools;

    public SlackConnector(VendorEndpoints endpoints, ConnectionStore connections, ExternalHttpWrite write, ExternalHttpRead read) {
        this.tools = List.of(
                new ReconcilingWriteTool(new VendorWriteTool(SlackPostMessage.SPEC, Vendor.SLACK, connections, write,
                        (context, connection, arguments) -> SlackPostMessage.request(SlackAccount.of(endpoints, connection), context, arguments),
                        SlackPostMessage::judge), connections, new SlackPostMessageCheck(endpoints, write, read)),
                new VendorReadTool<>(SlackReadChannel.SPEC, Vendor.SLACK, connections, read,
                        connection -> SlackAccount.of(endpoints, connection), SlackReadChannel::read));
    }

    @Override
    public String name() {
        return Vendor.SLACK.wire();
    }

    @Override
    public List<Tool> tools() {
        return tools;
    }
}
