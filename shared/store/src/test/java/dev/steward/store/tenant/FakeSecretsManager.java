package dev.steward.store.tenant;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.core.json.Json;
import dev.steward.store.AwsJsonServer;
import dev.steward.store.AwsJsonServer.Answer;
import dev.steward.store.AwsJsonServer.Call;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Secrets Manager's GetSecretValue on 127.0.0.1, in the service's wire format (AWS JSON 1.1: {@code POST /} with
 * {@code X-Amz-Target: secretsmanager.GetSecretValue}), for the real SDK client; in the manner of the guardrail
 * tests' fake Comprehend. A secret it does not hold is a {@code ResourceNotFoundException}, as the service answers
 * it (HTTP 400, {@code __type} and {@code message}). Records what each request sent.
 */
final class FakeSecretsManager implements AutoCloseable {
    static final String JSON_11 = AwsJsonServer.JSON_11;

    private final Map<String, String> secrets;
    private final AwsJsonServer server;

    /** Serves {@code secrets}: each secret's text by its ARN. */
    FakeSecretsManager(Map<String, String> secrets) {
        this.secrets = Map.copyOf(secrets);
        this.server = new AwsJsonServer(this::answer);
    }

    private Answer answer(Call call) {
        String arn = call.body().path("SecretId").asText();
        if (!"secretsmanager.GetSecretValue".equals(call.target())) {
            return Answer.error("UnknownOperationException", "unknown operation " + call.target());
        }
        if (!secrets.containsKey(arn)) {
            return Answer.error("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
        }
        ObjectNode body = Json.object();
        body.put("ARN", arn).put("Name", arn.substring(arn.lastIndexOf(':') + 1)).put("SecretString", secrets.get(arn))
                .put("VersionId", "a9b8c7d6-1234-4567-8901-abcdefabcdef").put("CreatedDate", 1.7640000E9);
        body.putArray("VersionStages").add("AWSCURRENT");
        return Answer.ok(body);
    }

    URI endpoint() {
        return server.endpoint();
    }

    List<Call> calls() {
        return server.calls();
    }

    @Override
    public void close() {
        server.close();
    }
}
