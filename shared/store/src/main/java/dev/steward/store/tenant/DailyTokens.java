package dev.steward.store.tenant;

import java.util.Map;

/**
 * A tenant's daily model-token budget: model tokens (in + out) it may use per UTC day, after which its runs halt
 * before their next model call. The deployment sets the default ({@value #VARIABLE}, read by the steps that check
 * it and by the api that reports it); the operator may give one tenant its own ({@link TenantRecord#dailyTokens}).
 */
public final class DailyTokens {
    /** The deployment's default budget of every tenant without its own. */
    public static final String VARIABLE = "STEWARD_TENANT_DAILY_TOKENS";
    /** The default when {@value #VARIABLE} is unset. */
    public static final long DEFAULT = 2_000_000;
    /** The largest budget accepted: a trillion tokens a day is beyond any real use, and far from overflow. */
    public static final long MAX = 1_000_000_000_000L;

    private DailyTokens() {}

    /**
     * {@value #VARIABLE} from {@code env}, or {@value #DEFAULT} when unset.
     *
     * @throws IllegalArgumentException naming the variable when its value is not a whole number from 0 to {@value #MAX}
     */
    public static long deploymentDefault(Map<String, String> env) {
        String value = env.get(VARIABLE);
        if (value == null || value.isBlank()) {
            return DEFAULT;
        }
        try {
            return check(Long.parseLong(value.strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(VARIABLE + " must be a whole number from 0 to " + MAX + ", got '" + value + "'", e);
        }
    }

    /** {@code tokens} when it is a budget (0 to {@value #MAX}; 0 stops every model call). */
    static long check(long tokens) {
        if (tokens < 0 || tokens > MAX) {
            throw new IllegalArgumentException("a daily token budget is 0 to " + MAX + ", not " + tokens);
        }
        return tokens;
    }
}
