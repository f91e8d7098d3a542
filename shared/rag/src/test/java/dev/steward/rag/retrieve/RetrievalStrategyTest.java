package dev.steward.rag.retrieve;

import static dev.steward.rag.retrieve.RetrievalStrategy.TermMatch.ANY;
import static dev.steward.rag.retrieve.RetrievalStrategy.TermMatch.MOST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RetrievalStrategyTest {
    @Test
    void strategiesValidateTheirParameters() {
        assertThatThrownBy(() -> new RetrievalStrategy.ScoreFusion(10, 1.5, ANY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetrievalStrategy.RankFusion(0, 60, 0.5, MOST)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetrievalStrategy.RankFusion(10, -1, 0.5, MOST)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetrievalStrategy.Dense(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new RetrievalStrategy.Lexical(1, ANY).needsQueryVector()).isFalse();
        assertThat(new RetrievalStrategy.ScoreFusion(1, 0, ANY).needsQueryVector()).isTrue();
    }
}
