package dev.steward.rag.embed;

import ai.onnxruntime.OrtException;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15.BgeSmallEnV15EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.e5smallv2q.E5SmallV2QuantizedEmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A second dense model for the retrieval experiments ({@code dev.steward.rag.bench.EnsembleExperiments}): the ONNX
 * model and tokenizer files of one of langchain4j's embeddings jars, loaded into an ONNX session set up as
 * {@link BgeSmallEmbedder}'s is ({@link OnnxEncoders}: one intra-op thread, no spinning, all graph optimisations), so
 * that the models' costs compare with bge's on the same terms. Test scope, not a product embedder.
 *
 * <p>{@link #shared(Model)} loads each model once per JVM (a second or two). Thread-safe.
 */
public final class JarModelEmbedder implements Embedder {
    private static final int DIMENSION = 384;
    private static final Map<Model, JarModelEmbedder> LOADED = new HashMap<>();

    /**
     * One model of a langchain4j embeddings jar: {@code jar} only locates the files {@code /<file>.onnx} and
     * {@code /<file>-tokenizer.json} (its static initializer never runs: it would load a second copy of the model on
     * ONNX Runtime's default, spinning and multi-threaded, options), with the pooling and the prefixes its model card
     * prescribes. {@code label} is the short name the experiments take ({@code --model}) and print.
     */
    public record Model(String label, Class<?> jar, String file, PoolingMode pooling, String queryPrefix, String passagePrefix) {
        /** intfloat e5-small-v2, int8-quantised; mean pooling, {@code query: } and {@code passage: } prefixes. */
        public static final Model E5_SMALL_V2_Q =
                new Model("e5", E5SmallV2QuantizedEmbeddingModel.class, "e5-small-v2-q", PoolingMode.MEAN, "query: ", "passage: ");
        /**
         * BAAI bge-small-en-v1.5 in full precision (fp32, 133 MB): the product's model before quantisation, with the
         * product's query instruction and no passage prefix.
         */
        public static final Model BGE_SMALL_FP32 = new Model("bge-fp32", BgeSmallEnV15EmbeddingModel.class,
                "bge-small-en-v1.5", PoolingMode.CLS, BgeSmallEmbedder.QUERY_INSTRUCTION, "");
        public static final List<Model> ALL = List.of(E5_SMALL_V2_Q, BGE_SMALL_FP32);

        public static Model byLabel(String label) {
            return ALL.stream().filter(m -> m.label.equals(label)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                    "unknown model " + label + "; one of " + ALL.stream().map(Model::label).toList()));
        }
    }

    private final Model spec;
    private final AbstractInProcessEmbeddingModel model;
    private final long modelBytes;

    private JarModelEmbedder(Model spec) {
        this.spec = spec;
        try (InputStream onnx = spec.jar().getResourceAsStream("/" + spec.file() + ".onnx");
                InputStream tokenizer = spec.jar().getResourceAsStream("/" + spec.file() + "-tokenizer.json")) {
            if (onnx == null || tokenizer == null) {
                throw new IOException(spec.file() + " files are not on the classpath");
            }
            byte[] bytes = onnx.readAllBytes();
            this.modelBytes = bytes.length;
            this.model = OnnxEncoders.model(bytes, tokenizer, spec.pooling(), DIMENSION);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot start ONNX Runtime for " + spec.file() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + spec.file() + " from the classpath", e);
        }
    }

    /** The JVM-wide instance of a model, loaded on first use. */
    public static synchronized JarModelEmbedder shared(Model model) {
        return LOADED.computeIfAbsent(model, JarModelEmbedder::new);
    }

    @Override
    public float[] embed(String text) {
        return model.embed(spec.passagePrefix() + nonBlank(text)).content().vector();
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        List<TextSegment> segments = texts.stream().map(t -> TextSegment.from(spec.passagePrefix() + nonBlank(t))).toList();
        return segments.isEmpty() ? List.of() : model.embedAll(segments).content().stream().map(e -> e.vector()).toList();
    }

    @Override
    public float[] embedQuery(String query) {
        return model.embed(spec.queryPrefix() + nonBlank(query).strip()).content().vector();
    }

    /** The model file, pooling and whether queries and passages get a prefix. */
    @Override
    public String id() {
        return String.format("%s/%d/%s/query-prefix-%b/passage-prefix-%b", spec.file(), DIMENSION,
                spec.pooling().name().toLowerCase(Locale.ROOT), !spec.queryPrefix().isEmpty(), !spec.passagePrefix().isEmpty());
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    /** The size of the ONNX model file, in bytes. */
    public long modelBytes() {
        return modelBytes;
    }

    private static String nonBlank(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("cannot embed blank text");
        }
        return text;
    }
}
