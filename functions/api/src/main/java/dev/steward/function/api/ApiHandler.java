package dev.steward.function.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.core.error.ApiException;
import dev.steward.core.error.TransientException;
import dev.steward.core.json.Json;
import dev.steward.core.runtime.Priming;
import dev.steward.core.tenant.Principal;
import dev.steward.core.tenant.Role;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.AwsFailures;
import dev.steward.store.tenant.ApiKeyPepper;
import dev.steward.store.tenant.ApiKeys;
import dev.steward.store.tenant.TenantLimit;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The HTTP API's Lambda entry (API Gateway HTTP API, payload 2.0). Dispatches on the route key that API Gateway
 * (or local mode, from the same route table) matched; the tenant comes only from the authorizer's context.
 */
public final class ApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private static final Logger LOG = Logger.getLogger(ApiHandler.class.getName());

    private final DocumentsApi documents;
    private final RunsApi runs;
    private final ReviewsApi reviews;
    private final PoliciesApi policies;
    private final WebhooksApi webhooks;
    private final ConnectionsApi connections;
    private final AuditApi audit;
    private final TenantAdmin admin;
    private final ApiConfig config;

    /**
     * Lambda entry: wiring from the environment ({@link ApiConfig#fromEnvironment}, the API-key pepper); the PII
     * recognizers a run's start uses are primed before the SnapStart snapshot ({@link Priming}).
     */
    public ApiHandler() {
        this(ApiConfig.fromEnvironment(System.getenv()), ApiKeyPepper.fromEnvironment(System.getenv()));
        Priming.beforeSnapshot("ApiHandler", runs::prime);
    }

    /** On AWS a new tenant gets the agent templates bundled into this function's jar. */
    private ApiHandler(ApiConfig config, ApiKeys keys) {
        this(config, new TenantAdmin(config.stores(), keys, AgentTemplates::bundled, config.clock()));
    }

    public ApiHandler(ApiConfig config, TenantAdmin admin) {
        this.config = config;
        this.admin = admin;
        this.documents = new DocumentsApi(config);
        this.runs = new RunsApi(config);
        this.reviews = new ReviewsApi(config, ReviewMetrics.fromEnvironment(System.getenv()));
        this.policies = new PoliciesApi(config);
        this.webhooks = new WebhooksApi(config, runs);
        this.connections = new ConnectionsApi(config);
        this.audit = new AuditApi(config);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        try {
            return route(event);
        } catch (ApiException e) {
            APIGatewayV2HTTPResponse response = error(e.status(), e.code(), e.getMessage());
            e.retryAfterSeconds().ifPresent(seconds -> response.setHeaders(Map.of("Content-Type", "application/json",
                    "Retry-After", Long.toString(seconds))));
            return response;
        } catch (RuntimeException e) {
            RuntimeException failure = e instanceof SdkException sdk ? AwsFailures.classify("the request", sdk) : e;
            if (failure instanceof TransientException) {
                // a store throttled or out of reach after the SDK's own retries: worth the client's retry
                LOG.log(Level.WARNING, "request failed transiently", e);
                return error(503, "unavailable", "the service is busy or briefly unavailable; retry the request");
            }
            String correlation = UUID.randomUUID().toString();
            LOG.log(Level.SEVERE, "request failed, correlation " + correlation, e);
            return error(500, "internal_error", "the request failed unexpectedly (correlation id " + correlation + ")");
        }
    }

    private APIGatewayV2HTTPResponse route(APIGatewayV2HTTPEvent event) {
        String routeKey = event.getRouteKey() == null ? "" : event.getRouteKey();
        if (routeKey.equals("GET /health")) {
            return json(200, Json.object().put("status", "ok"));
        }
        Map<String, String> params = event.getPathParameters() == null ? Map.of() : event.getPathParameters();
        if (routeKey.equals("POST /v1/hooks/{tenant}/{source}")) {
            WebhooksApi.Delivery delivery = webhooks.receive(params.get("tenant"), params.get("source"), event, body(event));
            return json(delivery.status(), delivery.body());
        }
        if (routeKey.equals("POST /v1/admin/tenants")) {
            return json(201, admin.createTenant(TenantAdmin.operatorOf(event), jsonBody(event), requestId(event)));
        }
        if (routeKey.equals("GET /v1/admin/tenants/{tenant}")) {
            TenantAdmin.operatorOf(event); // 403 without an IAM identity
            return json(200, admin.settings(params.get("tenant"), config.tenantLimits()));
        }
        if (routeKey.equals("PATCH /v1/admin/tenants/{tenant}")) {
            return json(200, admin.updateSettings(TenantAdmin.operatorOf(event), params.get("tenant"), jsonBody(event),
                    config.tenantLimits(), requestId(event)));
        }
        if (routeKey.equals("POST /v1/admin/tenants/{tenant}/keys")) {
            return json(201, admin.createKey(TenantAdmin.operatorOf(event), params.get("tenant"), jsonBody(event), requestId(event)));
        }
        Principal principal = principalOf(event);
        String requestId = requestId(event);
        return switch (routeKey) {
            case "GET /v1/agents" -> json(200, runs.listAgents(principal));
            case "GET /v1/documents" -> json(200, documents.list(principal));
            case "POST /v1/documents" -> {
                ObjectNode upload = documents.upload(principal, queryParam(event, "filename"), queryParam(event, "mapping"), body(event));
                yield json(upload.path("unchanged").asBoolean() ? 200 : 202, upload);
            }
            case "POST /v1/documents/uploads" -> {
                ObjectNode upload = documents.requestUpload(principal, jsonBody(event));
                yield json(upload.path("unchanged").asBoolean() ? 200 : 201, upload);
            }
            case "GET /v1/documents/{id}" -> json(200, documents.get(principal, params.get("id")));
            case "DELETE /v1/documents/{id}" -> json(200, documents.delete(principal, params.get("id"), requestId));
            case "GET /v1/runs" -> json(200, runs.list(principal, queryParam(event, "limit"), queryParam(event, "cursor"),
                    queryParam(event, "status"), queryParam(event, "agent")));
            case "POST /v1/runs" -> json(202, runs.start(principal, jsonBody(event)));
            case "GET /v1/runs/{id}" -> json(200, runs.get(principal, params.get("id")));
            case "GET /v1/reviews" -> json(200, reviews.list(principal, queryParam(event, "status")));
            case "GET /v1/reviews/{id}" -> json(200, reviews.get(principal, params.get("id")));
            case "POST /v1/reviews/{id}/decision" -> json(200, reviews.decide(principal, params.get("id"), jsonBody(event), requestId));
            case "GET /v1/policy" -> json(200, policies.current(principal));
            case "PUT /v1/policy" -> json(200, policies.save(principal, jsonBody(event), requestId));
            case "GET /v1/policy/versions" -> json(200, policies.versions(principal));
            case "GET /v1/policy/versions/{version}" -> json(200, policies.version(principal, params.get("version")));
            case "POST /v1/policy/evaluate" -> json(200, policies.evaluate(principal, jsonBody(event)));
            case "GET /v1/webhooks" -> json(200, webhooks.list(principal));
            case "PUT /v1/webhooks/{source}" -> json(200, webhooks.save(principal, params.get("source"), jsonBody(event), requestId));
            case "DELETE /v1/webhooks/{source}" -> json(200, webhooks.delete(principal, params.get("source"), requestId));
            case "GET /v1/connections" -> json(200, connections.list(principal));
            case "PUT /v1/connections/{vendor}" -> json(200, connections.save(principal, params.get("vendor"), jsonBody(event), requestId));
            case "DELETE /v1/connections/{vendor}" -> json(200, connections.delete(principal, params.get("vendor"), requestId));
            case "GET /v1/audit" -> json(200, audit.list(principal, queryParam(event, "limit"), queryParam(event, "cursor"),
                    queryParam(event, "action"), queryParam(event, "since"), queryParam(event, "until")));
            case "GET /v1/usage" -> json(200, usage(principal, queryParam(event, "days"), queryParam(event, "agent")));
            default -> throw new ApiException(404, "not_found", "no route for " + event.getRequestContext().getHttp().getMethod()
                    + " " + event.getRawPath());
        };
    }

    /** Daily model-token usage of the caller's tenant (or one agent), newest day first, and its daily budget. */
    private ObjectNode usage(Principal who, String daysParam, String agent) {
        int days;
        try {
            days = daysParam == null ? 7 : Integer.parseInt(daysParam);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid_request", "'days' must be a whole number from 1 to 90");
        }
        if (days < 1 || days > 90) {
            throw ApiException.badRequest("invalid_request", "'days' must be a whole number from 1 to 90");
        }
        java.time.LocalDate today = java.time.LocalDate.ofInstant(config.clock().instant(), java.time.ZoneOffset.UTC);
        ObjectNode out = Json.object();
        if (agent != null) {
            out.put("agent", agent);
        }
        out.put("dailyTokens", config.stores().tenants().limit(who.tenant(), TenantLimit.DAILY_TOKENS,
                config.tenantLimits().get(TenantLimit.DAILY_TOKENS)));
        var list = out.putArray("days");
        for (int i = 0; i < days; i++) {
            java.time.LocalDate day = today.minusDays(i);
            var u = agent == null ? config.stores().usage().today(who.tenant(), day) : config.stores().usage().ofAgent(who.tenant(), agent, day);
            ObjectNode row = list.addObject().put("day", day.toString()).put("tokensIn", u.tokensIn()).put("tokensOut", u.tokensOut())
                    .put("modelCalls", u.modelCalls());
            row.set("guardrailVerdicts", Json.mapper().valueToTree(u.verdicts()));
        }
        return out;
    }

    private static Principal principalOf(APIGatewayV2HTTPEvent event) {
        var ctx = event.getRequestContext();
        Map<String, Object> lambda = ctx == null || ctx.getAuthorizer() == null ? null : ctx.getAuthorizer().getLambda();
        if (lambda == null || !(lambda.get("tenantId") instanceof String tenant) || !TenantId.isValid(tenant)) {
            throw ApiException.unauthorized("missing or invalid API key");
        }
        return new Principal(TenantId.of(tenant), String.valueOf(lambda.get("principalId")),
                Role.parse(String.valueOf(lambda.getOrDefault("role", "member"))));
    }

    /** API Gateway's id of the request (recorded on the audit event of a change), or null when the event has none. */
    private static String requestId(APIGatewayV2HTTPEvent event) {
        return event.getRequestContext() == null ? null : event.getRequestContext().getRequestId();
    }

    private static String queryParam(APIGatewayV2HTTPEvent event, String name) {
        return event.getQueryStringParameters() == null ? null : event.getQueryStringParameters().get(name);
    }

    private static byte[] body(APIGatewayV2HTTPEvent event) {
        String body = event.getBody();
        if (body == null) {
            return new byte[0];
        }
        return event.getIsBase64Encoded() ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode jsonBody(APIGatewayV2HTTPEvent event) {
        String text = new String(body(event), StandardCharsets.UTF_8);
        if (text.isBlank()) {
            throw ApiException.badRequest("malformed_json", "the request body is empty; send a JSON object");
        }
        try {
            return Json.mapper().readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.badRequest("malformed_json", "the request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    static APIGatewayV2HTTPResponse json(int status, JsonNode body) {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(Map.of("Content-Type", "application/json"))
                .withBody(Json.write(body))
                .build();
    }

    static APIGatewayV2HTTPResponse error(int status, String code, String message) {
        ObjectNode body = Json.object();
        body.putObject("error").put("code", code).put("message", message);
        return json(status, body);
    }

    ApiConfig config() {
        return config;
    }
}
