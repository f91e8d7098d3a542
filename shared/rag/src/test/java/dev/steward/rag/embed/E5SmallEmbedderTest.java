package dev.steward.rag.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.apache.lucene.util.VectorUtil;
import org.junit.jupiter.api.Test;

/** The experiment's e5 embedder: unit vectors, its two prefixes, and that it ranks a relevant passage first. */
class E5SmallEmbedderTest {
    private final E5SmallEmbedder e5 = E5SmallEmbedder.shared();

    @Test
    void vectorsAreUnitLengthAndOfTheDeclaredDimension() {
        float[] passage = e5.embed("The office is closed on public holidays.");
        assertThat(passage).hasSize(e5.dimension()).hasSize(384);
        assertThat(VectorUtil.dotProduct(passage, passage)).isCloseTo(1f, within(1e-4f));
        float[] query = e5.embedQuery("when is the office closed");
        assertThat(VectorUtil.dotProduct(query, query)).isCloseTo(1f, within(1e-4f));
    }

    @Test
    void queriesAndPassagesGetTheirOwnPrefix() {
        String text = "reset my password";
        assertThat(VectorUtil.dotProduct(e5.embedQuery(text), e5.embed(text))).isLessThan(0.999f);
        assertThat(e5.embedAll(List.of(text)).getFirst()).containsExactly(e5.embed(text));
        assertThat(e5.embedAll(List.of())).isEmpty();
        assertThatThrownBy(() -> e5.embedQuery(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRelevantPassageScoresAboveAnUnrelatedOne() {
        float[] query = e5.embedQuery("How do I change my login credentials?");
        float[] relevant = e5.embed("To reset your password, open Settings, choose Security and click Change password.");
        float[] unrelated = e5.embed("The cafeteria serves vegetarian lasagna every Thursday.");
        assertThat(VectorUtil.dotProduct(query, relevant)).isGreaterThan(VectorUtil.dotProduct(query, unrelated) + 0.05f);
    }
}
