package dev.steward.store.tenant;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a tenant may use, per tenant: the deployment sets each default (its variable, read by the functions that apply
 * it and by the api that reports it), and the operator may give one tenant its own ({@link TenantRecord#own}).
 */
public enum TenantLimit {
    /**
     * Model tokens (in + out) per UTC day over all the tenant's agents; past it, its runs halt before their next model
     * call (the plan step checks it). A trillion is beyond any real use and far from overflow.
     */
    DAILY_TOKENS("dailyTokens", "STEWARD_TENANT_DAILY_TOKENS", 2_000_000, 1_000_000_000_000L, "model tokens (in + out) per UTC day"),
    /**
     * Runs started through the API ({@code POST /v1/runs}) per minute; past it, a start is refused (429) until the next
     * minute. Webhook deliveries are not counted: a vendor's event must not be refused, and the daily budget bounds
     * what its runs spend.
     */
    RUNS_PER_MINUTE("runsPerMinute", "STEWARD_TENANT_RUNS_PER_MINUTE", 60, 100_000, "runs started through the API per minute");

    private final String wire;
    private final String variable;
    private final long defaultValue;
    private final long max;
    private final String meaning;

    TenantLimit(String wire, String variable, long defaultValue, long max, String meaning) {
        this.wire = wire;
        this.variable = variable;
        this.defaultValue = defaultValue;
        this.max = max;
        this.meaning = meaning;
    }

    /** The name in the API, the CLI and the stored item: {@code dailyTokens}, {@code runsPerMinute}. */
    public String wire() {
        return wire;
    }

    /** The environment variable with the deployment's default. */
    public String variable() {
        return variable;
    }

    /** The default when {@link #variable()} is unset. */
    public long defaultValue() {
        return defaultValue;
    }

    /** The largest value accepted; 0 is the smallest (it allows nothing). */
    public long max() {
        return max;
    }

    /** What the number counts, for messages: "model tokens (in + out) per UTC day". */
    public String meaning() {
        return meaning;
    }

    public static Optional<TenantLimit> of(String wire) {
        for (TenantLimit l : values()) {
            if (l.wire.equals(wire)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    /**
     * {@link #variable()} from {@code env}, or {@link #defaultValue()} when unset.
     *
     * @throws IllegalArgumentException naming the variable when its value is not a whole number from 0 to {@link #max()}
     */
    public long deploymentDefault(Map<String, String> env) {
        String value = env.get(variable);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            return check(Long.parseLong(value.strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(variable + " must be a whole number from 0 to " + max + ", got '" + value + "'", e);
        }
    }

    /** Every limit's deployment default from {@code env}. */
    public static Map<TenantLimit, Long> deploymentDefaults(Map<String, String> env) {
        Map<TenantLimit, Long> defaults = new EnumMap<>(TenantLimit.class);
        for (TenantLimit l : values()) {
            defaults.put(l, l.deploymentDefault(env));
        }
        return defaults;
    }

    /** Whether {@code value} is one: 0 to {@link #max()}. */
    public boolean allows(long value) {
        return value >= 0 && value <= max;
    }

    /** {@code value} when it is one (0 to {@link #max()}). */
    public long check(long value) {
        if (!allows(value)) {
            throw new IllegalArgumentException("'" + wire + "' is 0 to " + max + " " + meaning.toLowerCase(Locale.ROOT) + ", not " + value);
        }
        return value;
    }
}
