package dev.steward.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.steward.core.json.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A provider stand-in for tests: the JDK's HTTP server on 127.0.0.1 and a free port, answering each request with
 * the next scripted response and recording what it received. Speaks whatever wire format the test scripts; knows
 * nothing about any provider. When the script runs out it answers 599 so a test never hangs or passes by accident.
 */
final class WireFake implements AutoCloseable {

    /** A scripted response. */
    record Response(int status, Map<String, String> headers, String body) {
        static Response json(int status, String body) {
            return new Response(status, Map.of("Content-Type", "application/json"), body);
        }
    }

    /** What the fake received. {@code path} is decoded (Bedrock's model ids arrive percent-encoded). */
    record Received(String method, String path, Map<String, List<String>> headers, String body) {
        JsonNode json() {
            return Json.tree(body);
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Response> script = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    WireFake() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** {@code http://127.0.0.1:port} plus {@code path}. */
    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    WireFake then(Response response) {
        script.add(response);
        return this;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    Received only() {
        if (received.size() != 1) {
            throw new AssertionError("expected exactly one request, got " + received.size() + ": " + received);
        }
        return received.getFirst();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    Map.copyOf(exchange.getRequestHeaders()), body));
            Response next = script.poll();
            if (next == null) {
                next = Response.json(599, "{\"error\":\"WireFake: no scripted response left\"}");
            }
            next.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] bytes = next.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(next.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
