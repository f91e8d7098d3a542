package dev.steward.function.api;

import java.util.Objects;

/**
 * One HTTP route: method, path template in API Gateway syntax ({@code /v1/runs/{id}}), and whether the
 * authorizer guards it. The same table configures API Gateway (CDK) and the local HTTP server.
 */
public record Route(String method, String path, boolean authenticated) {
    public Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
    }

    /** The API Gateway route key, e.g. {@code GET /v1/runs/{id}}. */
    public String routeKey() {
        return method + " " + path;
    }
}
