package dev.steward.rag.embed;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.InputStream;

/**
 * langchain4j's tokenise-window-pool-normalise pipeline around an ONNX session of our own: one intra-op thread per
 * inference and no spinning (waking intra-op workers costs more than they save on texts of 512 tokens or less, and
 * parallelism across passages keeps every core busy instead), all graph optimisations. {@code embedAll} spreads
 * texts over langchain4j's pool: one thread per processor, idle threads exit after a second.
 */
final class OnnxEncoders {
    private OnnxEncoders() {}

    static AbstractInProcessEmbeddingModel model(byte[] onnx, InputStream tokenizerJson, PoolingMode pooling, int dimension)
            throws OrtException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            OnnxBertBiEncoder encoder = new OnnxBertBiEncoder(environment, environment.createSession(onnx, options), tokenizerJson, pooling);
            return new AbstractInProcessEmbeddingModel(null) {
                @Override
                protected OnnxBertBiEncoder model() {
                    return encoder;
                }

                @Override
                protected Integer knownDimension() {
                    return dimension;
                }
            };
        }
    }
}
