package dev.steward.connectors.http;

import static dev.steward.connectors.http.VendorTestSupport.failed;
import static dev.steward.connectors.http.VendorTestSupport.newCall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.connectors.SideEffect;
import dev.steward.connectors.ToolContext;
import dev.steward.connectors.ToolSpec;
import dev.steward.connectors.connection.Vendor;
import dev.steward.core.json.Json;
import dev.steward.core.tenant.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which failures a write tool reads as "not connected": only a connection found lacking while the request is built,
 * before anything is recorded or sent; an {@link IllegalArgumentException} once the call may have been recorded is the
 * step's failure, not a missing connection (against DynamoDB Local).
 */
class VendorWriteToolTest {
    static final ToolSpec SPEC = new ToolSpec("crm_test_write", "a test write",
            Json.tree("{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}},\"required\":[\"text\"]}"), SideEffect.EXTERNAL_WRITE);
    static final TenantId ACME = TenantId.of("acme");
    static VendorTestSupport support;
    static ExternalHttpWrite write;

    @BeforeAll
    static void start() {
        support = new VendorTestSupport();
        support.connect(ACME, Vendor.HUBSPOT.wire(), Map.of(), "pat-na1-test-token");
        write = new ExternalHttpWrite(support.stores().idempotency(), Clock.systemUTC(), Duration.ofSeconds(2));
    }

    @AfterAll
    static void stop() {
        support.close();
    }

    @Test
    void aConnectionLackingWhatTheRequestNeedsIsNotConnectedAndNothingIsRecorded() {
        VendorWriteTool tool = new VendorWriteTool(SPEC, Vendor.HUBSPOT, support.stores().connections(), write,
                (connection, arguments) -> {
                    throw new IllegalArgumentException("it has no portal id");
                }, (arguments, answer) -> Json.object());
        ToolContext call = newCall(ACME);

        assertThat(failed(tool.execute(call, Json.tree("{\"text\":\"hi\"}")), "not_connected").message())
                .contains("connection is incomplete (it has no portal id)");
        assertThat(support.stores().idempotency().find(ACME, call.idempotencyKey())).as("no attempt recorded").isEmpty();
    }

    @Test
    void anIllegalArgumentOnceTheCallMayHaveBeenRecordedIsTheStepsFailureNotAMissingConnection() {
        // a sending that got past building its request (the call may be recorded by now) and then failed on a value
        VendorWriteTool tool = new VendorWriteTool(SPEC, Vendor.HUBSPOT, support.stores().connections(), write,
                (context, connection, arguments, w) -> {
                    throw new IllegalArgumentException("a value the vendor's HTTP client refused");
                });

        assertThatThrownBy(() -> tool.execute(newCall(ACME), Json.tree("{\"text\":\"hi\"}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a value the vendor's HTTP client refused");
    }
}
