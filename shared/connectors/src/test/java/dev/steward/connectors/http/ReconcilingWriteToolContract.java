package dev.steward.connectors.http;

import static dev.steward.connectors.http.VendorTestSupport.newCall;
import static dev.steward.connectors.http.VendorTestSupport.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.connectors.Reconcilable;
import dev.steward.connectors.Reconciliation;
import dev.steward.connectors.Tool;
import dev.steward.connectors.ToolContext;
import dev.steward.connectors.ToolResult;
import dev.steward.core.error.TransientException;
import dev.steward.core.json.Json;
import dev.steward.store.idempotency.IdempotencyRecord;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ReconcilingWriteTool} must do, whatever the vendor: an attempt whose answer was lost is found under
 * the key of the call that asks (an approved re-run's own), and a check that cannot ask the vendor is
 * {@link Reconciliation.Unknown} and changes nothing. Each vendor's {@code *ReconcileIT} extends it and adds what is
 * particular to how that vendor is read.
 */
public abstract class ReconcilingWriteToolContract {

    /** The vendor's test bed (the subclass's static extension). */
    protected abstract VendorFixture<?> fixture();

    /** The tool under test. */
    protected abstract String toolName();

    /** Valid arguments of a call on something the vendor has, writing {@code text}. */
    protected abstract JsonNode arguments(String text);

    /** How many writes (not reads) the vendor received since the test began. */
    protected abstract long writesReceived();

    protected final Tool tool() {
        return fixture().tool(toolName());
    }

    protected static Reconciliation reconcile(Tool t, ToolContext call, JsonNode args, Instant since) {
        assertThat(t).isInstanceOf(Reconcilable.class);
        return ((Reconcilable) t).reconcile(call, args, since);
    }

    /** A first attempt that the vendor applied but whose answer never came: the retry finds it in doubt. */
    protected final ToolResult.NeedsReview lostAnswer(ToolContext call, JsonNode args) {
        Tool impatient = fixture().tool(toolName(), fixture().server().baseUrl(), Duration.ofMillis(300));
        fixture().server().thenActButAnswerAfter(Duration.ofSeconds(2));
        assertThatThrownBy(() -> impatient.execute(call, args)).isExactlyInstanceOf(TransientException.class).hasMessageContaining("unknown");
        ToolResult retry = tool().execute(call, args);
        assertThat(retry).isInstanceOf(ToolResult.NeedsReview.class);
        return (ToolResult.NeedsReview) retry;
    }

    protected final IdempotencyRecord.Status recordOf(ToolContext call) {
        return fixture().support().stores().idempotency().find(call.tenant(), call.idempotencyKey()).orElseThrow().status();
    }

    @Test
    public void anApprovedReRunUnderANewKeyIsFoundTooAndRecordedUnderThatKey() {
        ToolContext first = newCall(VendorFixture.ACME);
        JsonNode args = arguments("Courier confirmed pickup.");
        ToolResult.NeedsReview doubt = lostAnswer(first, args);
        ToolContext approved = new ToolContext(VendorFixture.ACME, first.run(), first.step() + 3, first.callId());

        Reconciliation found = reconcile(tool(), approved, args, doubt.since().minusSeconds(2));

        assertThat(found).isInstanceOf(Reconciliation.Found.class);
        assertThat(recordOf(approved)).isEqualTo(IdempotencyRecord.Status.COMPLETED);
        assertThat(success(tool().execute(approved, args)).replayed()).isTrue();
        assertThat(writesReceived()).isEqualTo(1);
    }

    @Test
    public void aCheckThatCannotAskTheVendorIsUnknownAndChangesNothing() throws Exception {
        ToolContext call = newCall(VendorFixture.ACME);
        JsonNode args = arguments("Checked while the vendor was unreachable.");
        fixture().server().thenAnswer(FakeVendorServer.Reply.json(500, "{\"error\":\"internal\"}"));
        assertThatThrownBy(() -> tool().execute(call, args)).isExactlyInstanceOf(TransientException.class);
        Instant since = Instant.now().minusSeconds(5);

        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        Tool nowhere = fixture().tool(toolName(), URI.create("http://127.0.0.1:" + closed), Duration.ofSeconds(2));
        assertThat(reconcile(nowhere, call, args, since)).isInstanceOfSatisfying(Reconciliation.Unknown.class,
                u -> assertThat(u.why()).contains("could not be read"));
        assertThat(reconcile(tool(), newCall(VendorFixture.INITECH), args, since)).isInstanceOfSatisfying(Reconciliation.Unknown.class,
                u -> assertThat(u.why()).contains("no ", " connection any more"));
        assertThat(reconcile(tool(), call, Json.object(), since)).isInstanceOfSatisfying(Reconciliation.Unknown.class,
                u -> assertThat(u.why()).contains("do not fit " + toolName()));

        assertThat(recordOf(call)).isEqualTo(IdempotencyRecord.Status.IN_PROGRESS);
        assertThat(tool().execute(call, args)).isInstanceOf(ToolResult.NeedsReview.class);
        assertThat(writesReceived()).isEqualTo(1);
    }
}
