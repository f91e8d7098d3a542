package dev.steward.store.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.tenant.TenantId;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * What every sealer must do, run against each: a round trip, the binding to tenant and purpose, tamper evidence,
 * a stored form without the plaintext, and plaintext from before sealing read as it is.
 */
abstract class SecretSealerContract {
    static final TenantId ACME = TenantId.of("acme");
    static final TenantId OTHER = TenantId.of("other");
    static final String PURPOSE = "connection/zendesk";
    static final String TOKEN = "zd-api-token-7f3a9c2e41b8d650";

    /** The sealer under test. */
    abstract SecretSealer sealer();

    /** Another sealer of the same scheme, under another key. */
    abstract SecretSealer underAnotherKey();

    /** The scheme its stored form names. */
    abstract String scheme();

    @Test
    void aSealedValueOpensForItsTenantAndPurposeAndHoldsNoPlaintext() {
        String sealed = sealer().seal(ACME, PURPOSE, TOKEN);

        assertThat(sealed).startsWith("steward:sealed:v1:" + scheme() + ":").doesNotContain(TOKEN)
                .doesNotContain(Base64.getEncoder().encodeToString(TOKEN.getBytes()));
        assertThat(SecretSealer.isSealed(sealed)).isTrue();
        assertThat(sealer().open(ACME, PURPOSE, sealed)).isEqualTo(TOKEN);
        // a fresh nonce (or KMS's own) each time: equal tokens do not show as equal values
        assertThat(sealer().seal(ACME, PURPOSE, TOKEN)).isNotEqualTo(sealed);
    }

    @Test
    void anotherTenantCannotOpenIt() {
        String sealed = sealer().seal(ACME, PURPOSE, TOKEN);

        assertThatThrownBy(() -> sealer().open(OTHER, PURPOSE, sealed)).isInstanceOf(SecretSealingException.class)
                .hasMessageContaining("does not open for tenant 'other', purpose 'connection/zendesk'")
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void anotherPurposeCannotOpenIt() {
        String sealed = sealer().seal(ACME, PURPOSE, TOKEN);

        assertThatThrownBy(() -> sealer().open(ACME, "connection/hubspot", sealed)).isInstanceOf(SecretSealingException.class)
                .hasMessageContaining("does not open for tenant 'acme', purpose 'connection/hubspot'");
        assertThatThrownBy(() -> sealer().open(ACME, "webhook/zendesk", sealed)).isInstanceOf(SecretSealingException.class);
    }

    @Test
    void anAlteredValueDoesNotOpen() {
        String sealed = sealer().seal(ACME, PURPOSE, TOKEN);
        String prefix = sealed.substring(0, sealed.lastIndexOf(':') + 1);
        byte[] bytes = Base64.getDecoder().decode(sealed.substring(prefix.length()));
        for (int at : new int[] {bytes.length - 1, bytes.length - 20, bytes.length / 2}) {
            byte[] altered = bytes.clone();
            altered[at] ^= 0x01;
            String tampered = prefix + Base64.getEncoder().encodeToString(altered);

            assertThatThrownBy(() -> sealer().open(ACME, PURPOSE, tampered)).as("byte %d flipped", at)
                    .isInstanceOf(SecretSealingException.class);
        }
        assertThatThrownBy(() -> sealer().open(ACME, PURPOSE, prefix + "not*base64")).isInstanceOf(SecretSealingException.class)
                .hasMessageContaining("not valid base64");
    }

    @Test
    void anotherKeyCannotOpenIt() {
        String sealed = sealer().seal(ACME, PURPOSE, TOKEN);

        assertThatThrownBy(() -> underAnotherKey().open(ACME, PURPOSE, sealed)).isInstanceOf(SecretSealingException.class);
    }

    @Test
    void aPlaintextValueFromBeforeSealingReadsAsItIs() {
        assertThat(sealer().open(ACME, PURPOSE, TOKEN)).isEqualTo(TOKEN);
        assertThat(SecretSealer.isSealed(TOKEN)).isFalse();
    }

    @Test
    void aValueOfAnotherSchemeOrVersionFailsNamingIt() {
        String otherScheme = (scheme().equals("kms") ? "aes-gcm" : "kms");
        assertThatThrownBy(() -> sealer().open(ACME, PURPOSE, "steward:sealed:v1:" + otherScheme + ":AAAA"))
                .isInstanceOf(SecretSealingException.class)
                .hasMessageContaining("was sealed with " + otherScheme + ", but this process opens " + scheme() + " only");
        assertThatThrownBy(() -> sealer().open(ACME, PURPOSE, "steward:sealed:v9:" + scheme() + ":AAAA"))
                .isInstanceOf(SecretSealingException.class).hasMessageContaining("unknown format (steward:sealed:v9:" + scheme());
    }

    @Test
    void aPurposeMustBeAPlainName() {
        assertThatThrownBy(() -> sealer().seal(ACME, "connection/zendesk\ntenant=other", TOKEN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid purpose");
        assertThatThrownBy(() -> sealer().open(ACME, "", TOKEN)).isInstanceOf(IllegalArgumentException.class);
    }
}
