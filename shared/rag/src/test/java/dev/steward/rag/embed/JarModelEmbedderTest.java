package dev.steward.rag.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.steward.rag.embed.JarModelEmbedder.Model;
import java.util.List;
import org.apache.lucene.util.VectorUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The experiments' second models: unit vectors, a query convention of their own, that each ranks a relevant passage
 * first, and that full-precision bge gives the product's quantised bge's vectors back (same pooling and instruction).
 */
class JarModelEmbedderTest {

    @ParameterizedTest
    @FieldSource("dev.steward.rag.embed.JarModelEmbedder$Model#ALL")
    void vectorsAreUnitLengthAndOfTheDeclaredDimension(Model model) {
        JarModelEmbedder embedder = JarModelEmbedder.shared(model);
        float[] passage = embedder.embed("The office is closed on public holidays.");
        assertThat(passage).hasSize(embedder.dimension()).hasSize(384);
        assertThat(VectorUtil.dotProduct(passage, passage)).isCloseTo(1f, within(1e-4f));
        float[] query = embedder.embedQuery("when is the office closed");
        assertThat(VectorUtil.dotProduct(query, query)).isCloseTo(1f, within(1e-4f));
        assertThat(embedder.id()).startsWith(model.file() + "/384/");
    }

    @ParameterizedTest
    @FieldSource("dev.steward.rag.embed.JarModelEmbedder$Model#ALL")
    void queriesGetAPrefixOfTheirOwn(Model model) {
        JarModelEmbedder embedder = JarModelEmbedder.shared(model);
        String text = "reset my password";
        assertThat(VectorUtil.dotProduct(embedder.embedQuery(text), embedder.embed(text))).isLessThan(0.999f);
        assertThat(embedder.embedAll(List.of(text)).getFirst()).containsExactly(embedder.embed(text));
        assertThat(embedder.embedAll(List.of())).isEmpty();
        assertThatThrownBy(() -> embedder.embedQuery(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @FieldSource("dev.steward.rag.embed.JarModelEmbedder$Model#ALL")
    void aRelevantPassageScoresAboveAnUnrelatedOne(Model model) {
        JarModelEmbedder embedder = JarModelEmbedder.shared(model);
        float[] query = embedder.embedQuery("How do I change my login credentials?");
        float[] relevant = embedder.embed("To reset your password, open Settings, choose Security and click Change password.");
        float[] unrelated = embedder.embed("The cafeteria serves vegetarian lasagna every Thursday.");
        assertThat(VectorUtil.dotProduct(query, relevant)).isGreaterThan(VectorUtil.dotProduct(query, unrelated) + 0.05f);
    }

    @Test
    void fullPrecisionBgeGivesTheQuantisedModelsVectorsBack() {
        JarModelEmbedder fp32 = JarModelEmbedder.shared(Model.BGE_SMALL_FP32);
        BgeSmallEmbedder int8 = BgeSmallEmbedder.shared();
        String passage = "Vitamin D supplementation reduces the risk of fractures in older adults.";
        String query = "does vitamin D prevent fractures";
        // measured 0.997 for both; mean pooling instead of CLS gives 0.949 for the passage, and the query without the
        // instruction 0.978
        assertThat(VectorUtil.dotProduct(fp32.embed(passage), int8.embed(passage))).isGreaterThan(0.99f);
        assertThat(VectorUtil.dotProduct(fp32.embedQuery(query), int8.embedQuery(query))).isGreaterThan(0.99f);
        assertThat(VectorUtil.dotProduct(fp32.embed(query), int8.embedQuery(query))).isLessThan(0.99f);
        assertThat(fp32.modelBytes()).isGreaterThan(100_000_000L);
    }

    @Test
    void modelsAreNamedByTheirLabel() {
        assertThat(Model.byLabel("bge-fp32")).isEqualTo(Model.BGE_SMALL_FP32);
        assertThat(Model.byLabel("e5")).isEqualTo(Model.E5_SMALL_V2_Q);
        assertThatThrownBy(() -> Model.byLabel("bge-base")).hasMessageContaining("bge-fp32");
    }
}
