package dev.steward.core.tenant;

import java.util.regex.Pattern;

/**
 * A tenant's identifier: lower-case letters, digits and dashes, 2-40 characters, starting with a letter.
 * It is the first element of every storage key and every search filter.
 */
public record TenantId(String value) {
    private static final Pattern VALID = Pattern.compile("[a-z][a-z0-9-]{1,39}");

    public TenantId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "invalid tenant id '" + value + "': use 2-40 lower-case letters, digits or dashes, starting with a letter");
        }
    }

    public static TenantId of(String value) {
        return new TenantId(value);
    }

    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
