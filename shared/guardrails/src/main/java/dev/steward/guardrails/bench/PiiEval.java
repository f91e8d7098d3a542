package dev.steward.guardrails.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.guardrails.Span;
import dev.steward.guardrails.pii.PiiEntity;
import dev.steward.guardrails.pii.PiiScanner;
import dev.steward.guardrails.pii.PiiType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Span-level PII evaluation on the Presidio synthetic set. See {@link GuardrailsBench} for the matching rule and
 * the dev/test split.
 */
final class PiiEval {
    /** Which part of the Presidio set to score: DEV (template_id % 3 == 0) is for tuning, TEST is reported. */
    enum Split { DEV, TEST }

    record Counts(int gold, int goldFound, int predicted, int predictedCorrect) {
        double precision() {
            return predicted == 0 ? (gold == 0 ? 1 : 0) : (double) predictedCorrect / predicted;
        }

        double recall() {
            return gold == 0 ? 1 : (double) goldFound / gold;
        }

        double f2() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 5 * p * r / (4 * p + r);
        }

        Counts plus(Counts o) {
            return new Counts(gold + o.gold, goldFound + o.goldFound, predicted + o.predicted,
                    predictedCorrect + o.predictedCorrect);
        }
    }

    record Result(Map<PiiType, Counts> byType, Counts overall, int documents, List<String> errors) {}

    record Gold(PiiType type, Span span, String value) {}

    static Optional<PiiType> mapType(String presidioType) {
        return Optional.ofNullable(switch (presidioType) {
            case "EMAIL_ADDRESS" -> PiiType.EMAIL;
            case "PHONE_NUMBER" -> PiiType.PHONE;
            case "US_SSN" -> PiiType.US_SSN;
            case "CREDIT_CARD" -> PiiType.CREDIT_CARD;
            case "IBAN_CODE" -> PiiType.IBAN;
            case "IP_ADDRESS" -> PiiType.IP_ADDRESS;
            case "STREET_ADDRESS" -> PiiType.STREET_ADDRESS;
            case "PERSON" -> PiiType.PERSON;
            default -> null; // GPE, ORGANIZATION, DATE_TIME, TITLE, AGE, NRP, ZIP_CODE, DOMAIN_NAME, US_DRIVER_LICENSE
        });
    }

    static Result run(Path file, PiiScanner scanner, Split split, int maxErrors) {
        Map<PiiType, Counts> byType = new EnumMap<>(PiiType.class);
        for (PiiType t : PiiType.values()) {
            byType.put(t, new Counts(0, 0, 0, 0));
        }
        List<String> errors = new ArrayList<>();
        int documents = 0;
        for (JsonNode row : Jsonl.read(file)) {
            boolean dev = row.path("template_id").asInt() % 3 == 0;
            if (dev != (split == Split.DEV)) {
                continue;
            }
            documents++;
            String text = row.path("full_text").asText();
            List<Gold> gold = new ArrayList<>();
            for (JsonNode s : row.path("spans")) {
                int start = s.path("start_position").asInt();
                int end = s.path("end_position").asInt();
                mapType(s.path("entity_type").asText())
                        .ifPresent(t -> gold.add(new Gold(t, new Span(start, end), text.substring(start, end))));
            }
            List<PiiEntity> predicted = scanner.scan(text);
            for (PiiType t : PiiType.values()) {
                int g = 0, gf = 0, p = 0, pc = 0;
                for (Gold gs : gold) {
                    if (gs.type() != t) continue;
                    g++;
                    boolean found = predicted.stream().anyMatch(e -> e.type() == t && e.span().overlaps(gs.span()));
                    if (found) gf++;
                    else if (errors.size() < maxErrors) errors.add("MISS " + t + " [" + gs.value() + "] in: " + oneLine(text));
                }
                for (PiiEntity e : predicted) {
                    if (e.type() != t) continue;
                    p++;
                    boolean correct = gold.stream().anyMatch(gs -> gs.type() == t && gs.span().overlaps(e.span()));
                    if (correct) pc++;
                    else if (errors.size() < maxErrors) errors.add("FP   " + t + " [" + e.value() + "] in: " + oneLine(text));
                }
                byType.merge(t, new Counts(g, gf, p, pc), Counts::plus);
            }
        }
        Counts overall = byType.values().stream().reduce(new Counts(0, 0, 0, 0), Counts::plus);
        return new Result(byType, overall, documents, errors);
    }

    private static String oneLine(String s) {
        String flat = s.replace("\n", "\\n");
        return flat.length() > 160 ? flat.substring(0, 160) + "..." : flat;
    }
}
