package dev.steward.store.run;

import dev.steward.core.run.RunId;
import dev.steward.core.run.RunRecord;
import dev.steward.core.run.RunStatus;
import java.time.Instant;

/**
 * A run as a listing shows it: no steps, sources or answer. {@code inputPreview} is the start of the stored input,
 * which was redacted before it was first stored, so the preview holds no more personal data than the run does;
 * {@code reviewId} is set only while the run waits for that review.
 */
public record RunSummary(RunId id, String agent, RunStatus status, String inputPreview, String reviewId,
        Instant createdAt, Instant updatedAt) {
    /** Longest preview, in code points; a longer input is cut there and ends with an ellipsis. */
    public static final int PREVIEW_CODE_POINTS = 120;

    static RunSummary of(RunRecord run) {
        return new RunSummary(run.id(), run.agent(), run.status(), preview(run.input()),
                run.status() == RunStatus.WAITING_FOR_REVIEW ? run.reviewId() : null, run.createdAt(), run.updatedAt());
    }

    static String preview(String input) {
        String oneLine = input.strip().replaceAll("\\s+", " ");
        if (oneLine.codePointCount(0, oneLine.length()) <= PREVIEW_CODE_POINTS) {
            return oneLine;
        }
        return oneLine.substring(0, oneLine.offsetByCodePoints(0, PREVIEW_CODE_POINTS - 1)).stripTrailing() + "…";
    }
}
