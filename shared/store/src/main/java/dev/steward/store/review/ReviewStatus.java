package dev.steward.store.review;

import java.util.Locale;

/** Lifecycle of a review. Only PENDING changes, and only once. */
public enum ReviewStatus {
    PENDING, APPROVED, REJECTED, EDITED, EXPIRED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
