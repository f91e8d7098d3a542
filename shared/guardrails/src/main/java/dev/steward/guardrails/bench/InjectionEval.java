package dev.steward.guardrails.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.guardrails.injection.InjectionDetector;
import dev.steward.guardrails.injection.InjectionDetector.Mode;
import dev.steward.guardrails.injection.InjectionDetector.TrainingItem;
import dev.steward.guardrails.learn.LabeledText;
import dev.steward.guardrails.learn.Splits;
import dev.steward.guardrails.learn.Thresholds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Prompt-injection evaluation. deepset (direct, one labelled train split upstream) is split here 70/30,
 * stratified, seed 42; BIPIA (indirect) uses its own train/test files, whose attack categories are disjoint.
 * Injected BIPIA documents put attack i into email i mod 50 at the start, middle or end (i mod 3), as BIPIA does.
 */
final class InjectionEval {
    static final long SEED = 42;
    static final double TRAIN_TARGET_FPR = 0.02;

    record Scored(double score, boolean injection, String source) {}

    record Result(List<Scored> test, double recallAt1, double recallAt5, InjectionDetector detector, long trainMillis,
                  int trainDirect, int trainIndirect) {}

    static Result run(Path dir) {
        List<JsonNode> deepset = Jsonl.read(dir.resolve("deepset_prompt_injections_train.jsonl"));
        var split = Splits.stratified(deepset, r -> r.path("label").asInt() == 1, 0.3, SEED);
        List<String> trainEmails = contexts(Jsonl.read(dir.resolve("bipia_email_train.jsonl")));
        List<String> testEmails = contexts(Jsonl.read(dir.resolve("bipia_email_test.jsonl")));
        List<String> trainAttacks = attacks(Jsonl.read(dir.resolve("bipia_text_attacks_train.jsonl")));
        List<String> testAttacks = attacks(Jsonl.read(dir.resolve("bipia_text_attacks_test.jsonl")));

        List<TrainingItem> direct = new ArrayList<>();
        for (JsonNode r : split.train()) {
            direct.add(TrainingItem.of(r.path("text").asText(), r.path("label").asInt() == 1));
        }
        List<TrainingItem> indirect = new ArrayList<>();
        for (String email : trainEmails) {
            List<LabeledText> texts = new ArrayList<>();
            texts.add(new LabeledText(email, false));
            for (String sentence : sentences(email)) {
                texts.add(new LabeledText(sentence, false));
            }
            indirect.add(new TrainingItem(email, false, texts));
        }
        for (int i = 0; i < trainAttacks.size() && !trainEmails.isEmpty(); i++) {
            String attack = trainAttacks.get(i);
            indirect.add(new TrainingItem(insert(trainEmails.get(i % trainEmails.size()), attack, i % 3), true,
                    List.of(new LabeledText(attack, true))));
        }
        // direct injections are injections in data too
        for (JsonNode r : split.train()) {
            if (r.path("label").asInt() == 1) {
                indirect.add(TrainingItem.of(r.path("text").asText(), true));
            }
        }
        long t0 = System.nanoTime();
        InjectionDetector detector = InjectionDetector.train(direct, indirect, TRAIN_TARGET_FPR, SEED);
        long trainMillis = (System.nanoTime() - t0) / 1_000_000;

        List<Scored> test = new ArrayList<>();
        for (JsonNode r : split.test()) {
            test.add(new Scored(detector.score(r.path("text").asText(), Mode.DIRECT).score(),
                    r.path("label").asInt() == 1, "deepset"));
        }
        for (String email : testEmails) {
            test.add(new Scored(detector.score(email, Mode.INDIRECT).score(), false, "bipia"));
        }
        for (int i = 0; i < testAttacks.size() && !testEmails.isEmpty(); i++) {
            String doc = insert(testEmails.get(i % testEmails.size()), testAttacks.get(i), i % 3);
            test.add(new Scored(detector.score(doc, Mode.INDIRECT).score(), true, "bipia"));
        }
        return new Result(test, recallAtFpr(test, null, 0.01), recallAtFpr(test, null, 0.05), detector, trainMillis,
                direct.size(), indirect.size());
    }

    /** Recall at the threshold that keeps the false-positive rate at or below {@code fpr} (source null: all). */
    static double recallAtFpr(List<Scored> scored, String source, double fpr) {
        double[] neg = scored.stream().filter(s -> !s.injection() && (source == null || s.source().equals(source)))
                .mapToDouble(Scored::score).toArray();
        double[] pos = scored.stream().filter(s -> s.injection() && (source == null || s.source().equals(source)))
                .mapToDouble(Scored::score).toArray();
        return Thresholds.recallAt(pos, Thresholds.atFalsePositiveRate(neg, fpr));
    }

    private static List<String> contexts(List<JsonNode> rows) {
        return rows.stream().map(r -> r.path("context").asText()).toList();
    }

    private static List<String> attacks(List<JsonNode> rows) {
        return rows.stream().map(r -> r.path("attack").asText()).toList();
    }

    private static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        for (String s : text.split("(?<=[.!?|])\\s*|\\n+")) {
            if (s.strip().length() >= 3) {
                out.add(s.strip());
            }
        }
        return out;
    }

    /** Inserts {@code attack} at the start (0), at a sentence boundary near the middle (1) or at the end (2). */
    static String insert(String email, String attack, int position) {
        return switch (position) {
            case 0 -> attack + "\n" + email;
            case 2 -> email + "\n" + attack;
            default -> {
                int mid = email.length() / 2;
                int cut = email.indexOf(". ", mid);
                cut = cut < 0 ? mid : cut + 2;
                yield email.substring(0, cut) + attack + " " + email.substring(cut);
            }
        };
    }
}
