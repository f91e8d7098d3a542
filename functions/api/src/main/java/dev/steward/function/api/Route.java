package dev.steward.function.api;

import java.util.Objects;

/**
 * One HTTP route: method, path template in API Gateway syntax ({@code /v1/runs/{id}}), and who may call it. The
 * same table configures API Gateway (CDK) and the local HTTP server.
 */
public record Route(String method, String path, Auth auth) {
    /** How API Gateway authorizes a route's requests before the API function sees them. */
    public enum Auth {
        /** No authorizer: the route is public, or checks its own credentials (a webhook's signature). */
        NONE,
        /** The tenant API-key Lambda authorizer; the handler reads the tenant from its context. */
        API_KEY,
        /** API Gateway's IAM authorizer (SigV4): the operator's routes; tenant API keys never reach them. */
        IAM
    }

    public Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(auth, "auth");
    }

    /** The API Gateway route key, e.g. {@code GET /v1/runs/{id}}. */
    public String routeKey() {
        return method + " " + path;
    }
}
