package dev.steward.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.core.knowledge.RetrievedChunk;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunSizeTest {

    static RetrievedChunk chunk(int i, String text) {
        return new RetrievedChunk("doc_" + i, "doc_" + i + "#0", "Title " + i, "", text, 1.0 / (i + 1));
    }

    @Test
    void ordinaryChunksAreKeptAsTheyAre() {
        List<RetrievedChunk> fifty = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fifty.add(chunk(i, "Refunds are paid within five business days of approval. ".repeat(25))); // ~1.4 KB, 320 tokens
        }

        assertThat(RunSize.bounded(fifty)).isEqualTo(fifty);
    }

    @Test
    void anUnboundedChunkIsCutAndLowerRankedOnesPastTheBudgetAreLeftOut() {
        String unbroken = "a".repeat(200) + " "; // one WordPiece token per word: the chunker would let 320 of these through
        List<RetrievedChunk> ranked = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ranked.add(chunk(i, unbroken.repeat(320)));
        }

        List<RetrievedChunk> kept = RunSize.bounded(ranked);

        assertThat(kept).isNotEmpty().hasSizeLessThan(50);
        assertThat(kept.getFirst().chunkId()).isEqualTo("doc_0#0");
        assertThat(kept.getFirst().text()).hasSizeLessThan(RunSize.CHUNK_TEXT_CHARS + 40).endsWith("more characters]");
        assertThat(kept.stream().mapToInt(ResultCap::bytes).sum()).isLessThanOrEqualTo(RunSize.SOURCES_BYTES);
    }
}
