package dev.steward.function.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RouteMatcherTest {
    private final RouteMatcher matcher = new RouteMatcher(Routes.ALL);

    @Test
    void matchesLiteralAndParameterisedRoutes() {
        RouteMatcher.Match m = matcher.match("GET", "/v1/runs/run_abcdefgh").orElseThrow();
        assertThat(m.route().routeKey()).isEqualTo("GET /v1/runs/{id}");
        assertThat(m.pathParameters()).containsEntry("id", "run_abcdefgh");
        assertThat(m.methodAllowed()).isTrue();
        assertThat(matcher.match("POST", "/v1/documents").orElseThrow().route().auth()).isEqualTo(Route.Auth.API_KEY);
        assertThat(matcher.match("GET", "/health").orElseThrow().route().auth()).isEqualTo(Route.Auth.NONE);
    }

    @Test
    void tellsAWrongMethodFromAnUnknownPath() {
        assertThat(matcher.match("DELETE", "/v1/runs").orElseThrow().methodAllowed()).isFalse();
        assertThat(matcher.match("GET", "/v1/nothing")).isEmpty();
        assertThat(matcher.match("GET", "/v1/runs/a/b")).isEmpty();
    }

    @Test
    void everyRouteKeyIsUnique() {
        assertThat(Routes.ALL.stream().map(Route::routeKey).distinct().count()).isEqualTo(Routes.ALL.size());
    }
}
