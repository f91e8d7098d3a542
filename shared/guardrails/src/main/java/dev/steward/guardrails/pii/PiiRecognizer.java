package dev.steward.guardrails.pii;

import java.util.List;

/**
 * Finds one kind of personal data. Implementations are stateless and thread-safe, never throw for any input,
 * and may return overlapping entities (the {@link PiiScanner} resolves overlaps across recognizers).
 */
public interface PiiRecognizer {

    List<PiiEntity> find(String text);
}
