package dev.steward.function.api;

import static dev.steward.function.api.Route.Auth.API_KEY;
import static dev.steward.function.api.Route.Auth.IAM;
import static dev.steward.function.api.Route.Auth.NONE;

import java.util.List;

/** The HTTP API's route table, shared by CDK and the local runtime. */
public final class Routes {
    private Routes() {}

    public static final List<Route> ALL = List.of(
            new Route("GET", "/health", NONE),
            new Route("GET", "/v1/agents", API_KEY),
            new Route("GET", "/v1/documents", API_KEY),
            new Route("POST", "/v1/documents", API_KEY),
            // a large file's upload URL: the client PUTs the bytes itself (DocumentsApi.requestUpload)
            new Route("POST", "/v1/documents/uploads", API_KEY),
            new Route("GET", "/v1/documents/{id}", API_KEY),
            new Route("DELETE", "/v1/documents/{id}", API_KEY),
            new Route("GET", "/v1/runs", API_KEY),
            new Route("POST", "/v1/runs", API_KEY),
            new Route("GET", "/v1/runs/{id}", API_KEY),
            new Route("GET", "/v1/reviews", API_KEY),
            new Route("GET", "/v1/reviews/{id}", API_KEY),
            new Route("POST", "/v1/reviews/{id}/decision", API_KEY),
            new Route("GET", "/v1/usage", API_KEY),
            new Route("GET", "/v1/policy", API_KEY),
            new Route("PUT", "/v1/policy", API_KEY),
            new Route("GET", "/v1/policy/versions", API_KEY),
            new Route("GET", "/v1/policy/versions/{version}", API_KEY),
            new Route("POST", "/v1/policy/evaluate", API_KEY),
            new Route("GET", "/v1/webhooks", API_KEY),
            new Route("PUT", "/v1/webhooks/{source}", API_KEY),
            new Route("DELETE", "/v1/webhooks/{source}", API_KEY),
            new Route("GET", "/v1/connections", API_KEY),
            new Route("PUT", "/v1/connections/{vendor}", API_KEY),
            new Route("DELETE", "/v1/connections/{vendor}", API_KEY),
            new Route("GET", "/v1/audit", API_KEY),
            // a vendor's deliveries carry its signature instead of an API key (WebhooksApi checks it)
            new Route("POST", "/v1/hooks/{tenant}/{source}", NONE),
            // the operator's routes: a new tenant with its first admin key, a tenant's settings (its daily token
            // budget), and a tenant's further keys (TenantAdmin)
            new Route("POST", "/v1/admin/tenants", IAM),
            new Route("GET", "/v1/admin/tenants/{tenant}", IAM),
            new Route("PATCH", "/v1/admin/tenants/{tenant}", IAM),
            new Route("POST", "/v1/admin/tenants/{tenant}/keys", IAM));
}
