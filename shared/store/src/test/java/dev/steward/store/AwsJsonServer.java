package dev.steward.store;

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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An AWS service on 127.0.0.1 in its AWS JSON 1.1 wire format ({@code POST /} with {@code X-Amz-Target:
 * <service>.<Operation>}), for the real SDK client; what the fake Secrets Manager and fake KMS share. Each request is
 * recorded and answered by the service's {@code answer} function; an error is HTTP 400 with {@code __type} and
 * {@code message}, as the services answer them.
 */
public final class AwsJsonServer implements AutoCloseable {
    public static final String JSON_11 = "application/x-amz-json-1.1";

    /** What one request sent: its method, path, target, content type, signature and JSON body. */
    public record Call(String method, String path, String target, String contentType, String authorization, JsonNode body) {}

    /** A response: its status and JSON body. */
    public record Answer(int status, ObjectNode body) {
        public static Answer ok(ObjectNode body) {
            return new Answer(200, body);
        }

        /** An error as the services send it: HTTP 400, the exception's name in {@code __type}, and a message. */
        public static Answer error(String type, String message) {
            return new Answer(400, Json.object().put("__type", type).put("message", message));
        }
    }

    private final HttpServer server;
    private final Function<Call, Answer> answer;
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    public AwsJsonServer(Function<Call, Answer> answer) {
        this.answer = answer;
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
        Answer out = answer.apply(call);
        byte[] bytes = Json.write(out.body()).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", JSON_11);
        exchange.sendResponseHeaders(out.status(), bytes.length);
        try (exchange) {
            exchange.getResponseBody().write(bytes);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
