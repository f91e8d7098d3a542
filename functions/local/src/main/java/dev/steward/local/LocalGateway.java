package dev.steward.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import dev.steward.core.json.Json;
import dev.steward.core.tenant.Role;
import dev.steward.core.tenant.TenantId;
import dev.steward.function.api.ApiHandler;
import dev.steward.function.api.RouteMatcher;
import dev.steward.function.api.Routes;
import dev.steward.function.authorizer.AuthorizerHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Local mode's HTTP entry, doing what API Gateway's HTTP API does on AWS: match the route from the shared route
 * table, call the same Lambda authorizer class on authenticated routes, build an {@link APIGatewayV2HTTPEvent}
 * (payload 2.0) with the authorizer's context, and call the same API handler. It also serves the built web app.
 *
 * <p>Operator requests (the {@code steward} CLI on this machine) carry the local operator token instead of an API
 * key, and name the tenant they act for; they reach the same handler with an admin principal of that tenant. The
 * operator's own routes under {@code /_local/} create a tenant and issue a tenant's keys.
 */
final class LocalGateway implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LocalGateway.class.getName());
    static final String OPERATOR_HEADER = "X-Steward-Operator-Token";
    static final String TENANT_HEADER = "X-Steward-Tenant";
    private static final Pattern TENANT_KEYS = Pattern.compile("/_local/tenants/([^/]+)/keys");

    private final HttpServer server;
    private final RouteMatcher routes = new RouteMatcher(Routes.ALL);
    private final ApiHandler api;
    private final AuthorizerHandler authorizer;
    private final LocalOperator operator;
    private final Path webDir;
    private final long maxBodyBytes;
    /** Authorizer decisions by Authorization header, kept as API Gateway keeps them (its results cache TTL). */
    private final Cache<String, Map<String, Object>> decisions;

    private LocalGateway(HttpServer server, ApiHandler api, AuthorizerHandler authorizer, LocalOperator operator, Path webDir, long maxBodyBytes,
            Duration authorizerCacheTtl) {
        this.server = server;
        this.decisions = Caffeine.newBuilder().expireAfterWrite(authorizerCacheTtl).maximumSize(10_000).build();
        this.api = api;
        this.authorizer = authorizer;
        this.operator = operator;
        this.webDir = webDir;
        this.maxBodyBytes = maxBodyBytes;
    }

    static LocalGateway start(int port, ApiHandler api, AuthorizerHandler authorizer, LocalOperator operator, Path webDir, long maxBodyBytes,
            Duration authorizerCacheTtl) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
        LocalGateway gateway = new LocalGateway(server, api, authorizer, operator, webDir, maxBodyBytes, authorizerCacheTtl);
        server.createContext("/", gateway::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return gateway;
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (path.equals("/health") || path.startsWith("/v1/") || path.equals("/v1")) {
                handleApi(exchange);
            } else if (path.startsWith("/_local/")) {
                handleOperator(exchange);
            } else {
                serveStatic(exchange, path);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "local gateway failure", e);
            sendJson(exchange, 500, errorBody("internal_error", "local gateway failure: " + e.getMessage()));
        }
    }

    private void handleApi(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = URLDecoder.decode(exchange.getRequestURI().getRawPath(), StandardCharsets.UTF_8);
        Optional<RouteMatcher.Match> match = routes.match(method, path);
        if (match.isEmpty()) {
            sendJson(exchange, 404, errorBody("not_found", "no route for " + method + " " + path));
            return;
        }
        if (!match.get().methodAllowed()) {
            sendJson(exchange, 405, errorBody("method_not_allowed", method + " is not allowed on " + path));
            return;
        }
        byte[] body = readBody(exchange);
        if (body == null) {
            sendJson(exchange, 413, errorBody("document_too_large", "the request body is larger than the limit of " + maxBodyBytes + " bytes"));
            return;
        }
        Map<String, Object> authorizerContext = null;
        if (match.get().route().authenticated()) {
            authorizerContext = authorize(exchange.getRequestHeaders());
            if (authorizerContext == null) {
                sendJson(exchange, 401, errorBody("unauthorized", "missing or invalid API key: send 'Authorization: Bearer <key>'"));
                return;
            }
        }
        APIGatewayV2HTTPEvent event = toEvent(exchange, match.get(), body, authorizerContext);
        APIGatewayV2HTTPResponse response = api.handleRequest(event, null);
        byte[] out = response.getBody() == null ? new byte[0]
                : response.getIsBase64Encoded() ? Base64.getDecoder().decode(response.getBody())
                : response.getBody().getBytes(StandardCharsets.UTF_8);
        if (response.getHeaders() != null) {
            response.getHeaders().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        }
        send(exchange, response.getStatusCode(), out);
    }

    /** Runs the same authorizer class API Gateway would call; null when the request is not authorized. */
    private Map<String, Object> authorize(Headers headers) {
        String token = headers.getFirst(OPERATOR_HEADER);
        if (token != null) {
            String tenant = headers.getFirst(TENANT_HEADER);
            if (!operator.tokenMatches(token) || tenant == null || !TenantId.isValid(tenant) || !operator.tenantExists(TenantId.of(tenant))) {
                return null;
            }
            return Map.of("tenantId", tenant, "principalId", "operator", "role", "admin");
        }
        String identity = headers.getFirst("Authorization");
        if (identity == null) {
            return null; // API Gateway refuses a request without its identity source before calling the authorizer
        }
        return decisions.get(identity, key -> {
            APIGatewayV2CustomAuthorizerEvent event = new APIGatewayV2CustomAuthorizerEvent();
            event.setVersion("2.0");
            event.setType("REQUEST");
            event.setHeaders(flatHeaders(headers));
            Map<String, Object> result = authorizer.handleRequest(event, null);
            if (!Boolean.TRUE.equals(result.get("isAuthorized"))) {
                return null; // not cached: a refused key is asked again
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> context = (Map<String, Object>) result.get("context");
            return context;
        });
    }

    private static APIGatewayV2HTTPEvent toEvent(HttpExchange exchange, RouteMatcher.Match match, byte[] body, Map<String, Object> authorizerContext) {
        URI uri = exchange.getRequestURI();
        APIGatewayV2HTTPEvent.RequestContext.Http http = APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                .withMethod(exchange.getRequestMethod())
                .withPath(uri.getRawPath())
                .withProtocol(exchange.getProtocol())
                .withSourceIp(exchange.getRemoteAddress().getAddress().getHostAddress())
                .withUserAgent(exchange.getRequestHeaders().getFirst("User-Agent"))
                .build();
        APIGatewayV2HTTPEvent.RequestContext.RequestContextBuilder ctx = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withRouteKey(match.route().routeKey())
                .withStage("$default")
                .withRequestId(UUID.randomUUID().toString())
                .withTimeEpoch(System.currentTimeMillis())
                .withHttp(http);
        if (authorizerContext != null) {
            ctx.withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder().withLambda(authorizerContext).build());
        }
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(match.route().routeKey())
                .withRawPath(uri.getRawPath())
                .withRawQueryString(uri.getRawQuery() == null ? "" : uri.getRawQuery())
                .withHeaders(forwarded(flatHeaders(exchange.getRequestHeaders())))
                .withQueryStringParameters(query(uri.getRawQuery()))
                .withPathParameters(match.pathParameters().isEmpty() ? null : match.pathParameters())
                .withRequestContext(ctx.build())
                .withBody(Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(true)
                .build();
    }

    private void handleOperator(HttpExchange exchange) throws IOException {
        String token = exchange.getRequestHeaders().getFirst(OPERATOR_HEADER);
        if (token == null || !operator.tokenMatches(token)) {
            sendJson(exchange, 401, errorBody("unauthorized", "operator routes need the local operator token"));
            return;
        }
        String path = exchange.getRequestURI().getRawPath();
        Matcher tenantKeys = TENANT_KEYS.matcher(path);
        boolean tenants = path.equals("/_local/tenants");
        if (!exchange.getRequestMethod().equals("POST") || !(tenants || tenantKeys.matches())) {
            sendJson(exchange, 404, errorBody("not_found", "no operator route " + path));
            return;
        }
        JsonNode body;
        try {
            body = Json.mapper().readTree(exchange.getRequestBody());
        } catch (IOException e) {
            sendJson(exchange, 400, errorBody("malformed_json", "the request body is not valid JSON"));
            return;
        }
        if (tenants) {
            createTenant(exchange, body == null ? null : body.path("name").asText(null));
        } else {
            createKey(exchange, tenantKeys.group(1), body == null ? null : body.path("role").asText(null));
        }
    }

    /** {@code POST /_local/tenants {"name"}}: 201 with the tenant's admin key, 409 when the tenant exists. */
    private void createTenant(HttpExchange exchange, String name) throws IOException {
        if (name == null || !TenantId.isValid(name)) {
            sendJson(exchange, 400, errorBody("invalid_request",
                    "'name' must be 2-40 lower-case letters, digits or dashes, starting with a letter"));
            return;
        }
        Optional<String> key = operator.createTenant(TenantId.of(name));
        if (key.isEmpty()) {
            sendJson(exchange, 409, errorBody("tenant_exists", "tenant '" + name + "' already exists"));
            return;
        }
        sendJson(exchange, 201, Json.object().put("tenantId", name).put("apiKey", key.get()).put("role", Role.ADMIN.wire()));
    }

    /** {@code POST /_local/tenants/{tenant}/keys {"role"}}: 201 with a new key of that role, 404 when there is no such tenant. */
    private void createKey(HttpExchange exchange, String name, String roleName) throws IOException {
        Role role;
        try {
            role = Role.parse(roleName == null ? "" : roleName);
        } catch (IllegalArgumentException e) {
            sendJson(exchange, 400, errorBody("invalid_request", e.getMessage()));
            return;
        }
        Optional<String> key = TenantId.isValid(name) ? operator.createKey(TenantId.of(name), role) : Optional.empty();
        if (key.isEmpty()) {
            sendJson(exchange, 404, errorBody("not_found", "tenant '" + name + "' does not exist"));
            return;
        }
        sendJson(exchange, 201, Json.object().put("tenantId", name).put("apiKey", key.get()).put("role", role.wire()));
    }

    private void serveStatic(HttpExchange exchange, String rawPath) throws IOException {
        if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
            sendJson(exchange, 405, errorBody("method_not_allowed", "static files are read-only"));
            return;
        }
        String path = URLDecoder.decode(rawPath, StandardCharsets.UTF_8);
        Path file = webDir.resolve(path.substring(1)).normalize();
        if (!file.startsWith(webDir) || !Files.isRegularFile(file)) {
            file = webDir.resolve("index.html"); // single-page app: the client routes
        }
        if (!Files.isRegularFile(file)) {
            send(exchange, 503, ("The web app is not built (" + webDir + " is missing). Run ./mvnw -DskipTests install.\n")
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", contentType(file));
        exchange.getResponseHeaders().set("Cache-Control", file.getFileName().toString().equals("index.html") ? "no-cache" : "max-age=3600");
        send(exchange, 200, Files.readAllBytes(file));
    }

    /**
     * The body, or null when it is larger than the limit. An oversized body is still read (and discarded, up to
     * {@link #DRAIN_LIMIT}) before the 413 goes out: a server that answers and closes while the client is still
     * sending makes the client see a connection reset instead of the answer.
     */
    private byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
            if (bytes.length <= maxBodyBytes) {
                return bytes;
            }
            long drained = 0;
            byte[] sink = new byte[64 * 1024];
            for (int n; drained < DRAIN_LIMIT && (n = in.read(sink)) > 0; ) {
                drained += n;
            }
            return null;
        }
    }

    /** How much of an oversized body is read and discarded before answering 413. */
    private static final long DRAIN_LIMIT = 256L * 1024 * 1024;

    private static Map<String, String> flatHeaders(Headers headers) {
        Map<String, String> out = new LinkedHashMap<>();
        headers.forEach((k, v) -> out.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
        return out;
    }

    /** As API Gateway does, tells the handler the scheme the client used (a signed webhook URL includes it). */
    private static Map<String, String> forwarded(Map<String, String> headers) {
        headers.putIfAbsent("x-forwarded-proto", "http");
        return headers;
    }

    private static Map<String, String> query(String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.merge(k, v, (a, b) -> a + "," + b); // API Gateway joins repeated parameters with commas
        }
        return out;
    }

    private static String contentType(Path file) {
        String n = file.getFileName().toString();
        if (n.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (n.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (n.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        if (n.endsWith(".svg")) {
            return "image/svg+xml";
        }
        if (n.endsWith(".json")) {
            return "application/json";
        }
        if (n.endsWith(".png")) {
            return "image/png";
        }
        return "application/octet-stream";
    }

    static ObjectNode errorBody(String code, String message) {
        ObjectNode body = Json.object();
        body.putObject("error").put("code", code).put("message", message);
        return body;
    }

    private static void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        send(exchange, status, Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        }
    }

    static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop(0);
    }

}
