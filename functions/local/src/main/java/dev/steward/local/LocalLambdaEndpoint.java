package dev.steward.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.steward.core.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A local endpoint speaking the Lambda Invoke API ({@code POST /2015-03-31/functions/{name}/invocations}) that hosts
 * the step functions' handlers in this JVM. Errors come back the way Lambda reports them: status 200,
 * {@code X-Amz-Function-Error: Unhandled} and {@code {errorType, errorMessage}} with the exception's fully qualified
 * class name as {@code errorType}, so the state machine's Retry and Catch match exactly as on AWS.
 */
final class LocalLambdaEndpoint implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LocalLambdaEndpoint.class.getName());
    private static final String PREFIX = "/2015-03-31/functions/";

    private final HttpServer server;
    private final Map<String, RequestStreamHandler> functions;

    private LocalLambdaEndpoint(HttpServer server, Map<String, RequestStreamHandler> functions) {
        this.server = server;
        this.functions = Map.copyOf(functions);
    }

    static LocalLambdaEndpoint start(Map<String, RequestStreamHandler> functions) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        LocalLambdaEndpoint endpoint = new LocalLambdaEndpoint(server, functions);
        server.createContext("/", endpoint::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return endpoint;
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The ARN a state machine names for a function hosted here. */
    static String arn(String functionName) {
        return "arn:aws:lambda:us-east-1:000000000000:function:" + functionName;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (!"POST".equals(exchange.getRequestMethod()) || !path.startsWith(PREFIX) || !path.endsWith("/invocations")) {
                notFound(exchange, "no such operation: " + path);
                return;
            }
            String name = URLDecoder.decode(path.substring(PREFIX.length(), path.length() - "/invocations".length()), StandardCharsets.UTF_8);
            name = name.substring(name.lastIndexOf(':') + 1);
            RequestStreamHandler handler = functions.get(name);
            if (handler == null) {
                notFound(exchange, "Function not found: " + LocalLambdaEndpoint.arn(name));
                return;
            }
            byte[] payload = exchange.getRequestBody().readAllBytes();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                handler.handleRequest(new ByteArrayInputStream(payload), out, null);
                reply(exchange, 200, null, out.toByteArray());
            } catch (Exception e) {
                LOG.log(Level.FINE, "function " + name + " failed", e);
                LOG.warning("function " + name + " failed: " + e.getClass().getName() + ": " + e.getMessage());
                reply(exchange, 200, "Unhandled", error(e.getClass().getName(), String.valueOf(e.getMessage())));
            }
        }
    }

    /** Lambda's own service error shape, so SDK clients raise ResourceNotFoundException. */
    private static void notFound(HttpExchange exchange, String message) throws IOException {
        exchange.getResponseHeaders().set("X-Amzn-ErrorType", "ResourceNotFoundException");
        ObjectNode body = Json.object().put("Type", "User").put("message", message);
        reply(exchange, 404, null, Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] error(String type, String message) {
        ObjectNode n = Json.object().put("errorType", type).put("errorMessage", message);
        n.putArray("stackTrace");
        return Json.write(n).getBytes(StandardCharsets.UTF_8);
    }

    private static void reply(HttpExchange exchange, int status, String functionError, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("X-Amz-Executed-Version", "$LATEST");
        if (functionError != null) {
            exchange.getResponseHeaders().set("X-Amz-Function-Error", functionError);
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
