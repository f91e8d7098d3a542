package dev.steward.store.tenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.steward.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Secrets Manager's GetSecretValue on 127.0.0.1, in the service's wire format (AWS JSON 1.1: {@code POST /} with
 * {@code X-Amz-Target: secretsmanager.GetSecretValue}), for the real SDK client; in the manner of the guardrail
 * tests' fake Comprehend. A secret it does not hold is a {@code ResourceNotFoundException}, as the service answers
 * it (HTTP 400, {@code __type} and {@code message}). Records what each request sent.
 */
final class FakeSecretsManager implements AutoCloseable {
    static final String JSON_11 = "application/x-amz-json-1.1";

    /** What one request sent: its method, path, target, content type, signature and JSON body. */
    record Call(String method, String path, String target, String contentType, String authorization, JsonNode body) {}

    private final HttpServer server;
    private final Map<String, String> secrets;
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    /** Serves {@code secrets}: each secret's text by its ARN. */
    FakeSecretsManager(Map<String, String> secrets) {
        this.secrets = Map.copyOf(secrets);
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::answer);
        server.start();
    }

    private void answer(HttpExchange exchange) throws IOException {
        var headers = exchange.getRequestHeaders();
        Call call = new Call(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), headers.getFirst("X-Amz-Target"),
                headers.getFirst("Content-Type"), headers.getFirst("Authorization"), Json.tree(new String(exchange.getRequestBody().readAllBytes(),
                        StandardCharsets.UTF_8)));
        calls.add(call);
        String arn = call.body().path("SecretId").asText();
        ObjectNode body = Json.object();
        int status = 200;
        if (!"secretsmanager.GetSecretValue".equals(call.target())) {
            status = 400;
            body.put("__type", "UnknownOperationException").put("message", "unknown operation " + call.target());
        } else if (!secrets.containsKey(arn)) {
            status = 400;
            body.put("__type", "ResourceNotFoundException").put("message", "Secrets Manager can't find the specified secret.");
        } else {
            body.put("ARN", arn).put("Name", arn.substring(arn.lastIndexOf(':') + 1)).put("SecretString", secrets.get(arn))
                    .put("VersionId", "a9b8c7d6-1234-4567-8901-abcdefabcdef").put("CreatedDate", 1.7640000E9);
            body.putArray("VersionStages").add("AWSCURRENT");
        }
        byte[] out = Json.write(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", JSON_11);
        exchange.sendResponseHeaders(status, out.length);
        try (exchange) {
            exchange.getResponseBody().write(out);
        }
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
