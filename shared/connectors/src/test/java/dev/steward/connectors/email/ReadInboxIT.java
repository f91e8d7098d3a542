package dev.steward.connectors.email;

import static dev.steward.connectors.email.MailTestSupport.AGENT_ADDRESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import dev.steward.connectors.Tool;
import dev.steward.connectors.ToolContext;
import dev.steward.connectors.ToolResult;
import dev.steward.connectors.Toolbox;
import dev.steward.core.error.PermanentException;
import dev.steward.core.error.TransientException;
import dev.steward.core.json.Json;
import dev.steward.core.run.RunId;
import dev.steward.core.run.ToolCall;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.idempotency.IdempotencyStore;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** read_inbox against a real IMAP server (GreenMail), fed by send_email and by other senders. */
class ReadInboxIT {
    static final TenantId TENANT = TenantId.of("acme");

    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(MailTestSupport.loopbackSmtpImap())
            .withConfiguration(MailTestSupport.account())
            .withPerMethodLifecycle(true);

    static AmazonDynamoDBLocal dynamo;
    static IdempotencyStore store;
    EmailConfig config;
    Toolbox toolbox;

    @BeforeAll
    static void startStore() {
        dynamo = MailTestSupport.dynamo();
        store = new IdempotencyStore(MailTestSupport.table(dynamo));
    }

    @AfterAll
    static void stopStore() {
        dynamo.shutdown();
    }

    @BeforeEach
    void newConnector() {
        config = MailTestSupport.config(greenMail.getSmtp().getPort(), greenMail.getImap().getPort());
        toolbox = new Toolbox(List.of(new EmailConnector(config, store, Clock.systemUTC())));
    }

    ToolResult call(String tool, String argumentsJson) {
        ToolCall call = new ToolCall("call_" + System.nanoTime(), tool, Json.tree(argumentsJson));
        return toolbox.execute(ToolContext.of(TENANT, RunId.random(), 2, call), call);
    }

    static JsonNode messages(ToolResult result) {
        assertThat(result).isInstanceOf(ToolResult.Success.class);
        return ((ToolResult.Success) result).output().get("messages");
    }

    @Test
    void returnsTheMessageThatSendEmailSent() {
        ToolResult sent = call("send_email",
                "{\"to\":[\"" + AGENT_ADDRESS + "\"],\"subject\":\"Note to self\",\"body\":\"Remember the invoice.\"}");
        String messageId = ((ToolResult.Success) sent).output().get("messageId").asText();

        JsonNode messages = messages(call("read_inbox", "{}"));

        assertThat(messages).hasSize(1);
        JsonNode m = messages.get(0);
        assertThat(m.get("from").asText()).isEqualTo(AGENT_ADDRESS);
        assertThat(m.get("subject").asText()).isEqualTo("Note to self");
        assertThat(m.get("body").asText()).isEqualTo("Remember the invoice.");
        assertThat(m.get("bodyTruncated").asBoolean()).isFalse();
        assertThat(m.get("messageId").asText()).isEqualTo(messageId);
        assertThat(m.get("date").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    }

    @Test
    void returnsTheLatestNNewestFirstWithBodiesCut() throws Exception {
        for (int i = 1; i <= 4; i++) {
            GreenMailUtil.sendTextEmail(AGENT_ADDRESS, "customer" + i + "@example.test", "Ticket " + i, "x".repeat(i * 100), greenMail.getSmtp().getServerSetup());
        }
        greenMail.waitForIncomingEmail(5_000, 4);

        JsonNode messages = messages(call("read_inbox", "{\"limit\":3,\"maxBodyChars\":250}"));

        assertThat(messages).extracting(m -> m.get("subject").asText()).containsExactly("Ticket 4", "Ticket 3", "Ticket 2");
        assertThat(messages.get(0).get("from").asText()).isEqualTo("customer4@example.test");
        assertThat(messages.get(0).get("body").asText()).hasSize(250);
        assertThat(messages.get(0).get("bodyTruncated").asBoolean()).isTrue();
        assertThat(messages.get(2).get("body").asText()).hasSize(200);
        assertThat(messages.get(2).get("bodyTruncated").asBoolean()).isFalse();
        assertThat(((ToolResult.Success) call("read_inbox", "{}")).output().get("total").asInt()).isEqualTo(4);
    }

    @Test
    void readsTheTextOfAnHtmlOnlyMessage() throws Exception {
        MimeMessage html = new MimeMessage(GreenMailUtil.getSession(greenMail.getSmtp().getServerSetup()));
        html.setFrom(new InternetAddress("news@example.test"));
        html.setRecipient(Message.RecipientType.TO, new InternetAddress(AGENT_ADDRESS));
        html.setSubject("Newsletter");
        html.setContent("<html><body><h1>Big</h1><p>news today</p></body></html>", "text/html; charset=UTF-8");
        GreenMailUtil.sendMimeMessage(html);
        greenMail.waitForIncomingEmail(5_000, 1);

        JsonNode body = messages(call("read_inbox", "{}")).get(0).get("body");

        assertThat(body.asText()).contains("Big").contains("news today").doesNotContain("<p>");
    }

    @Test
    void anEmptyInboxIsAnEmptyList() {
        assertThat(messages(call("read_inbox", "{\"limit\":5}"))).isEmpty();
    }

    @Test
    void invalidArgumentsAndUnknownToolsAreErrorResults() {
        assertThat(call("read_inbox", "{\"limit\":0}")).isInstanceOfSatisfying(ToolResult.Failed.class,
                f -> assertThat(f.code()).isEqualTo("invalid_arguments"));
        assertThat(call("read_inbox", "{\"limit\":\"ten\"}")).isInstanceOf(ToolResult.Failed.class);
        assertThat(call("delete_inbox", "{}")).isInstanceOfSatisfying(ToolResult.Failed.class,
                f -> assertThat(f.code()).isEqualTo("unknown_tool"));
    }

    @Test
    void loginRefusedIsPermanentAndAnUnreachableServerIsTransient() throws Exception {
        Tool wrongPassword = new ReadInboxTool(new EmailConfig(config.smtpHost(), config.smtpPort(), config.imapHost(),
                config.imapPort(), config.username(), "wrong", config.fromAddress(), false, config.timeout()));
        assertThatThrownBy(() -> wrongPassword.execute(new ToolContext(TENANT, RunId.random(), 0, "c"), Json.object()))
                .isInstanceOf(PermanentException.class);

        Tool unreachable = new ReadInboxTool(MailTestSupport.config(1, MailTestSupport.freePort(), Duration.ofSeconds(2)));
        assertThatThrownBy(() -> unreachable.execute(new ToolContext(TENANT, RunId.random(), 0, "c"), Json.object()))
                .isInstanceOf(TransientException.class);
    }
}
