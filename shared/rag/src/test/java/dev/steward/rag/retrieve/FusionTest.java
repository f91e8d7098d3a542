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
