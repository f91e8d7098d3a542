package dev.steward.store.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.tenant.TenantId;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;

/** Which sealer a function's environment gives, and what a function without a key can and cannot do. */
class SecretSealerEnvironmentTest {
    static final TenantId ACME = TenantId.of("acme");
    static final String HEX_KEY = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    static final Supplier<KmsClient> NO_KMS = () -> {
        throw new AssertionError("KMS should not be called");
    };

    @Test
    void aHexKeyGivesTheAesGcmSealerUnderThatKey() {
        SecretSealer first = SecretSealer.fromEnvironment(Map.of(SecretSealer.KEY_VARIABLE, HEX_KEY), NO_KMS);
        SecretSealer again = SecretSealer.fromEnvironment(Map.of(SecretSealer.KEY_VARIABLE, " " + HEX_KEY + "\n"), NO_KMS);

        assertThat(first).isInstanceOf(AesGcmSecretSealer.class);
        assertThat(again.open(ACME, "webhook/hubspot", first.seal(ACME, "webhook/hubspot", "s3cret"))).isEqualTo("s3cret");
    }

    @Test
    void withoutAKeyNothingIsSealedOrOpenedButPlaintextFromBeforeStillReads() {
        SecretSealer none = SecretSealer.fromEnvironment(Map.of("TABLE_NAME", "t"), NO_KMS);
        String sealed = AesGcmSecretSealer.withRandomKey().seal(ACME, "webhook/hubspot", "s3cret");

        assertThatThrownBy(() -> none.seal(ACME, "webhook/hubspot", "s3cret")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("STEWARD_SECRETS_KMS_KEY").hasMessageContaining("STEWARD_SECRETS_KEY");
        assertThatThrownBy(() -> none.open(ACME, "webhook/hubspot", sealed)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("STEWARD_SECRETS_KMS_KEY");
        assertThat(none.open(ACME, "webhook/hubspot", "s3cret")).isEqualTo("s3cret");
    }

    @Test
    void bothKeysOrAKeyThatIsNotHexStopTheStart() {
        assertThatThrownBy(() -> SecretSealer.fromEnvironment(Map.of(SecretSealer.KEY_VARIABLE, HEX_KEY,
                SecretSealer.KMS_KEY_VARIABLE, "alias/steward"), NO_KMS))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("both STEWARD_SECRETS_KMS_KEY and STEWARD_SECRETS_KEY");
        assertThatThrownBy(() -> SecretSealer.fromEnvironment(Map.of(SecretSealer.KEY_VARIABLE, "zz"), NO_KMS))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> SecretSealer.fromEnvironment(Map.of(SecretSealer.KEY_VARIABLE, "abcd"), NO_KMS))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("64 hex digits");
    }
}
