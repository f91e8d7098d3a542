package dev.steward.connectors;

import dev.steward.connectors.connection.VendorEndpoints;
import dev.steward.connectors.email.EmailConfig;
import dev.steward.connectors.email.EmailConnector;
import dev.steward.connectors.google.GoogleCalendarConnector;
import dev.steward.connectors.http.ExternalHttpRead;
import dev.steward.connectors.http.ExternalHttpWrite;
import dev.steward.connectors.hubspot.HubSpotConnector;
import dev.steward.connectors.slack.SlackConnector;
import dev.steward.connectors.zendesk.ZendeskConnector;
import dev.steward.store.connection.ConnectionStore;
import dev.steward.store.idempotency.IdempotencyStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds the process's toolbox from configuration: each connector is present when its settings are. */
public final class Toolboxes {
    private Toolboxes() {}

    /**
     * Email when {@code STEWARD_EMAIL_SMTP_HOST} is set (then every required email setting must be). Zendesk,
     * HubSpot, Slack and Google Calendar always: their credentials are each tenant's own connection, read at every call, and
     * {@link VendorEndpoints#fromEnvironment} reads where they are.
     */
    public static Toolbox fromEnvironment(Map<String, String> env, IdempotencyStore idempotency, ConnectionStore connections, Clock clock) {
        List<Connector> connectors = new ArrayList<>();
        if (env.containsKey("STEWARD_EMAIL_SMTP_HOST")) {
            connectors.add(new EmailConnector(EmailConfig.fromEnvironment(env), idempotency, clock));
        }
        VendorEndpoints endpoints = VendorEndpoints.fromEnvironment(env);
        ExternalHttpWrite write = new ExternalHttpWrite(idempotency, clock, endpoints.timeout());
        ExternalHttpRead read = new ExternalHttpRead(clock, endpoints.timeout());
        connectors.add(new ZendeskConnector(endpoints, connections, write, read));
        connectors.add(new HubSpotConnector(endpoints, connections, write, read, clock));
        connectors.add(new SlackConnector(endpoints, connections, write, read));
        connectors.add(new GoogleCalendarConnector(endpoints, connections, write, read, clock));
        return new Toolbox(connectors);
    }
}
