package dev.steward.store.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The local sealer (AES-256-GCM under a key this process holds) against the sealers' contract. */
class AesGcmSecretSealerTest extends SecretSealerContract {
    private final AesGcmSecretSealer sealer = AesGcmSecretSealer.withRandomKey();

    @Override
    SecretSealer sealer() {
        return sealer;
    }

    @Override
    SecretSealer underAnotherKey() {
        return AesGcmSecretSealer.withRandomKey();
    }

    @Override
    String scheme() {
        return "aes-gcm";
    }

    @Test
    void theStoredBytesAreANonceTheCiphertextAndATag() {
        String sealed = sealer.seal(ACME, PURPOSE, TOKEN);
        byte[] bytes = Base64.getDecoder().decode(sealed.substring(sealed.lastIndexOf(':') + 1));

        assertThat(bytes).hasSize(12 + TOKEN.length() + 16);
    }

    @Test
    void theKeyIsAes256() {
        assertThatThrownBy(() -> new AesGcmSecretSealer(new byte[16])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes, not 16");
    }
}
