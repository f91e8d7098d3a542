package dev.steward.store.tenant;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Where a function on AWS gets the pepper its {@link ApiKeys} hash under: the authorizer checks keys with it and the
 * api issues them with it, so both must read the same value. Local mode keeps its own pepper in the data dir.
 */
public final class ApiKeyPepper {
    /** The pepper itself, as text (its UTF-8 bytes are the HMAC key). */
    public static final String VARIABLE = "API_KEY_PEPPER";

    private ApiKeyPepper() {}

    /** The keys of this function's pepper; fails at start, naming the variable, when it is not set. */
    public static ApiKeys fromEnvironment(Map<String, String> env) {
        String pepper = env.get(VARIABLE);
        if (pepper == null || pepper.isBlank()) {
            throw new IllegalStateException(VARIABLE + " is not set");
        }
        return new ApiKeys(pepper.getBytes(StandardCharsets.UTF_8));
    }
}
