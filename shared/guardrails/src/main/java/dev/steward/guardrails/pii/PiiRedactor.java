package dev.steward.guardrails.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Replaces personal data with typed placeholders from a {@link PiiVault}.
 *
 * <p>Idempotent: {@code redact(redact(t).text()).text().equals(redact(t).text())} for every text, with the same
 * vault. Placeholders are never re-detected (the scanner skips them), and because replacing one entity can
 * change what the rules see around it (a name cue now followed by a placeholder), the redactor re-scans its own
 * output until nothing is found, so what it returns is a fixed point. The loop is bounded; in practice the second
 * scan finds nothing.
 */
public final class PiiRedactor {
    private static final int MAX_PASSES = 4;
    private final PiiScanner scanner;

    public PiiRedactor(PiiScanner scanner) {
        this.scanner = Objects.requireNonNull(scanner, "scanner");
    }

    public PiiScanner scanner() {
        return scanner;
    }

    public Redaction redact(String text, PiiVault vault) {
        List<PiiEntity> all = new ArrayList<>();
        String current = text;
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            List<PiiEntity> found = scanner.scan(current);
            if (found.isEmpty()) {
                break;
            }
            all.addAll(found);
            current = replace(current, found, vault);
        }
        return new Redaction(current, all);
    }

    private static String replace(String text, List<PiiEntity> sorted, PiiVault vault) {
        StringBuilder out = new StringBuilder(text.length());
        int pos = 0;
        for (PiiEntity e : sorted) {
            out.append(text, pos, e.start()).append(vault.placeholderFor(e.type(), e.value()));
            pos = e.end();
        }
        return out.append(text, pos, text.length()).toString();
    }
}
