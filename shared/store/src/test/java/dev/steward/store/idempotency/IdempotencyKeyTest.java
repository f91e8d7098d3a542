package dev.steward.store.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.json.Json;
import dev.steward.core.run.RunId;
import dev.steward.core.tenant.TenantId;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdempotencyKeyTest {
    static final TenantId A = TenantId.of("tenant-a");
    static final RunId RUN = new RunId("run_0123456789abcdef");

    @Test
    void theSameCallAlwaysDerivesTheSameKey() {
        IdempotencyKey key = IdempotencyKey.of(A, RUN, 2, "call_1");
        assertThat(IdempotencyKey.of(TenantId.of("tenant-a"), new RunId("run_0123456789abcdef"), 2, "call_1")).isEqualTo(key);
        assertThat(key.value()).hasSize(64).matches("[0-9a-f]+");
    }

    @Test
    void everyInputChangesTheKey() {
        Set<IdempotencyKey> keys = new HashSet<>();
        keys.add(IdempotencyKey.of(A, RUN, 2, "call_1"));
        keys.add(IdempotencyKey.of(TenantId.of("tenant-b"), RUN, 2, "call_1"));
        keys.add(IdempotencyKey.of(A, new RunId("run_0123456789abcdeX"), 2, "call_1"));
        keys.add(IdempotencyKey.of(A, RUN, 3, "call_1"));
        keys.add(IdempotencyKey.of(A, RUN, 2, "call_2"));
        // Field boundaries matter: step 21 + call "_1" must not collide with step 2 + call "1_1".
        keys.add(IdempotencyKey.of(A, RUN, 21, "call_1"));
        keys.add(IdempotencyKey.of(A, RUN, 2, "1call_1"));
        assertThat(keys).hasSize(7);
    }

    @Test
    void malformedInputsAreRejected() {
        assertThatThrownBy(() -> new IdempotencyKey("ABC")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IdempotencyKey.of(A, RUN, -1, "c")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IdempotencyKey.of(A, RUN, 0, "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void payloadHashIgnoresFieldOrderButNotValues() {
        PayloadHash h = PayloadHash.of("send_email", Json.tree("{\"to\":[\"a@x.test\"],\"subject\":\"s\",\"o\":{\"b\":1,\"a\":2}}"));
        assertThat(PayloadHash.of("send_email", Json.tree("{\"o\":{\"a\":2,\"b\":1},\"subject\":\"s\",\"to\":[\"a@x.test\"]}")))
                .isEqualTo(h);
        assertThat(PayloadHash.of("send_email", Json.tree("{\"to\":[\"b@x.test\"],\"subject\":\"s\",\"o\":{\"b\":1,\"a\":2}}")))
                .isNotEqualTo(h);
        assertThat(PayloadHash.of("other_tool", Json.tree("{\"to\":[\"a@x.test\"],\"subject\":\"s\",\"o\":{\"b\":1,\"a\":2}}")))
                .isNotEqualTo(h);
    }
}
