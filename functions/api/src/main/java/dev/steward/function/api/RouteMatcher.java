package dev.steward.function.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Matches a request path against the route table the way API Gateway does: literal segments must be equal,
 * {@code {name}} segments capture one segment as a path parameter.
 */
public final class RouteMatcher {
    private final List<Route> routes;

    public RouteMatcher(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    /** A matched route with its path parameters; {@code methodAllowed} is false when only the path matched. */
    public record Match(Route route, Map<String, String> pathParameters, boolean methodAllowed) {}

    public Optional<Match> match(String method, String path) {
        Match pathOnly = null;
        for (Route r : routes) {
            Map<String, String> params = matchPath(r.path(), path);
            if (params == null) {
                continue;
            }
            if (r.method().equalsIgnoreCase(method)) {
                return Optional.of(new Match(r, params, true));
            }
            pathOnly = new Match(r, params, false);
        }
        return Optional.ofNullable(pathOnly);
    }

    private static Map<String, String> matchPath(String template, String path) {
        String[] t = trim(template).split("/");
        String[] p = trim(path).split("/");
        if (t.length != p.length) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < t.length; i++) {
            if (t[i].startsWith("{") && t[i].endsWith("}")) {
                if (p[i].isEmpty()) {
                    return null;
                }
                params.put(t[i].substring(1, t[i].length() - 1), p[i]);
            } else if (!t[i].equals(p[i])) {
                return null;
            }
        }
        return params;
    }

    private static String trim(String s) {
        String out = s.startsWith("/") ? s.substring(1) : s;
        return out.endsWith("/") ? out.substring(0, out.length() - 1) : out;
    }
}
