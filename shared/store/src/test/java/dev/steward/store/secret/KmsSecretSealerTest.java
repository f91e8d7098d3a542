package dev.steward.store.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.store.AwsJsonServer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/**
 * The KMS sealer through the real KMS client, against a local server that speaks KMS's wire format and really
 * encrypts ({@link FakeKms}): the sealers' contract, and what goes over the wire.
 */
class KmsSecretSealerTest extends SecretSealerContract {
    static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    static final String OTHER_KEY = "arn:aws:kms:us-east-1:123456789012:key/0987dcba-09fe-87dc-65ba-ab0987654321";

    private final FakeKms kms = new FakeKms(KEY, OTHER_KEY);
    private final KmsClient client = clientOf(kms);

    static KmsClient clientOf(FakeKms server) {
        return KmsClient.builder()
                .endpointOverride(server.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        kms.close();
    }

    @Override
    SecretSealer sealer() {
        return new KmsSecretSealer(client, KEY);
    }

    @Override
    SecretSealer underAnotherKey() {
        return new KmsSecretSealer(client, OTHER_KEY);
    }

    @Override
    String scheme() {
        return "kms";
    }

    @Test
    void sealingIsOneEncryptAndOpeningOneDecryptWithTheTenantAndPurposeAsEncryptionContext() {
        String sealed = sealer().seal(ACME, PURPOSE, TOKEN);
        sealer().open(ACME, PURPOSE, sealed);

        List<AwsJsonServer.Call> calls = kms.calls();
        assertThat(calls).extracting(AwsJsonServer.Call::target).containsExactly("TrentService.Encrypt", "TrentService.Decrypt");
        Map<String, String> context = Map.of("tenant", "acme", "purpose", "connection/zendesk");
        for (AwsJsonServer.Call call : calls) {
            assertThat(call.method()).isEqualTo("POST");
            assertThat(call.contentType()).startsWith(AwsJsonServer.JSON_11);
            assertThat(call.authorization()).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/").contains("/us-east-1/kms/aws4_request");
            assertThat(call.body().path("KeyId").asText()).isEqualTo(KEY);
            assertThat(call.body().path("EncryptionContext").size()).isEqualTo(2);
            context.forEach((k, v) -> assertThat(call.body().path("EncryptionContext").path(k).asText()).isEqualTo(v));
        }
        AwsJsonServer.Call encrypt = calls.getFirst();
        assertThat(new String(Base64.getDecoder().decode(encrypt.body().path("Plaintext").asText()), StandardCharsets.UTF_8))
                .isEqualTo(TOKEN);
        // the stored bytes are KMS's blob as it is, and that blob is what Decrypt gets back
        assertThat(calls.get(1).body().path("CiphertextBlob").asText()).isEqualTo(sealed.substring(sealed.lastIndexOf(':') + 1));
    }

    @Test
    void aKeyKmsDoesNotKnowFailsAsKmsSaysNotAsAnAlteredValue() {
        KmsSecretSealer missing = new KmsSecretSealer(client, "arn:aws:kms:us-east-1:123456789012:key/missing");

        assertThatThrownBy(() -> missing.seal(ACME, PURPOSE, TOKEN)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void theEnvironmentsKmsKeyChoosesThisSealer() {
        SecretSealer chosen = SecretSealer.fromEnvironment(Map.of(SecretSealer.KMS_KEY_VARIABLE, KEY),
                keyId -> new KmsSecretSealer(client, keyId));

        assertThat(chosen).isInstanceOf(KmsSecretSealer.class);
        assertThat(sealer().open(ACME, PURPOSE, chosen.seal(ACME, PURPOSE, TOKEN))).isEqualTo(TOKEN);
    }
}
