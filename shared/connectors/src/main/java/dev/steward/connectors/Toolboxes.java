package dev.steward.connectors;

import dev.steward.connectors.email.EmailConfig;
import dev.steward.connectors.email.EmailConnector;
import dev.steward.store.idempotency.IdempotencyStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds the process's toolbox from configuration: each connector is present when its settings are. */
public final class Toolboxes {
    private Toolboxes() {}

    /** Email when {@code STEWARD_EMAIL_SMTP_HOST} is set (then every required email setting must be). */
    public static Toolbox fromEnvironment(Map<String, String> env, IdempotencyStore idempotency, Clock clock) {
        List<Connector> connectors = new ArrayList<>();
        if (env.containsKey("STEWARD_EMAIL_SMTP_HOST")) {
            connectors.add(new EmailConnector(EmailConfig.fromEnvironment(env), idempotency, clock));
        }
        return new Toolbox(connectors);
    }
}
