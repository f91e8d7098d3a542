package dev.steward.function.api;

import java.util.List;

/** The HTTP API's route table, shared by CDK and the local runtime. */
public final class Routes {
    private Routes() {}

    public static final List<Route> ALL = List.of(
            new Route("GET", "/health", false),
            new Route("GET", "/v1/agents", true),
            new Route("GET", "/v1/documents", true),
            new Route("POST", "/v1/documents", true),
            new Route("GET", "/v1/documents/{id}", true),
            new Route("DELETE", "/v1/documents/{id}", true),
            new Route("POST", "/v1/runs", true),
            new Route("GET", "/v1/runs/{id}", true),
            new Route("GET", "/v1/reviews", true),
            new Route("GET", "/v1/reviews/{id}", true),
            new Route("POST", "/v1/reviews/{id}/decision", true),
            new Route("GET", "/v1/usage", true),
            new Route("GET", "/v1/policy", true),
            new Route("PUT", "/v1/policy", true),
            new Route("GET", "/v1/policy/versions", true),
            new Route("GET", "/v1/policy/versions/{version}", true),
            new Route("POST", "/v1/policy/evaluate", true),
            new Route("GET", "/v1/webhooks", true),
            new Route("PUT", "/v1/webhooks/{source}", true),
            new Route("DELETE", "/v1/webhooks/{source}", true),
            new Route("GET", "/v1/connections", true),
            new Route("PUT", "/v1/connections/{vendor}", true),
            new Route("DELETE", "/v1/connections/{vendor}", true),
            // a vendor's deliveries carry its signature instead of an API key (WebhooksApi checks it)
            new Route("POST", "/v1/hooks/{tenant}/{source}", false));
}
