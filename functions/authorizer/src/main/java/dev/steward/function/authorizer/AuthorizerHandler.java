package dev.steward.function.authorizer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import dev.steward.core.tenant.Principal;
import dev.steward.store.Stores;
import dev.steward.store.tenant.ApiKeyPepper;
import dev.steward.store.tenant.TenantStore;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * HTTP API Lambda authorizer (payload 2.0, simple responses). {@code Authorization: Bearer <credential>} carries
 * either an API key ({@code stw_<tenant>_...}) or, when an issuer is configured ({@link JwtSettings}), a JWT (a
 * compact JWS) from it; both ways in share every route. On success the context carries {@code tenantId},
 * {@code principalId} and {@code role}; API Gateway hands it to the API function as
 * {@code requestContext.authorizer.lambda}. Local mode calls this same class for every request.
 */
public final class AuthorizerHandler implements RequestHandler<APIGatewayV2CustomAuthorizerEvent, Map<String, Object>> {
    private static final String BEARER = "bearer ";
    /** Three base64url parts: the shape of a compact JWS; anything else is not worth handing to the JWT parser. */
    private static final Pattern COMPACT_JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*");

    private final ApiKeyAuthenticator keys;
    private final Optional<JwtAuthenticator> jwts;

    /** Lambda entry: wiring from the environment ({@code TABLE_NAME}, {@code API_KEY_PEPPER}, {@code STEWARD_JWT_*}). */
    public AuthorizerHandler() {
        this(System.getenv(), Stores.fromEnvironment(System.getenv()).tenants());
    }

    private AuthorizerHandler(Map<String, String> env, TenantStore tenants) {
        this(new ApiKeyAuthenticator(tenants, ApiKeyPepper.fromEnvironment(env)), jwtsFrom(env, tenants));
    }

    /** @param jwts empty when no issuer is configured: JWTs are then refused like any unknown credential */
    public AuthorizerHandler(ApiKeyAuthenticator keys, Optional<JwtAuthenticator> jwts) {
        this.keys = keys;
        this.jwts = jwts;
    }

    /** The JWT authenticator the environment configures ({@link JwtSettings#fromEnvironment}), if any. */
    public static Optional<JwtAuthenticator> jwtsFrom(Map<String, String> env, TenantStore tenants) {
        return JwtSettings.fromEnvironment(env).map(settings -> new JwtAuthenticator(settings, tenants));
    }

    @Override
    public Map<String, Object> handleRequest(APIGatewayV2CustomAuthorizerEvent event, Context context) {
        Optional<Principal> principal = authenticate(headerOf(event, "authorization"));
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("isAuthorized", principal.isPresent());
        principal.ifPresent(p -> response.put("context", Map.of(
                "tenantId", p.tenant().value(),
                "principalId", p.id(),
                "role", p.role().wire())));
        return response;
    }

    private Optional<Principal> authenticate(String header) {
        if (header == null || !header.strip().toLowerCase(Locale.ROOT).startsWith(BEARER)) {
            return Optional.empty();
        }
        String credential = header.strip().substring(BEARER.length()).strip();
        if (credential.startsWith("stw_")) {
            return keys.authenticate(credential);
        }
        if (COMPACT_JWS.matcher(credential).matches()) {
            return jwts.flatMap(j -> j.authenticate(credential));
        }
        return Optional.empty();
    }

    private static String headerOf(APIGatewayV2CustomAuthorizerEvent event, String name) {
        if (event == null || event.getHeaders() == null) {
            return null;
        }
        return event.getHeaders().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
    }
}
