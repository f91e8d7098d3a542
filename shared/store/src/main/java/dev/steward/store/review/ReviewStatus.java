package dev.steward.store.review;

import java.util.Locale;

/** Lifecycle of a review. Only PENDING changes, and only once. */
public enum ReviewStatus {
    PENDING, APPROVED, REJECTED, EDITED, EXPIRED;

    /** True once a person decided: approved, rejected or edited. */
    public boolean decided() {
        return this == APPROVED || this == REJECTED || this == EDITED;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
