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
import dev.steward.core.error.ApiException;
import dev.steward.core.json.Json;
import dev.steward.core.tenant.TenantId;
import dev.steward.function.api.ApiHandler;
import dev.steward.function.api.Route;
import dev.steward.function.api.RouteMatcher;
import dev.steward.function.api.Routes;
import dev.steward.function.authorizer.AuthorizerHandler;
import dev.steward.function.authorizer.JwtSettings;
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

/**
 * Local mode's HTTP entry, doing what API Gateway's HTTP API does on AWS: match the route from the shared route
 * table, call the same Lambda authorizer class on authenticated routes, build an {@link APIGatewayV2HTTPEvent}
 * (payload 2.0) with the authorizer's context, and call the same API handler. It also serves the built web app, and
 * when JWT sign-in is configured the {@code config.json} naming its issuer that the CDK writes next to the SPA on AWS.
 *
 * <p>Operator requests (the {@code steward} CLI on this machine) carry the local operator token instead of an API
 * key, and name the tenant they act for; they reach the same handler with an admin principal of that tenant. On the
 * admin routes (IAM-authorized on AWS) the token stands in for a SigV4 signature; the CLI reaches them under their
 * older names {@code /_local/tenants...}. Upload URLs ({@code PUT /_local/uploads/<token>}) stand in for S3's
 * presigned ones.
 */
final class LocalGateway implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LocalGateway.class.getName());
    static final String OPERATOR_HEADER = "X-Steward-Operator-Token";
    static final String TENANT_HEADER = "X-Steward-Tenant";
    /** The CLI's operator routes: {@code /_local/tenants...} is {@code /v1/admin/tenants...}. */
    private static final String OPERATOR_PREFIX = "/_local/";
    /** How the admin routes see the operator: as the IAM principal that API Gateway's IAM authorizer names on AWS. */
    static final APIGatewayV2HTTPEvent.RequestContext.IAM OPERATOR_IDENTITY = APIGatewayV2HTTPEvent.RequestContext.IAM.builder()
            .withUserArn("local-operator").withCallerId("local-operator").build();

    private final HttpServer server;
    private final RouteMatcher routes = new RouteMatcher(Routes.ALL);
    private final ApiHandler api;
    private final AuthorizerHandler authorizer;
    private final LocalOperator operator;
    private final Path webDir;
    private final long maxBodyBytes;
    private final LocalUploadUrls uploads;
    /** Authorizer decisions by Authorization header, kept as API Gateway keeps them (its results cache TTL). */
    private final Cache<String, Map<String, Object>> decisions;
    /** The web app's {@code config.json} when JWT sign-in is configured, as the CDK writes it next to the SPA. */
    private final Optional<byte[]> spaConfig;

    private LocalGateway(HttpServer server, ApiHandler api, AuthorizerHandler authorizer, LocalOperator operator, LocalUploadUrls uploads,
            Path webDir, long maxBodyBytes, Duration authorizerCacheTtl, Optional<JwtSettings> signIn) {
        this.server = server;
        this.spaConfig = signIn.map(LocalGateway::spaConfigOf);
        this.decisions = Caffeine.newBuilder().expireAfterWrite(authorizerCacheTtl).maximumSize(10_000).build();
        this.api = api;
        this.authorizer = authorizer;
        this.operator = operator;
        this.webDir = webDir;
        this.maxBodyBytes = maxBodyBytes;
        this.uploads = uploads;
    }

    /** @param signIn the JWT issuer the authorizer trusts, if any: the web app then offers "Sign in with SSO" */
    static LocalGateway start(int port, ApiHandler api, AuthorizerHandler authorizer, LocalOperator operator, LocalUploadUrls uploads,
            Path webDir, long maxBodyBytes, Duration authorizerCacheTtl, Optional<JwtSettings> signIn) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
        LocalGateway gateway = new LocalGateway(server, api, authorizer, operator, uploads, webDir, maxBodyBytes, authorizerCacheTtl, signIn);
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
                handleApi(exchange, path);
            } else if (path.startsWith(LocalUploadUrls.PATH)) {
                handleUpload(exchange, path.substring(LocalUploadUrls.PATH.length()));
            } else if (path.startsWith(OPERATOR_PREFIX)) {
                handleOperator(exchange, path);
            } else {
                serveStatic(exchange, path);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "local gateway failure", e);
            sendJson(exchange, 500, errorBody("internal_error", "local gateway failure: " + e.getMessage()));
        }
    }

    /**
     * A client's PUT of a file's bytes to an upload URL ({@link LocalUploadUrls}): what S3 does with a presigned URL
     * on AWS, the token standing in for the signature, open to the web app's origin (CORS) as the bucket is on AWS.
     * The body is read (up to the granted size) even when the
     * token is refused, so the client sees the answer rather than a reset connection.
     */
    private void handleUpload(HttpExchange exchange, String token) throws IOException {
        // as a bucket's CORS rule lets the web app PUT from its origin; the token is the authorization
        exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
        if (exchange.getRequestMethod().equals("OPTIONS")) {
            exchange.getResponseHeaders().set("Access-Control-Allow-Methods", "PUT");
            exchange.getResponseHeaders().set("Access-Control-Allow-Headers", "Content-Type");
            exchange.getResponseHeaders().set("Access-Control-Max-Age", "3600");
            send(exchange, 204, new byte[0]);
            return;
        }
        if (!exchange.getRequestMethod().equals("PUT")) {
            readAtMost(exchange, 0);
            sendJson(exchange, 405, errorBody("method_not_allowed", "an upload URL takes one PUT of the file's bytes"));
            return;
        }
        try {
            LocalUploadUrls.Grant grant;
            try {
                grant = uploads.grant(token);
            } catch (ApiException refused) {
                readAtMost(exchange, 0);
                throw refused;
            }
            uploads.store(grant, readAtMost(exchange, grant.size()));
            send(exchange, 200, new byte[0]);
        } catch (ApiException e) {
            sendJson(exchange, e.status(), errorBody(e.code(), e.getMessage()));
        }
    }

    /**
     * The CLI's operator routes, kept for {@code steward tenant create/key}: {@code /_local/tenants...} is
     * {@code /v1/admin/tenants...}, served by the same handler route as on AWS (and so with the operator token only).
     */
    private void handleOperator(HttpExchange exchange, String rawPath) throws IOException {
        String adminPath = "/v1/admin/" + rawPath.substring(OPERATOR_PREFIX.length());
        Optional<RouteMatcher.Match> match = routes.match(exchange.getRequestMethod(), URLDecoder.decode(adminPath, StandardCharsets.UTF_8));
        if (match.isEmpty() || !match.get().methodAllowed() || match.get().route().auth() != Route.Auth.IAM) {
            sendJson(exchange, 404, errorBody("not_found", "no operator route " + exchange.getRequestMethod() + " " + rawPath));
            return;
        }
        handleApi(exchange, adminPath);
    }

    /** An API request to {@code rawPath} (as sent, or the admin route an operator route names). */
    private void handleApi(HttpExchange exchange, String rawPath) throws IOException {
        String method = exchange.getRequestMethod();
        String path = URLDecoder.decode(rawPath, StandardCharsets.UTF_8);
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
        APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer = null;
        switch (match.get().route().auth()) {
            case NONE -> { }
            case API_KEY -> {
                Map<String, Object> context = authorize(exchange.getRequestHeaders());
                if (context == null) {
                    sendJson(exchange, 401, errorBody("unauthorized", "missing or invalid API key or token: send 'Authorization: Bearer <key or token>'"));
                    return;
                }
                authorizer = APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder().withLambda(context).build();
            }
            case IAM -> {
                // the operator token stands in for a SigV4 signature; API keys never reach these routes
                String token = exchange.getRequestHeaders().getFirst(OPERATOR_HEADER);
                if (token == null || !operator.tokenMatches(token)) {
                    sendJson(exchange, 401, errorBody("unauthorized", "admin routes need the local operator token"));
                    return;
                }
                authorizer = APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder().withIam(OPERATOR_IDENTITY).build();
            }
        }
        APIGatewayV2HTTPEvent event = toEvent(exchange, rawPath, match.get(), body, authorizer);
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

    private static APIGatewayV2HTTPEvent toEvent(HttpExchange exchange, String rawPath, RouteMatcher.Match match, byte[] body,
            APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer) {
        URI uri = exchange.getRequestURI();
        APIGatewayV2HTTPEvent.RequestContext.Http http = APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                .withMethod(exchange.getRequestMethod())
                .withPath(rawPath)
                .withProtocol(exchange.getProtocol())
                .withSourceIp(exchange.getRemoteAddress().getAddress().getHostAddress())
                .withUserAgent(exchange.getRequestHeaders().getFirst("User-Agent"))
                .build();
        APIGatewayV2HTTPEvent.RequestContext context = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withRouteKey(match.route().routeKey())
                .withStage("$default")
                .withRequestId(UUID.randomUUID().toString())
                .withTimeEpoch(System.currentTimeMillis())
                .withHttp(http)
                .withAuthorizer(authorizer)
                .build();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(match.route().routeKey())
                .withRawPath(rawPath)
                .withRawQueryString(uri.getRawQuery() == null ? "" : uri.getRawQuery())
                .withHeaders(forwarded(flatHeaders(exchange.getRequestHeaders())))
                .withQueryStringParameters(query(uri.getRawQuery()))
                .withPathParameters(match.pathParameters().isEmpty() ? null : match.pathParameters())
                .withRequestContext(context)
                .withBody(Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(true)
                .build();
    }

    private void serveStatic(HttpExchange exchange, String rawPath) throws IOException {
        if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
            sendJson(exchange, 405, errorBody("method_not_allowed", "static files are read-only"));
            return;
        }
        String path = URLDecoder.decode(rawPath, StandardCharsets.UTF_8);
        if (path.equals("/config.json") && spaConfig.isPresent()) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            send(exchange, 200, spaConfig.get());
            return;
        }
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

    /** The {@code signin} member the SPA reads: the issuer and its first client id; it discovers the endpoints. */
    private static byte[] spaConfigOf(JwtSettings signIn) {
        ObjectNode signin = Json.object().put("issuer", signIn.issuer()).put("clientId", signIn.audiences().getFirst());
        ObjectNode config = Json.object();
        config.set("signin", signin);
        return Json.write(config).getBytes(StandardCharsets.UTF_8);
    }

    /** The body, or null when it is larger than the limit (see {@link #readAtMost}). */
    private byte[] readBody(HttpExchange exchange) throws IOException {
        byte[] bytes = readAtMost(exchange, maxBodyBytes);
        return bytes.length <= maxBodyBytes ? bytes : null;
    }

    /**
     * Up to {@code limit} + 1 bytes of the body: more than {@code limit} means it is too long. The rest of an
     * oversized body is still read (and discarded, up to {@link #DRAIN_LIMIT}) before the answer goes out: a server
     * that answers and closes while the client is still sending makes the client see a connection reset instead.
     */
    private static byte[] readAtMost(HttpExchange exchange, long limit) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            long drained = 0;
            byte[] sink = new byte[64 * 1024];
            for (int n; bytes.length > limit && drained < DRAIN_LIMIT && (n = in.read(sink)) > 0; ) {
                drained += n;
            }
            return bytes;
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
