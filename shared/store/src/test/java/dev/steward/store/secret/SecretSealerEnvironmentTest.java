package dev.steward.store.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.tenant.TenantId;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Which sealer a function's environment gives, and what a function without a key can and cannot do. */
class SecretSealerEnvironmentTest {
    static final TenantId ACME = TenantId.of("acme");
    static final String HEX_KEY = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    static final Function<String, SecretSealer> NO_KMS = keyId -> {
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

    /**
     * The authorizer and ingest functions build their stores through {@link SecretSealer#fromEnvironment} without the
     * optional KMS SDK in their jars: choosing a sealer must not touch its classes unless a KMS key is set.
     */
    @Test
    void withoutTheKmsSdkOnTheClassPathAFunctionWithoutAKmsKeyStillChoosesItsSealer() throws Exception {
        List<URL> withoutKms = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.contains("/awssdk/kms/")) {
                withoutKms.add(Path.of(entry).toUri().toURL());
            }
        }
        try (URLClassLoader loader = new URLClassLoader(withoutKms.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> loader.loadClass("software.amazon.awssdk.services.kms.KmsClient"))
                    .isInstanceOf(ClassNotFoundException.class);
            Class<?> sealer = loader.loadClass(SecretSealer.class.getName());
            Object none = sealer.getMethod("fromEnvironment", Map.class).invoke(null, Map.of());
            Object aes = sealer.getMethod("fromEnvironment", Map.class).invoke(null, Map.of(SecretSealer.KEY_VARIABLE, HEX_KEY));

            assertThat(none.getClass().getSimpleName()).isEqualTo("Unconfigured");
            assertThat(aes.getClass().getSimpleName()).isEqualTo("AesGcmSecretSealer");
        }
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
