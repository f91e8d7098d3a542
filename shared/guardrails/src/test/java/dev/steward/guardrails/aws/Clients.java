package dev.steward.guardrails.aws;

import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** Environments that point the factory's real SDK clients at a fake server, with dummy credentials. */
final class Clients {
    static final StaticCredentialsProvider DUMMY =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG"));

    private Clients() {}

    static GuardrailProviders comprehend(FakeAwsServer server, Map<String, String> extra) {
        var env = new java.util.HashMap<>(extra);
        env.put(GuardrailProviders.PROVIDER, "comprehend");
        env.put(GuardrailProviders.REGION, "us-east-1");
        env.put(GuardrailProviders.ENDPOINT, server.endpoint().toString());
        return GuardrailProviders.fromEnvironment(env, () -> DUMMY);
    }

    static GuardrailProviders bedrock(FakeAwsServer server) {
        return GuardrailProviders.fromEnvironment(Map.of(
                GuardrailProviders.PROVIDER, "bedrock",
                GuardrailProviders.REGION, "us-east-1",
                GuardrailProviders.ENDPOINT, server.endpoint().toString(),
                GuardrailProviders.BEDROCK_GUARDRAIL_ID, "gr7h2k9x1abc",
                GuardrailProviders.BEDROCK_GUARDRAIL_VERSION, "3"), () -> DUMMY);
    }
}
