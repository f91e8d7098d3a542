package dev.steward.rag.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Figures worked out by hand with trec_eval's definitions (linear gain, log2(rank + 1) discount). */
class RetrievalMetricsTest {
    static final List<String> RANKING = List.of("d1", "d2", "d3", "d4");
    /** Graded: d4 is more relevant than d2 and d5; d5 is never retrieved; d9 is judged not relevant. */
    static final Map<String, Integer> JUDGED = Map.of("d2", 1, "d4", 2, "d5", 1, "d9", 0);

    @Test
    void ndcgUsesLinearGainsAndTheIdealOrderOfAllJudgments() {
        // DCG@3 = 1/log2(3); ideal gains 2, 1, 1: IDCG@3 = 2/1 + 1/log2(3) + 1/2.
        double idcg3 = 2 + 1 / log2(3) + 0.5;
        assertThat(RetrievalMetrics.ndcg(RANKING, JUDGED, 3)).isCloseTo((1 / log2(3)) / idcg3, within(1e-12));
        assertThat(RetrievalMetrics.ndcg(RANKING, JUDGED, 3)).isCloseTo(0.201515, within(1e-6));
        // DCG@10 adds 2/log2(5) for d4; IDCG@10 is IDCG@3 (only three relevant judgments).
        assertThat(RetrievalMetrics.ndcg(RANKING, JUDGED, 10)).isCloseTo((1 / log2(3) + 2 / log2(5)) / idcg3, within(1e-12));
        assertThat(RetrievalMetrics.ndcg(RANKING, JUDGED, 10)).isCloseTo(0.476626, within(1e-6));
        assertThat(RetrievalMetrics.ndcg(List.of("d4", "d2", "d5"), JUDGED, 10)).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void recallCountsRelevantJudgmentsOnlyAndMrrTheFirstHit() {
        assertThat(RetrievalMetrics.recall(RANKING, JUDGED, 1)).isZero();
        assertThat(RetrievalMetrics.recall(RANKING, JUDGED, 2)).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(RetrievalMetrics.recall(RANKING, JUDGED, 100)).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(RetrievalMetrics.mrr(RANKING, JUDGED, 10)).isCloseTo(0.5, within(1e-12));
        assertThat(RetrievalMetrics.mrr(RANKING, JUDGED, 1)).isZero();
        assertThat(RetrievalMetrics.mrr(List.of("d9", "x", "d5"), JUDGED, 10)).isCloseTo(1.0 / 3, within(1e-12));
    }

    @Test
    void queriesWithoutRelevantDocumentsAndEmptyRankingsScoreZero() {
        Map<String, Integer> none = Map.of("d1", 0);
        assertThat(RetrievalMetrics.ndcg(RANKING, none, 10)).isZero();
        assertThat(RetrievalMetrics.recall(RANKING, none, 10)).isZero();
        assertThat(RetrievalMetrics.mrr(RANKING, none, 10)).isZero();
        assertThat(RetrievalMetrics.ndcg(List.of(), JUDGED, 10)).isZero();
    }

    @Test
    void documentsRankAtTheirBestChunkAndTheQueryItselfIsDropped() {
        assertThat(RetrievalMetrics.documentRanking(List.of("a", "b", "a", "c", "b"), "q1")).containsExactly("a", "b", "c");
        assertThat(RetrievalMetrics.documentRanking(List.of("a", "q1", "c"), "q1")).containsExactly("a", "c");
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
