package dev.steward.core.run;

import java.util.UUID;
import java.util.regex.Pattern;

/** A run's identifier, unique within a tenant. */
public record RunId(String value) {
    private static final Pattern VALID = Pattern.compile("run_[A-Za-z0-9]{8,40}");

    public RunId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid run id '" + value + "'");
        }
    }

    public static RunId random() {
        return new RunId("run_" + UUID.randomUUID().toString().replace("-", ""));
    }

    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
