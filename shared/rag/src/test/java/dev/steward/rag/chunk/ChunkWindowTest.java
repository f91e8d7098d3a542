package dev.steward.rag.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.core.knowledge.DocumentId;
import dev.steward.rag.embed.BgeSmallEmbedder;
import dev.steward.rag.load.Metadata;
import dev.steward.rag.load.ParsedDocument;
import dev.steward.rag.load.Section;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Long documents against the real model window: bge-small reads at most 512 tokens, [CLS] and [SEP] included. */
class ChunkWindowTest {
    private static final int MODEL_WINDOW = 512;

    @Test
    void aDocumentFarBeyond512TokensIsSplitIntoChunksThatFitTheModelAndLoseNoWord() {
        TokenCounter bge = BgeSmallEmbedder.shared().tokenCounter();
        Random random = new Random(7);
        String[] vocabulary = {"refund", "invoice", "customer", "shipment", "warranty", "escalation", "Zürich", "naïve",
                "configuration", "authentication", "2024-03-05", "#1042", "e-mail", "re-open", "multi-factor"};
        StringBuilder text = new StringBuilder();
        for (int sentence = 0; sentence < 600; sentence++) {
            int words = 5 + random.nextInt(25);
            for (int w = 0; w < words; w++) {
                text.append(w == 0 ? "Item" + sentence : vocabulary[random.nextInt(vocabulary.length)]).append(' ');
            }
            text.setLength(text.length() - 1);
            text.append(sentence % 7 == 6 ? ".\n\n" : ". ");
        }
        ParsedDocument doc = new ParsedDocument("Support handbook", List.of(new Section("Policies > Refunds", text.toString())),
                Map.of(Metadata.SOURCE, "handbook.docx", Metadata.AUTHOR, "Dana Ops", Metadata.CREATED, "2024-03-01T09:00:00Z"),
                List.of());
        assertThat(bge.count(text.toString())).as("input tokens").isGreaterThan(10 * MODEL_WINDOW);

        List<Chunk> chunks = new Chunker(bge).chunk(new DocumentId("doc_longtext001"), doc);

        assertThat(chunks.size()).isGreaterThan(10);
        for (Chunk chunk : chunks) {
            assertThat(bge.count(chunk.embeddingText()) + 2).as("chunk %d in the model window", chunk.ordinal())
                    .isLessThanOrEqualTo(MODEL_WINDOW);
            assertThat(chunk.title()).isEqualTo("Support handbook");
            assertThat(chunk.section()).isEqualTo("Policies > Refunds");
            assertThat(chunk.metadata()).containsEntry(Metadata.SOURCE, "handbook.docx")
                    .containsEntry(Metadata.AUTHOR, "Dana Ops").containsEntry(Metadata.CREATED, "2024-03-01T09:00:00Z");
        }
        Set<String> chunked = new HashSet<>();
        chunks.forEach(c -> chunked.addAll(List.of(c.text().split("\\s+"))));
        for (String word : text.toString().split("\\s+")) {
            assertThat(chunked).as("word kept").contains(word);
        }
        assertThat(chunks.getLast().text()).endsWith(text.toString().strip().substring(text.toString().strip().lastIndexOf(' ') + 1));
    }
}
