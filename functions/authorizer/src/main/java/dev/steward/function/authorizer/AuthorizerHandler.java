package dev.steward.function.authorizer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import dev.steward.core.tenant.Principal;
import dev.steward.store.Stores;
import dev.steward.store.tenant.ApiKeyPepper;
import dev.steward.store.tenant.ApiKeys;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP API Lambda authorizer (payload 2.0, simple responses). On success the context carries {@code tenantId},
 * {@code principalId} and {@code role}; API Gateway hands it to the API function as
 * {@code requestContext.authorizer.lambda}. Local mode calls this same class for every request.
 */
public final class AuthorizerHandler implements RequestHandler<APIGatewayV2CustomAuthorizerEvent, Map<String, Object>> {
    private final ApiKeyAuthenticator authenticator;

    /** Lambda entry: wiring from the environment ({@code TABLE_NAME}, {@code API_KEY_PEPPER}). */
    public AuthorizerHandler() {
        this(fromEnvironment());
    }

    public AuthorizerHandler(ApiKeyAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public Map<String, Object> handleRequest(APIGatewayV2CustomAuthorizerEvent event, Context context) {
        String header = headerOf(event, "authorization");
        Optional<Principal> principal = authenticator.authenticate(header);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("isAuthorized", principal.isPresent());
        principal.ifPresent(p -> response.put("context", Map.of(
                "tenantId", p.tenant().value(),
                "principalId", p.id(),
                "role", p.role().wire())));
        return response;
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

    private static ApiKeyAuthenticator fromEnvironment() {
        ApiKeys keys = ApiKeyPepper.fromEnvironment(System.getenv());
        return new ApiKeyAuthenticator(Stores.fromEnvironment(System.getenv()).tenants(), keys);
    }
}
