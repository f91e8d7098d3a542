package dev.steward.connectors.email;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.ServerSetup;
import dev.steward.store.StewardTable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

/** Shared fixtures of the email ITs: one mailbox account, GreenMail on loopback, DynamoDB Local. */
final class MailTestSupport {
    static final String AGENT_ADDRESS = "agent@example.test";
    static final String LOGIN = "agent";
    static final String PASSWORD = "secret";

    private MailTestSupport() {}

    /** SMTP and IMAP on 127.0.0.1, ports chosen by the OS. */
    static ServerSetup[] loopbackSmtpImap() {
        return new ServerSetup[] {
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)
        };
    }

    static GreenMailConfiguration account() {
        return GreenMailConfiguration.aConfig().withUser(AGENT_ADDRESS, LOGIN, PASSWORD);
    }

    static EmailConfig config(int smtpPort, int imapPort) {
        return config(smtpPort, imapPort, Duration.ofSeconds(5));
    }

    static EmailConfig config(int smtpPort, int imapPort, Duration timeout) {
        return new EmailConfig("127.0.0.1", smtpPort, "127.0.0.1", imapPort, LOGIN, PASSWORD, AGENT_ADDRESS, false, timeout);
    }

    static StewardTable table(AmazonDynamoDBLocal dynamo) {
        StewardTable table = new StewardTable(dynamo.dynamoDbClient(), "steward-connectors-test");
        table.createIfMissing();
        return table;
    }

    static AmazonDynamoDBLocal dynamo() {
        return DynamoDBEmbedded.create(false);
    }

    /** A loopback port with nothing listening on it (bound, then released). */
    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
