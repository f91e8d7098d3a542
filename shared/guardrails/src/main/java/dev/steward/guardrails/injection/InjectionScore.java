package dev.steward.guardrails.injection;

import java.util.List;

/**
 * The injection detector's output: a score in [0, 1], whether it is at or above the detector's threshold, and
 * the names of the lexicon cues that matched (for reviewers; may be empty when only the model fired).
 */
public record InjectionScore(double score, boolean flagged, List<String> cues) {
    public InjectionScore {
        cues = List.copyOf(cues);
    }
}
