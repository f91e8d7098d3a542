package dev.steward.connectors.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.steward.core.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A vendor's API for tests: the JDK's HTTP server on 127.0.0.1 and a free port, answering as the given {@link Api}
 * does (which checks what the vendor checks), unless a test queued a failure for the next request. Records every
 * request it received, failures included, so a test can count what was sent.
 */
public final class FakeVendorServer implements AutoCloseable {

    /** What the vendor received; {@code query} is the raw query string, null when there is none. */
    public record Received(String method, String path, String query, Map<String, List<String>> headers, String body) {
        /** The query's parameters (the first value of each), decoded. */
        public Map<String, String> params() {
            Map<String, String> params = new java.util.LinkedHashMap<>();
            if (query != null) {
                for (String pair : query.split("&")) {
                    String[] kv = pair.split("=", 2);
                    params.putIfAbsent(java.net.URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                            kv.length < 2 ? "" : java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
                }
            }
            return params;
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }

        public JsonNode json() {
            return Json.tree(body);
        }
    }

    /** An answer: status, headers, JSON body; {@code delay} before it is sent (a slow vendor). */
    public record Reply(int status, Map<String, String> headers, String body, Duration delay) {
        public static Reply json(int status, String body) {
            return new Reply(status, Map.of(), body, Duration.ZERO);
        }

        public Reply withHeader(String name, String value) {
            return new Reply(status, Map.of(name, value), body, delay);
        }

        public Reply after(Duration wait) {
            return new Reply(status, headers, body, wait);
        }
    }

    /** The vendor's behaviour. */
    @FunctionalInterface
    public interface Api {
        Reply answer(Received request);
    }

    private final HttpServer server;
    private final Api api;
    private final ConcurrentLinkedQueue<Api> queued = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public FakeVendorServer(Api api) throws IOException {
        this.api = api;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The next requests get these answers, in order, instead of the vendor's own (each is still recorded). */
    public FakeVendorServer thenAnswer(Reply... replies) {
        for (Reply reply : replies) {
            queued.add(r -> reply);
        }
        return this;
    }

    /**
     * The next request is carried out as the vendor's {@link Api} does, but its answer leaves only after {@code wait}: the
     * vendor acted, and a client that gave up waiting never learns it.
     */
    public FakeVendorServer thenActButAnswerAfter(Duration wait) {
        queued.add(r -> api.answer(r).after(wait));
        return this;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public void reset() {
        queued.clear();
        received.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Received r = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(),
                    Map.copyOf(exchange.getRequestHeaders()), body);
            received.add(r);
            Api next = queued.poll();
            Reply reply = next != null ? next.answer(r) : api.answer(r);
            if (!reply.delay().isZero()) {
                try {
                    Thread.sleep(reply.delay());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } catch (IOException clientGone) {
            // the client timed out and closed the connection: nothing to answer
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
