package dev.steward.rag.retrieve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.steward.rag.retrieve.Fusion.Fused;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FusionTest {

    @Test
    void scoresAreSumsOfReciprocalRanksAndOrderFollowsThem() {
        List<Fused<String>> fused = Fusion.reciprocalRank(List.of(List.of("a", "b", "c"), List.of("b", "c", "d")));

        assertThat(fused).extracting(Fused::item).containsExactly("b", "c", "a", "d");
        assertThat(fused.get(0).score()).isCloseTo(1.0 / 62 + 1.0 / 61, within(1e-12));
        assertThat(fused.get(1).score()).isCloseTo(1.0 / 63 + 1.0 / 62, within(1e-12));
        assertThat(fused.get(2).score()).isCloseTo(1.0 / 61, within(1e-12));
        assertThat(fused.get(3).score()).isCloseTo(1.0 / 63, within(1e-12));
    }

    @Test
    void tiesGoToTheBetterBestRankThenToTheEarlierRanking() {
        // k = 0 makes exact ties easy: q = 1/1, x = 1/1, p = 1/2 + 1/2.
        List<Fused<String>> fused = Fusion.reciprocalRank(0, List.of(List.of("q", "p"), List.of("x", "p")));
        assertThat(fused).extracting(Fused::item).containsExactly("q", "x", "p");
        assertThat(fused).extracting(Fused::score).containsOnly(1.0);

        // Symmetric swap: equal scores and equal best ranks, the first ranking decides.
        assertThat(Fusion.reciprocalRank(List.of(List.of("a", "b"), List.of("b", "a"))))
                .extracting(Fused::item).containsExactly("a", "b");
        assertThat(Fusion.reciprocalRank(List.of(List.of("b", "a"), List.of("a", "b"))))
                .extracting(Fused::item).containsExactly("b", "a");
    }

    @Test
    void duplicatesWithinOneRankingCountOnceAndEmptyInputsFuseToNothing() {
        List<Fused<String>> fused = Fusion.reciprocalRank(List.of(List.of("a", "a", "b")));
        assertThat(fused).extracting(Fused::item).containsExactly("a", "b");
        assertThat(fused.get(1).score()).isCloseTo(1.0 / 62, within(1e-12));

        assertThat(Fusion.reciprocalRank(List.<List<String>>of())).isEmpty();
        assertThat(Fusion.reciprocalRank(List.of(List.<String>of(), List.<String>of()))).isEmpty();
        assertThat(Fusion.reciprocalRank(List.of(List.of(), List.of("only")))).extracting(Fused::item).containsExactly("only");
    }

    @Test
    void propertyAnItemRankedFirstByBothRetrieversIsFirstAndOutputIsAConsistentRanking() {
        Random random = new Random(99);
        for (int round = 0; round < 2000; round++) {
            List<Integer> universe = new ArrayList<>();
            int size = 1 + random.nextInt(80);
            for (int i = 0; i < size; i++) {
                universe.add(i);
            }
            Integer champion = universe.get(random.nextInt(size));
            List<Integer> lexical = randomRanking(random, universe, champion);
            List<Integer> dense = randomRanking(random, universe, champion);
            int k = random.nextInt(100);

            List<Fused<Integer>> fused = Fusion.reciprocalRank(k, List.of(lexical, dense));

            assertThat(fused.getFirst().item()).isEqualTo(champion);
            Set<Integer> expected = new HashSet<>(lexical);
            expected.addAll(dense);
            assertThat(fused).extracting(Fused::item).containsExactlyInAnyOrderElementsOf(expected);
            for (int i = 1; i < fused.size(); i++) {
                assertThat(fused.get(i).score()).isLessThanOrEqualTo(fused.get(i - 1).score());
            }
            // A single ranking passes through unchanged.
            assertThat(Fusion.reciprocalRank(k, List.of(dense))).extracting(Fused::item).containsExactlyElementsOf(dense);
        }
    }

    @Test
    void weightedRrfScalesEachRankingsContribution() {
        List<Fused<String>> fused = Fusion.reciprocalRank(60, List.of(List.of("a", "b"), List.of("b", "c")),
                new double[] {3, 1});
        assertThat(fused).extracting(Fused::item).containsExactly("b", "a", "c");
        assertThat(fused.get(0).score()).isCloseTo(3.0 / 62 + 1.0 / 61, within(1e-12));
        assertThat(fused.get(1).score()).isCloseTo(3.0 / 61, within(1e-12));
        assertThat(fused.get(2).score()).isCloseTo(1.0 / 62, within(1e-12));
        // Weight 0 silences a ranking's order but keeps its items (after every item that scored).
        assertThat(Fusion.reciprocalRank(60, List.of(List.of("x", "y"), List.of("y", "z")), new double[] {1, 0}))
                .extracting(Fused::item).containsExactly("x", "y", "z");
    }

    @Test
    void convexCombinationNormalisesEachListThenWeighsIt() {
        // Dense scores 0.9, 0.8, 0.5 -> 1, 0.75, 0; BM25 scores 20, 10 -> 1, 0.
        List<Fusion.Scored<String>> dense = List.of(scored("a", 0.9), scored("b", 0.8), scored("c", 0.5));
        List<Fusion.Scored<String>> bm25 = List.of(scored("c", 20), scored("d", 10));

        List<Fused<String>> fused = Fusion.convexCombination(List.of(dense, bm25), new double[] {0.7, 0.3});

        assertThat(fused).extracting(Fused::item).containsExactly("a", "b", "c", "d");
        assertThat(fused.get(0).score()).isCloseTo(0.7, within(1e-12));
        assertThat(fused.get(1).score()).isCloseTo(0.7 * 0.75, within(1e-12));
        assertThat(fused.get(2).score()).isCloseTo(0.3, within(1e-12)); // dense 0 + BM25 1 * 0.3
        assertThat(fused.get(3).score()).isZero();
        // More weight on BM25 lifts its top item above the dense runner-up.
        assertThat(Fusion.convexCombination(List.of(dense, bm25), new double[] {0.4, 0.6}))
                .extracting(Fused::item).startsWith("c", "a");
    }

    @Test
    void convexCombinationHandlesFlatAndEmptyListsAndRejectsBadWeights() {
        List<Fused<String>> flat = Fusion.convexCombination(
                List.of(List.of(scored("a", 2), scored("b", 2)), List.of()), new double[] {0.5, 0.5});
        assertThat(flat).extracting(Fused::item).containsExactly("a", "b");
        assertThat(flat).extracting(Fused::score).containsOnly(0.5);
        assertThat(Fusion.convexCombination(List.<List<Fusion.Scored<String>>>of(List.of(), List.of()), new double[] {1, 0}))
                .isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> Fusion.convexCombination(List.of(List.of(scored("a", 1))), new double[] {0.5, 0.5}))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> Fusion.reciprocalRank(60, List.of(List.of("a")), new double[] {-1}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void propertyConvexFusionKeepsEveryItemOrdersByScoreAndIsBoundedByTheWeights() {
        Random random = new Random(17);
        for (int round = 0; round < 1000; round++) {
            List<Fusion.Scored<Integer>> dense = randomScored(random);
            List<Fusion.Scored<Integer>> bm25 = randomScored(random);
            double w = random.nextDouble();

            List<Fused<Integer>> fused = Fusion.convexCombination(List.of(dense, bm25), new double[] {w, 1 - w});

            Set<Integer> expected = new HashSet<>();
            dense.forEach(s -> expected.add(s.item()));
            bm25.forEach(s -> expected.add(s.item()));
            assertThat(fused).extracting(Fused::item).containsExactlyInAnyOrderElementsOf(expected);
            for (int i = 0; i < fused.size(); i++) {
                assertThat(fused.get(i).score()).isBetween(0.0, 1.0 + 1e-12);
                if (i > 0) {
                    assertThat(fused.get(i).score()).isLessThanOrEqualTo(fused.get(i - 1).score());
                }
            }
            // With all the weight on one list, its top item comes first.
            assertThat(Fusion.convexCombination(List.of(dense, bm25), new double[] {1, 0}).getFirst().item())
                    .isEqualTo(dense.getFirst().item());
        }
    }

    private static List<Fusion.Scored<Integer>> randomScored(Random random) {
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            items.add(i);
        }
        Collections.shuffle(items, random);
        int n = 1 + random.nextInt(40);
        List<Double> scores = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            scores.add(random.nextDouble() * 10);
        }
        scores.sort(Collections.reverseOrder());
        List<Fusion.Scored<Integer>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Fusion.Scored<>(items.get(i), scores.get(i)));
        }
        return out;
    }

    private static Fusion.Scored<String> scored(String item, double score) {
        return new Fusion.Scored<>(item, score);
    }

    private static List<Integer> randomRanking(Random random, List<Integer> universe, Integer first) {
        List<Integer> rest = new ArrayList<>(universe);
        rest.remove(first);
        Collections.shuffle(rest, random);
        List<Integer> ranking = new ArrayList<>();
        ranking.add(first);
        ranking.addAll(rest.subList(0, random.nextInt(rest.size() + 1)));
        return ranking;
    }
}
