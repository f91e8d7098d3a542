package dev.steward.core.tenant;

import java.util.Locale;

/** What a principal may do inside its tenant. */
public enum Role {
    ADMIN, REVIEWER, MEMBER;

    public static Role parse(String value) {
        try {
            return Role.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unknown role '" + value + "': use admin, reviewer or member");
        }
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
