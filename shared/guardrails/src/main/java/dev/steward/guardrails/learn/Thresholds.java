package dev.steward.guardrails.learn;

import java.util.Arrays;

/** Choosing and evaluating decision thresholds on scored examples. */
public final class Thresholds {
    private Thresholds() {}

    /**
     * The lowest threshold t such that at most {@code maxFpr} of the negatives score {@code >= t}. Scores equal
     * to t count as flagged, so ties never push the false-positive rate over the limit.
     */
    public static double atFalsePositiveRate(double[] negativeScores, double maxFpr) {
        double[] s = negativeScores.clone();
        Arrays.sort(s);
        int allowed = (int) Math.floor(maxFpr * s.length + 1e-9);
        if (s.length == 0) {
            return 0.5;
        }
        // flagged negatives are the top `allowed`: threshold just above the (allowed+1)-th highest score
        double bound = s[s.length - 1 - allowed];
        return Math.nextUp(bound);
    }

    /** Fraction of {@code positiveScores} at or above {@code threshold}. */
    public static double recallAt(double[] positiveScores, double threshold) {
        if (positiveScores.length == 0) {
            return 0;
        }
        long hit = Arrays.stream(positiveScores).filter(s -> s >= threshold).count();
        return (double) hit / positiveScores.length;
    }

    /** The threshold that maximizes F1 over the given scores and labels. */
    public static double maxF1(double[] scores, boolean[] labels) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        int positives = 0;
        for (boolean l : labels) {
            positives += l ? 1 : 0;
        }
        double best = -1;
        double threshold = 0.5;
        int tp = 0;
        int fp = 0;
        for (int k = 0; k < order.length; k++) {
            if (labels[order[k]]) tp++; else fp++;
            // only between distinct scores
            if (k + 1 < order.length && scores[order[k + 1]] == scores[order[k]]) {
                continue;
            }
            double f1 = 2.0 * tp / (tp + fp + positives);
            if (f1 > best) {
                best = f1;
                threshold = scores[order[k]];
            }
        }
        return threshold;
    }
}
