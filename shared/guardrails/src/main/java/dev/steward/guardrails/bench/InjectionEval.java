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
 *
 * <p>{@link #crossValidate} is the tuning tool: it reads the training parts only, holds out one fold of deepset
 * rows and one fold of BIPIA emails together with whole attack categories (as the real test does), and reports
 * recall on the pooled out-of-fold scores.
 */
final class InjectionEval {
    static final long SEED = 42;
    static final double TRAIN_TARGET_FPR = 0.02;
    private static final int CV_FOLDS = 5;

    record Scored(double score, boolean injection, String source, String text) {}

    record Result(List<Scored> test, double recallAt1, double recallAt5, InjectionDetector detector, long trainMillis,
                  int trainDirect, int trainIndirect) {}

    record Attack(String category, String text) {}

    /** The labelled data of one side (train or test): direct rows, clean emails, attacks to insert. */
    record Part(List<JsonNode> direct, List<String> emails, List<Attack> attacks) {}

    /** The training side of the data in {@code dir} (the {@code prompt_injection} folder): 70% of deepset, BIPIA train. */
    static Part trainingPart(Path dir) {
        return new Part(deepsetSplit(dir).train(), contexts(dir.resolve("bipia_email_train.jsonl")),
                attacks(dir.resolve("bipia_text_attacks_train.jsonl")));
    }

    /** The held-out side: the other 30% of deepset, BIPIA test. */
    static Part testPart(Path dir) {
        return new Part(deepsetSplit(dir).test(), contexts(dir.resolve("bipia_email_test.jsonl")),
                attacks(dir.resolve("bipia_text_attacks_test.jsonl")));
    }

    private static Splits.Split<JsonNode> deepsetSplit(Path dir) {
        return Splits.stratified(Jsonl.read(dir.resolve("deepset_prompt_injections_train.jsonl")), InjectionEval::label,
                0.3, SEED);
    }

    /** The detector the benchmark reports on, trained on {@code train} only. */
    static InjectionDetector train(Part train) {
        return InjectionDetector.train(directItems(train), indirectItems(train), TRAIN_TARGET_FPR, SEED);
    }

    static Result run(Path dir) {
        Part train = trainingPart(dir);
        long t0 = System.nanoTime();
        InjectionDetector detector = train(train);
        long trainMillis = (System.nanoTime() - t0) / 1_000_000;
        List<Scored> scored = score(detector, testPart(dir));
        return new Result(scored, recallAtFpr(scored, null, 0.01), recallAtFpr(scored, null, 0.05), detector,
                trainMillis, directItems(train).size(), indirectItems(train).size());
    }

    /** The held-out part scored by another detector (e.g. {@link InjectionDetector#lexiconOnly()}, which the loop uses). */
    static List<Scored> scoreHeldOut(Path dir, InjectionDetector detector) {
        return score(detector, testPart(dir));
    }

    /** Recall and false-positive rate of {@code detector}'s own flags (its per-mode thresholds) over {@code scored}. */
    record FlagRates(double recall, double fpr) {}

    static FlagRates flagRates(List<Scored> scored, InjectionDetector detector) {
        long pos = 0, neg = 0, flaggedPos = 0, flaggedNeg = 0;
        for (Scored s : scored) {
            Mode mode = s.source().equals("deepset") ? Mode.DIRECT : Mode.INDIRECT;
            boolean flagged = s.score() >= detector.threshold(mode);
            if (s.injection()) {
                pos++;
                flaggedPos += flagged ? 1 : 0;
            } else {
                neg++;
                flaggedNeg += flagged ? 1 : 0;
            }
        }
        return new FlagRates(pos == 0 ? 0 : (double) flaggedPos / pos, neg == 0 ? 0 : (double) flaggedNeg / neg);
    }

    /** Out-of-fold scores on the training part only (deepset 70% and BIPIA train), by category-disjoint folds. */
    static List<Scored> crossValidate(Path dir) {
        Part all = trainingPart(dir);
        List<JsonNode> rows = all.direct();
        List<String> emails = all.emails();
        List<Attack> attacks = all.attacks();
        List<String> categories = attacks.stream().map(Attack::category).distinct().toList();
        int[] rowFold = Splits.folds(rows.size(), CV_FOLDS, SEED);
        int[] emailFold = Splits.folds(emails.size(), CV_FOLDS, SEED);
        int[] categoryFold = Splits.folds(categories.size(), CV_FOLDS, SEED);
        List<Scored> out = new ArrayList<>();
        for (int f = 0; f < CV_FOLDS; f++) {
            Part train = new Part(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            Part held = new Part(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (int i = 0; i < rows.size(); i++) {
                (rowFold[i] == f ? held : train).direct().add(rows.get(i));
            }
            for (int i = 0; i < emails.size(); i++) {
                (emailFold[i] == f ? held : train).emails().add(emails.get(i));
            }
            for (Attack a : attacks) {
                (categoryFold[categories.indexOf(a.category())] == f ? held : train).attacks().add(a);
            }
            out.addAll(score(train(train), held));
        }
        return out;
    }

    private static List<TrainingItem> directItems(Part part) {
        List<TrainingItem> direct = new ArrayList<>();
        for (JsonNode r : part.direct()) {
            direct.add(TrainingItem.of(r.path("text").asText(), label(r)));
        }
        return direct;
    }

    private static List<TrainingItem> indirectItems(Part part) {
        List<String> emails = part.emails();
        List<TrainingItem> indirect = new ArrayList<>();
        for (String email : emails) {
            List<LabeledText> texts = new ArrayList<>();
            texts.add(new LabeledText(email, false));
            for (String sentence : sentences(email)) {
                texts.add(new LabeledText(sentence, false));
            }
            indirect.add(new TrainingItem(email, false, texts));
        }
        for (int i = 0; i < part.attacks().size() && !emails.isEmpty(); i++) {
            String attack = part.attacks().get(i).text();
            indirect.add(new TrainingItem(insert(emails.get(i % emails.size()), attack, i % 3), true,
                    List.of(new LabeledText(attack, true))));
        }
        // direct injections are injections in data too
        for (JsonNode r : part.direct()) {
            if (label(r)) {
                indirect.add(TrainingItem.of(r.path("text").asText(), true));
            }
        }
        return indirect;
    }

    private static List<Scored> score(InjectionDetector detector, Part part) {
        List<Scored> scored = new ArrayList<>();
        for (JsonNode r : part.direct()) {
            String text = r.path("text").asText();
            scored.add(new Scored(detector.score(text, Mode.DIRECT).score(), label(r), "deepset", text));
        }
        List<String> emails = part.emails();
        for (String email : emails) {
            scored.add(new Scored(detector.score(email, Mode.INDIRECT).score(), false, "bipia", email));
        }
        for (int i = 0; i < part.attacks().size() && !emails.isEmpty(); i++) {
            String doc = insert(emails.get(i % emails.size()), part.attacks().get(i).text(), i % 3);
            scored.add(new Scored(detector.score(doc, Mode.INDIRECT).score(), true, "bipia", part.attacks().get(i).text()));
        }
        return scored;
    }

    /** Recall at the threshold that keeps the false-positive rate at or below {@code fpr} (source null: all). */
    static double recallAtFpr(List<Scored> scored, String source, double fpr) {
        double[] neg = scored.stream().filter(s -> !s.injection() && (source == null || s.source().equals(source)))
                .mapToDouble(Scored::score).toArray();
        double[] pos = scored.stream().filter(s -> s.injection() && (source == null || s.source().equals(source)))
                .mapToDouble(Scored::score).toArray();
        return Thresholds.recallAt(pos, Thresholds.atFalsePositiveRate(neg, fpr));
    }

    private static boolean label(JsonNode row) {
        return row.path("label").asInt() == 1;
    }

    private static List<String> contexts(Path file) {
        return Jsonl.read(file).stream().map(r -> r.path("context").asText()).toList();
    }

    private static List<Attack> attacks(Path file) {
        return Jsonl.read(file).stream()
                .map(r -> new Attack(r.path("category").asText(), r.path("attack").asText())).toList();
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
