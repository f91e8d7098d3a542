package dev.steward.rag.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.steward.core.knowledge.DocumentId;
import dev.steward.rag.chunk.Chunk;
import dev.steward.rag.chunk.Chunker;
import dev.steward.rag.chunk.TokenCounter;
import dev.steward.rag.load.ParsedDocument;
import dev.steward.rag.load.Section;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BgeSmallEmbedderTest {
    private final BgeSmallEmbedder bge = BgeSmallEmbedder.shared();

    @Test
    void vectorsAreUnitLengthDeterministicAndOfTheDeclaredDimension() {
        float[] a = bge.embed("The office is closed on public holidays.");
        float[] b = bge.embed("The office is closed on public holidays.");
        assertThat(bge.dimension()).isEqualTo(384);
        assertThat(a).hasSize(384).containsExactly(b);
        assertThat(norm(a)).isCloseTo(1.0, within(1e-4));
        assertThat(norm(bge.embedQuery("when is the office closed"))).isCloseTo(1.0, within(1e-4));
        assertThat(bge.id()).contains("bge-small-en-v1.5");
    }

    @Test
    void queriesGetTheInstructionAndPassagesDoNot() {
        String text = "reset my password";
        assertThat(dot(bge.embedQuery(text), bge.embed(text))).isLessThan(0.999);
        assertThat(bge.embedQuery(text)).containsExactly(bge.embed(BgeSmallEmbedder.QUERY_INSTRUCTION + text));
    }

    @Test
    void semanticallyCloseTextsScoreHigherThanUnrelatedOnes() {
        float[] query = bge.embedQuery("How do I change my login credentials?");
        float[] relevant = bge.embed("To reset your password, open Settings, choose Security and click Change password.");
        float[] unrelated = bge.embed("The cafeteria serves vegetarian lasagna every Thursday.");
        assertThat(dot(query, relevant)).isGreaterThan(dot(query, unrelated) + 0.1);
    }

    @Test
    void embedAllKeepsOrderAndMatchesSingleEmbeddings() {
        List<String> texts = List.of("alpha centauri is a star system", "bananas are rich in potassium", "kubernetes pods");
        List<float[]> all = bge.embedAll(texts);
        assertThat(all).hasSize(3);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(dot(all.get(i), bge.embed(texts.get(i)))).isCloseTo(1.0, within(1e-5));
        }
        assertThat(bge.embedAll(List.of())).isEmpty();
        assertThatThrownBy(() -> bge.embed("  ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tokenCounterIsTheModelsWordPieceWithoutSpecialTokensAndAdditive() {
        TokenCounter tokens = bge.tokenCounter();
        assertThat(tokens.count("hello world")).isEqualTo(2);
        assertThat(tokens.count("internationalization")).isGreaterThan(1);
        String a = "Refunds are processed within 14 days.";
        String b = "Contact billing@example.com for help!";
        assertThat(tokens.count(a + " " + b)).isEqualTo(tokens.count(a) + tokens.count(b));
        assertThat(tokens.count(a + "\n\n" + b)).isEqualTo(tokens.count(a) + tokens.count(b));
    }

    @Test
    void chunksSizedWithTheModelTokenizerFitItsWindow() {
        TokenCounter tokens = bge.tokenCounter();
        Chunker chunker = new Chunker(tokens);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            text.append("Clause ").append(i).append(": reimbursements for inter-continental travel (incl. e-tickets) are ")
                    .append("capped at EUR ").append(1000 + i).append(i % 5 == 4 ? ".\n\n" : ". ");
        }
        List<Chunk> chunks = chunker.chunk(new DocumentId("doc_bgewindow01"),
                new ParsedDocument("Travel Policy", List.of(new Section("Limits > Flights", text.toString()))));
        assertThat(chunks.size()).isGreaterThan(5);
        for (Chunk chunk : chunks) {
            int count = tokens.count(chunk.embeddingText());
            assertThat(count).isLessThanOrEqualTo(Chunker.DEFAULT_MAX_TOKENS);
            assertThat(count + 2).as("with [CLS] and [SEP]").isLessThanOrEqualTo(512);
        }
        assertThat(chunks.getLast().text()).contains("EUR 1399");
    }

    /** Not a benchmark, a smoke figure for the report: prints passages/s and query latency on this machine. */
    @Test
    void throughputFigures() {
        List<String> passages = new ArrayList<>();
        for (int i = 0; i < 16; i++) { // about 300 tokens each, the size of a full chunk
            passages.add(("Passage " + i + " explains how the expense policy applies to travel, meals and lodging. ").repeat(20));
        }
        bge.embedAll(passages.subList(0, 2)); // warm-up
        long start = System.nanoTime();
        List<float[]> vectors = bge.embedAll(passages);
        double passageSeconds = (System.nanoTime() - start) / 1e9;
        int queries = 20;
        start = System.nanoTime();
        for (int i = 0; i < queries; i++) {
            bge.embedQuery("what is the travel expense limit for meals " + i);
        }
        double queryMs = (System.nanoTime() - start) / 1e6 / queries;
        System.out.printf("bge-small-en-v1.5-q: %.1f passages/s (%d tokens each), query %.1f ms, %d cpus%n",
                passages.size() / passageSeconds, bge.tokenCounter().count(passages.getFirst()), queryMs,
                Runtime.getRuntime().availableProcessors());
        assertThat(vectors).hasSize(passages.size());
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static double norm(float[] a) {
        return Math.sqrt(dot(a, a));
    }
}
