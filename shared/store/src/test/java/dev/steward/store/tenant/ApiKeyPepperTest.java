package dev.steward.store.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.store.AwsJsonServer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * The pepper from the stage's secret through the real Secrets Manager client (against a local server speaking the
 * service's wire format), from the variable outside AWS, and a start that fails, naming what to set, without either.
 */
class ApiKeyPepperTest {
    static final String ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ApiKeyPepper-a1B2c3";
    static final String PEPPER = "Zq7pL0aX9vBn3mKe8TyRu2IoWc5HdGfS";
    static final String KEY = "stw_acme_AAAAAAAAAAAA_" + "B".repeat(32);

    static Supplier<SecretsManagerClient> clientOf(FakeSecretsManager server) {
        return () -> SecretsManagerClient.builder()
                .endpointOverride(server.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    static String hashUnder(String pepper) {
        return new ApiKeys(pepper.getBytes(StandardCharsets.UTF_8)).hash(KEY);
    }

    @Test
    void onAwsThePepperIsTheSecretsTextReadOnceWithGetSecretValue() {
        try (var server = new FakeSecretsManager(Map.of(ARN, PEPPER))) {
            ApiKeys keys = ApiKeyPepper.fromEnvironment(Map.of(ApiKeyPepper.SECRET_ARN_VARIABLE, ARN), clientOf(server));

            assertThat(keys.hash(KEY)).isEqualTo(hashUnder(PEPPER));
            assertThat(server.calls()).hasSize(1);
            AwsJsonServer.Call sent = server.calls().getFirst();
            assertThat(sent.method()).isEqualTo("POST");
            assertThat(sent.path()).isEqualTo("/");
            assertThat(sent.target()).isEqualTo("secretsmanager.GetSecretValue");
            assertThat(sent.contentType()).startsWith(FakeSecretsManager.JSON_11);
            assertThat(sent.authorization()).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
                    .contains("/us-east-1/secretsmanager/aws4_request");
            assertThat(sent.body().path("SecretId").asText()).isEqualTo(ARN);
            assertThat(sent.body().size()).isEqualTo(1);
        }
    }

    @Test
    void aSecretThatDoesNotExistStopsTheStartNamingItAndTheVariable() {
        try (var server = new FakeSecretsManager(Map.of())) {
            assertThatThrownBy(() -> ApiKeyPepper.fromEnvironment(Map.of(ApiKeyPepper.SECRET_ARN_VARIABLE, ARN), clientOf(server)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(ARN).hasMessageContaining("API_KEY_PEPPER_SECRET_ARN")
                    .hasMessageContaining("Secrets Manager can't find the specified secret.")
                    .hasCauseInstanceOf(ResourceNotFoundException.class);
            assertThat(server.calls()).hasSize(1);
        }
    }

    @Test
    void outsideAwsTheVariableHoldsThePepperAndNoSecretIsRead() {
        Supplier<SecretsManagerClient> never = () -> {
            throw new AssertionError("no secret should be read");
        };
        ApiKeys keys = ApiKeyPepper.fromEnvironment(Map.of(ApiKeyPepper.VARIABLE, PEPPER), never);

        assertThat(keys.hash(KEY)).isEqualTo(hashUnder(PEPPER)).isNotEqualTo(hashUnder(PEPPER + "x"));
    }

    @Test
    void withNeitherOrBothTheStartFailsNamingThem() {
        assertThatThrownBy(() -> ApiKeyPepper.fromEnvironment(Map.of("TABLE_NAME", "t", ApiKeyPepper.VARIABLE, " ")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("neither API_KEY_PEPPER_SECRET_ARN").hasMessageContaining("nor API_KEY_PEPPER");
        assertThatThrownBy(() -> ApiKeyPepper.fromEnvironment(Map.of(ApiKeyPepper.SECRET_ARN_VARIABLE, ARN, ApiKeyPepper.VARIABLE, PEPPER)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("both API_KEY_PEPPER_SECRET_ARN and API_KEY_PEPPER are set");
    }
}
