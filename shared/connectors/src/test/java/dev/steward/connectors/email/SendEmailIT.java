package dev.steward.connectors.email;

import static dev.steward.connectors.email.MailTestSupport.AGENT_ADDRESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.steward.connectors.ToolContext;
import dev.steward.connectors.ToolResult;
import dev.steward.core.error.PermanentException;
import dev.steward.core.error.TransientException;
import dev.steward.core.json.Json;
import dev.steward.core.run.RunId;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.idempotency.BeginResult;
import dev.steward.store.idempotency.IdempotencyRecord;
import dev.steward.store.idempotency.IdempotencyStore;
import dev.steward.store.idempotency.PayloadHash;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** send_email against a real SMTP server (GreenMail) and idempotency records in DynamoDB Local. */
class SendEmailIT {
    static final TenantId TENANT = TenantId.of("acme");

    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(MailTestSupport.loopbackSmtpImap())
            .withConfiguration(MailTestSupport.account())
            .withPerMethodLifecycle(true);

    static AmazonDynamoDBLocal dynamo;
    static IdempotencyStore store;
    SendEmailTool tool;

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
    void newTool() {
        tool = new SendEmailTool(
                MailTestSupport.config(greenMail.getSmtp().getPort(), greenMail.getImap().getPort()), store, Clock.systemUTC());
    }

    static ToolContext newCall() {
        return new ToolContext(TENANT, RunId.random(), 4, "call_send_1");
    }

    static JsonNode email(String to, String subject, String body) {
        var args = Json.object();
        args.set("to", Json.mapper().createArrayNode().add(to));
        args.put("subject", subject);
        args.put("body", body);
        return args;
    }

    @Test
    void sendsOneMessageWithTheRightRecipientSubjectBodyAndMessageId() throws Exception {
        ToolContext call = newCall();
        ToolResult result = tool.execute(call, email("ana@example.test", "Your refund", "Hello Ana,\nthe refund is on its way."));

        assertThat(result).isInstanceOf(ToolResult.Success.class);
        ToolResult.Success success = (ToolResult.Success) result;
        assertThat(success.replayed()).isFalse();
        String expectedId = "<" + call.idempotencyKey().value() + "@example.test>";
        assertThat(success.output().get("messageId").asText()).isEqualTo(expectedId);

        MimeMessage[] received = greenMail.getReceivedMessages();
        assertThat(received).hasSize(1);
        MimeMessage m = received[0];
        assertThat(m.getRecipients(Message.RecipientType.TO)).extracting(Object::toString).containsExactly("ana@example.test");
        assertThat(m.getFrom()).extracting(Object::toString).containsExactly(AGENT_ADDRESS);
        assertThat(m.getSubject()).isEqualTo("Your refund");
        assertThat(GreenMailUtil.getBody(m).replace("\r\n", "\n")).isEqualTo("Hello Ana,\nthe refund is on its way.");
        assertThat(m.getMessageID()).isEqualTo(expectedId);

        IdempotencyRecord record = store.find(TENANT, call.idempotencyKey()).orElseThrow();
        assertThat(record.status()).isEqualTo(IdempotencyRecord.Status.COMPLETED);
        assertThat(record.outcome()).isEqualTo(success.output());
    }

    @Test
    void ccRecipientsGetTheSameMessage() throws Exception {
        var args = (com.fasterxml.jackson.databind.node.ObjectNode) email("ana@example.test", "Hi", "Body");
        args.set("cc", Json.mapper().createArrayNode().add("bo@example.test"));
        ToolResult.Success success = (ToolResult.Success) tool.execute(newCall(), args);

        assertThat(success.output().get("recipients")).hasSize(2);
        MimeMessage[] received = greenMail.getReceivedMessages(); // GreenMail keeps one copy per recipient
        assertThat(received).hasSize(2);
        assertThat(received[0].getRecipients(Message.RecipientType.CC)).extracting(Object::toString).containsExactly("bo@example.test");
        assertThat(received[0].getMessageID()).isEqualTo(received[1].getMessageID());
    }

    @Test
    void theSameCallRetriedFiveTimesSendsOnce() {
        ToolContext call = newCall();
        JsonNode args = email("ana@example.test", "Once", "Only once, please.");
        List<ToolResult> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            results.add(tool.execute(call, args));
        }

        assertThat(greenMail.getReceivedMessages()).hasSize(1);
        assertThat(results).allMatch(r -> r instanceof ToolResult.Success);
        assertThat(results).extracting(r -> ((ToolResult.Success) r).replayed()).containsExactly(false, true, true, true, true);
        assertThat(results).extracting(r -> ((ToolResult.Success) r).output()).containsOnly(((ToolResult.Success) results.get(0)).output());
    }

    @Test
    void twentyConcurrentIdenticalCallsSendOnce() throws Exception {
        ToolContext call = newCall();
        JsonNode args = email("ana@example.test", "Concurrent", "Twenty callers, one email.");
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ToolResult>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return tool.execute(call, args);
                }));
            }
            go.countDown();
            int sent = 0;
            for (Future<ToolResult> f : futures) {
                // The others see the first attempt in progress (review) or, once it finished, its outcome.
                switch (f.get()) {
                    case ToolResult.Success s -> sent += s.replayed() ? 0 : 1;
                    case ToolResult.NeedsReview r -> assertThat(r.key()).isEqualTo(call.idempotencyKey());
                    case ToolResult.Failed failed -> throw new AssertionError("unexpected " + failed);
                }
            }
            assertThat(sent).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(greenMail.getReceivedMessages()).hasSize(1);
        assertThat(tool.execute(call, args)).isInstanceOfSatisfying(ToolResult.Success.class, s -> assertThat(s.replayed()).isTrue());
        assertThat(greenMail.getReceivedMessages()).hasSize(1);
    }

    @Test
    void anAttemptThatCrashedBetweenBeginAndCompleteGoesToReviewAndSendsNothing() {
        ToolContext call = newCall();
        JsonNode args = email("ana@example.test", "Crashed", "Was I sent?");
        // What a crash leaves behind: begin() recorded, the process died before complete().
        BeginResult first = store.begin(TENANT, call.idempotencyKey(), PayloadHash.of(SendEmailTool.NAME, args), java.time.Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(first).isInstanceOf(BeginResult.Started.class);

        ToolResult result = tool.execute(call, args);

        assertThat(result).isInstanceOfSatisfying(ToolResult.NeedsReview.class, r -> {
            assertThat(r.key()).isEqualTo(call.idempotencyKey());
            assertThat(r.since()).isEqualTo(java.time.Instant.parse("2026-03-01T10:00:00Z"));
            assertThat(r.reason()).contains("not sent again");
        });
        assertThat(result.observation().get("status").asText()).isEqualTo("needs_review");
        assertThat(greenMail.getReceivedMessages()).isEmpty();
        assertThat(store.find(TENANT, call.idempotencyKey()).orElseThrow().status()).isEqualTo(IdempotencyRecord.Status.IN_PROGRESS);
    }

    @Test
    void invalidArgumentsAreAnErrorResultAndSendNothing() {
        ToolContext call = newCall();
        var missingSubject = Json.tree("{\"to\":[\"ana@example.test\"],\"body\":\"b\"}");
        var badAddress = email("not-an-address", "s", "b");
        var displayName = email("Ana <ana@example.test>", "s", "b");
        var twoInOne = email("ana@example.test, bo@example.test", "s", "b");
        var multiLineSubject = email("ana@example.test", "s\r\nBcc: victim@example.test", "b");
        var unknownField = Json.tree("{\"to\":[\"ana@example.test\"],\"subject\":\"s\",\"body\":\"b\",\"bcc\":[\"x@example.test\"]}");
        var noRecipients = Json.tree("{\"to\":[],\"subject\":\"s\",\"body\":\"b\"}");

        for (JsonNode args : List.of(missingSubject, badAddress, displayName, twoInOne, multiLineSubject, unknownField, noRecipients)) {
            ToolResult result = tool.execute(call, args);
            assertThat(result).as(args.toString()).isInstanceOfSatisfying(ToolResult.Failed.class, f -> {
                assertThat(f.code()).isEqualTo("invalid_arguments");
                assertThat(f.details()).isNotEmpty();
            });
            assertThat(result.observation().get("status").asText()).isEqualTo("error");
        }
        assertThat(((ToolResult.Failed) tool.execute(call, missingSubject)).details()).anyMatch(d -> d.contains("subject"));
        assertThat(((ToolResult.Failed) tool.execute(call, badAddress)).details()).anyMatch(d -> d.startsWith("/to/0"));
        assertThat(greenMail.getReceivedMessages()).isEmpty();
        assertThat(store.find(TENANT, call.idempotencyKey())).isEmpty(); // nothing was even begun
    }

    @Test
    void theSameCallIdWithOtherArgumentsIsABug() {
        ToolContext call = newCall();
        tool.execute(call, email("ana@example.test", "First", "b"));
        assertThatThrownBy(() -> tool.execute(call, email("bo@example.test", "First", "b")))
                .isInstanceOf(PermanentException.class).hasMessageContaining("different payload");
        assertThat(greenMail.getReceivedMessages()).hasSize(1);
    }

    @Test
    void anotherTenantsIdenticalCallIsItsOwnSend() {
        RunId run = RunId.random();
        JsonNode args = email("ana@example.test", "Per tenant", "b");
        ToolResult a = tool.execute(new ToolContext(TENANT, run, 1, "call_1"), args);
        ToolResult b = tool.execute(new ToolContext(TenantId.of("globex"), run, 1, "call_1"), args);

        assertThat(a).isInstanceOfSatisfying(ToolResult.Success.class, s -> assertThat(s.replayed()).isFalse());
        assertThat(b).isInstanceOfSatisfying(ToolResult.Success.class, s -> assertThat(s.replayed()).isFalse());
        assertThat(greenMail.getReceivedMessages()).hasSize(2);
        assertThat(((ToolResult.Success) a).output().get("messageId")).isNotEqualTo(((ToolResult.Success) b).output().get("messageId"));
    }

    @Test
    void connectionRefusedAbortsTheRecordAndARetryAfterTheServerIsBackSendsOnce() throws Exception {
        int port = MailTestSupport.freePort();
        GreenMail server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                .withConfiguration(MailTestSupport.account());
        SendEmailTool fixedPort = new SendEmailTool(MailTestSupport.config(port, 1), store, Clock.systemUTC());
        server.start();
        try {
            assertThat(fixedPort.execute(newCall(), email("ana@example.test", "Warm-up", "b"))).isInstanceOf(ToolResult.Success.class);
            server.stop();

            ToolContext call = newCall();
            JsonNode args = email("ana@example.test", "After the outage", "b");
            assertThatThrownBy(() -> fixedPort.execute(call, args))
                    .isInstanceOf(TransientException.class).hasMessageContaining("nothing was sent");
            assertThat(store.find(TENANT, call.idempotencyKey())).as("aborted, so a retry may send").isEmpty();

            server.start();
            ToolResult retried = fixedPort.execute(call, args);
            assertThat(retried).isInstanceOfSatisfying(ToolResult.Success.class, s -> assertThat(s.replayed()).isFalse());
            assertThat(fixedPort.execute(call, args)).isInstanceOfSatisfying(ToolResult.Success.class, s -> assertThat(s.replayed()).isTrue());
            assertThat(server.getReceivedMessages()).extracting(MimeMessage::getSubject).containsExactly("After the outage");
        } finally {
            server.stop();
        }
    }

    @Test
    void aConnectionLostAfterTheContentLeavesTheOutcomeUnknownAndTheRetryGoesToReview() throws Exception {
        try (ScriptedSmtpServer smtp = new ScriptedSmtpServer(ScriptedSmtpServer.Script.DROP_AFTER_CONTENT)) {
            SendEmailTool flaky = new SendEmailTool(MailTestSupport.config(smtp.port(), 1), store, Clock.systemUTC());
            ToolContext call = newCall();
            JsonNode args = email("ana@example.test", "Lost reply", "b");

            assertThatThrownBy(() -> flaky.execute(call, args))
                    .isInstanceOf(TransientException.class).hasMessageContaining("unknown");
            assertThat(store.find(TENANT, call.idempotencyKey()).orElseThrow().status()).isEqualTo(IdempotencyRecord.Status.IN_PROGRESS);

            // The state machine retries the step: the call is not sent again, it goes to review.
            assertThat(flaky.execute(call, args)).isInstanceOf(ToolResult.NeedsReview.class);
            assertThat(smtp.dataCommands).hasValue(1);
            assertThat(smtp.connections).hasValue(1);
        }
    }

    @Test
    void recipientsRefusedBeforeTheContentAreAnErrorResultAndTheRecordIsAborted() throws Exception {
        try (ScriptedSmtpServer smtp = new ScriptedSmtpServer(ScriptedSmtpServer.Script.REJECT_RECIPIENTS)) {
            SendEmailTool refusing = new SendEmailTool(MailTestSupport.config(smtp.port(), 1), store, Clock.systemUTC());
            ToolContext call = newCall();

            ToolResult result = refusing.execute(call, email("nobody@example.test", "s", "b"));

            assertThat(result).isInstanceOfSatisfying(ToolResult.Failed.class, f -> {
                assertThat(f.code()).isEqualTo("rejected");
                assertThat(f.details()).containsExactly("nobody@example.test: 550 5.1.1 no such mailbox here");
            });
            assertThat(smtp.dataCommands).hasValue(0);
            assertThat(store.find(TENANT, call.idempotencyKey())).isEmpty();
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOutAsTransientAndNothingIsRecorded() throws Exception {
        try (ScriptedSmtpServer smtp = new ScriptedSmtpServer(ScriptedSmtpServer.Script.SILENT)) {
            SendEmailTool slow = new SendEmailTool(MailTestSupport.config(smtp.port(), 1, Duration.ofMillis(400)), store, Clock.systemUTC());
            ToolContext call = newCall();
            long start = System.nanoTime();

            assertThatThrownBy(() -> slow.execute(call, email("ana@example.test", "s", "b"))).isInstanceOf(TransientException.class);

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(store.find(TENANT, call.idempotencyKey())).isEmpty();
        }
    }

    @Test
    void aWrongPasswordIsAConfigurationErrorAndNothingIsRecorded() {
        EmailConfig good = MailTestSupport.config(greenMail.getSmtp().getPort(), greenMail.getImap().getPort());
        EmailConfig wrong = new EmailConfig(good.smtpHost(), good.smtpPort(), good.imapHost(), good.imapPort(),
                good.username(), "not-the-password", good.fromAddress(), false, good.timeout());
        SendEmailTool misconfigured = new SendEmailTool(wrong, store, Clock.systemUTC());
        ToolContext call = newCall();

        assertThatThrownBy(() -> misconfigured.execute(call, email("ana@example.test", "s", "b")))
                .isInstanceOf(PermanentException.class).hasMessageContaining("STEWARD_EMAIL_PASSWORD");
        assertThat(store.find(TENANT, call.idempotencyKey())).isEmpty();
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }
}
