package dev.steward.guardrails.learn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;

/** Deterministic data splits. */
public final class Splits {
    private Splits() {}

    /** A train/test split of one list. */
    public record Split<T>(List<T> train, List<T> test) {
        public Split {
            train = List.copyOf(train);
            test = List.copyOf(test);
        }
    }

    /**
     * Shuffles positives and negatives separately with {@code seed} and holds out {@code testFraction} of each,
     * so both parts keep the class mix. The same input order and seed always give the same split.
     */
    public static <T> Split<T> stratified(List<T> items, Predicate<T> positive, double testFraction, long seed) {
        List<T> pos = new ArrayList<>();
        List<T> neg = new ArrayList<>();
        for (T t : items) {
            (positive.test(t) ? pos : neg).add(t);
        }
        Random random = new Random(seed);
        Collections.shuffle(pos, random);
        Collections.shuffle(neg, random);
        int testPos = (int) Math.round(pos.size() * testFraction);
        int testNeg = (int) Math.round(neg.size() * testFraction);
        List<T> train = new ArrayList<>(pos.subList(testPos, pos.size()));
        train.addAll(neg.subList(testNeg, neg.size()));
        List<T> test = new ArrayList<>(pos.subList(0, testPos));
        test.addAll(neg.subList(0, testNeg));
        return new Split<>(train, test);
    }

    /** Fold number (0..k-1) for each index, balanced and shuffled with {@code seed}. */
    public static int[] folds(int n, int k, long seed) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            idx.add(i);
        }
        Collections.shuffle(idx, new Random(seed));
        int[] fold = new int[n];
        for (int pos = 0; pos < n; pos++) {
            fold[idx.get(pos)] = pos % k;
        }
        return fold;
    }
}
