package dev.steward.rag.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.core.knowledge.DocumentId;
import dev.steward.rag.load.ParsedDocument;
import dev.steward.rag.load.Section;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ChunkerTest {
    private static final DocumentId DOC = new DocumentId("doc_chunkertest01");
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9]+");
    private static final TokenCounter APPROX = TokenCounter.approximate();

    @Test
    void randomizedDocumentsKeepEveryWordStayWithinBudgetAndNumberChunksContiguously() {
        Random random = new Random(20240611L);
        for (int round = 0; round < 200; round++) {
            int maxTokens = 64 + random.nextInt(400);
            int overlap = random.nextInt(maxTokens * 15 / 100 + 1);
            Chunker chunker = new Chunker(APPROX, maxTokens, overlap);
            ParsedDocument doc = randomDocument(random, round);

            List<Chunk> chunks = chunker.chunk(DOC, doc);

            assertThat(chunks).isNotEmpty();
            assertThat(chunks).extracting(Chunk::ordinal)
                    .containsExactlyElementsOf(IntStream.range(0, chunks.size()).boxed().toList());
            for (Chunk chunk : chunks) {
                assertThat(chunk.chunkId()).isEqualTo(DOC.value() + "#" + chunk.ordinal());
                assertThat(chunk.title()).isEqualTo(doc.title());
                assertThat(APPROX.count(chunk.embeddingText()))
                        .as("round %d chunk %d tokens (max %d)", round, chunk.ordinal(), maxTokens)
                        .isLessThanOrEqualTo(maxTokens);
            }
            // Nothing is dropped: each word occurs in the chunks at least as often as in the input.
            Map<String, Long> inChunks = wordCounts(chunks.stream().map(Chunk::text).collect(Collectors.joining(" ")));
            Map<String, Long> inInput = wordCounts(doc.sections().stream().map(Section::text).collect(Collectors.joining(" ")));
            List<String> dropped = inInput.entrySet().stream()
                    .filter(e -> inChunks.getOrDefault(e.getKey(), 0L) < e.getValue())
                    .map(Map.Entry::getKey)
                    .toList();
            assertThat(dropped).as("round %d words with fewer occurrences in the chunks than in the input", round).isEmpty();
            // Structure: a chunk holds words of its own section only (plus, for the first chunk, a tiny preamble
            // merged into it); merged tiny sections are labelled with all their headings.
            Map<String, Set<String>> wordsByHeading = new HashMap<>();
            doc.sections().forEach(s -> wordsByHeading.putIfAbsent(s.heading(), wordCounts(s.heading() + " " + s.text()).keySet()));
            Section preamble = doc.sections().getFirst().heading().isEmpty() ? doc.sections().getFirst() : null;
            for (Chunk chunk : chunks) {
                Set<String> allowed = new HashSet<>();
                for (String heading : chunk.section().split(" / ")) {
                    Set<String> words = wordsByHeading.get(heading);
                    assertThat(words).as("round %d chunk %d section '%s' names input sections", round, chunk.ordinal(),
                            chunk.section()).isNotNull();
                    allowed.addAll(words);
                }
                if (preamble != null && chunk.ordinal() == 0) {
                    allowed.addAll(wordsByHeading.get(""));
                }
                Set<String> outside = new HashSet<>(wordCounts(chunk.text()).keySet());
                outside.removeAll(allowed);
                assertThat(outside)
                        .as("round %d chunk %d has words from outside section '%s'", round, chunk.ordinal(), chunk.section())
                        .isEmpty();
            }
        }
    }

    @Test
    void longSectionIsSplitNotTruncatedAndNeighboursOverlap() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            // Capitalised: a period before a lower-case word is not a sentence end (think "e.g. this").
            text.append("Word").append(i).append(i % 12 == 11 ? ". " : " ");
        }
        text.append("Finalword.");
        Chunker chunker = new Chunker(APPROX, 200, 30);
        List<Chunk> chunks = chunker.chunk(DOC, new ParsedDocument("Big", List.of(new Section("Only", text.toString()))));

        assertThat(chunks.size()).isGreaterThan(10);
        assertThat(chunks.getLast().text()).endsWith("Finalword.");
        assertThat(chunks).allSatisfy(c -> assertThat(c.section()).isEqualTo("Only"));
        for (int i = 1; i < chunks.size(); i++) {
            String previous = chunks.get(i - 1).text();
            String firstSentence = chunks.get(i).text().split("(?<=\\.) ")[0];
            assertThat(previous).as("chunk %d starts with the tail of chunk %d", i, i - 1).contains(firstSentence);
        }
    }

    @Test
    void lineBreaksAndParagraphsOfTheSourceAreKept() {
        // long enough to be packed sentence by sentence (a tiny section is kept exactly as it is)
        String mail = "SUBJECT: Order 5531 is delayed\nHi Dana, your order left two days late\nRecommend a good book\n"
                + "The carrier delivers on  Thursday, between 9\nand 12 (a wrapped line goes on).\n\nRegards,\nSam\n\n"
                + "We are sorry about the delay. ".repeat(40);
        List<Chunk> chunks = new Chunker(APPROX, 120, 16).chunk(DOC, new ParsedDocument("Mail", List.of(new Section("", mail))));
        assertThat(chunks.size()).isGreaterThan(1);
        assertThat(chunks.get(0).text()).startsWith("SUBJECT: Order 5531 is delayed\nHi Dana, your order left two days late\n"
                + "Recommend a good book\nThe carrier delivers on Thursday, between 9 and 12 (a wrapped line goes on).\n\n"
                + "Regards,\nSam\n\nWe are sorry about the delay. We");
    }

    @Test
    void textWithoutSentencePunctuationStillOverlaps() {
        String log = IntStream.range(0, 2000).mapToObj(i -> "entry" + i).collect(Collectors.joining(" "));
        List<Chunk> chunks = new Chunker(APPROX, 200, 30).chunk(DOC, new ParsedDocument("Log", List.of(new Section("", log))));
        assertThat(chunks.size()).isGreaterThan(10);
        for (int i = 1; i < chunks.size(); i++) {
            String firstWord = chunks.get(i).text().split(" ")[0];
            assertThat(chunks.get(i - 1).text().split(" ")).as("chunk %d overlaps chunk %d", i, i - 1).contains(firstWord);
        }
        assertThat(chunks.getLast().text()).endsWith("entry1999");
    }

    @Test
    void overlongSentenceAndWordAreSplitIntoPiecesThatStillContainEverything() {
        String hugeWord = "x".repeat(3000);
        String longSentence = IntStream.range(0, 800).mapToObj(i -> "token" + i).collect(Collectors.joining(" "));
        Chunker chunker = new Chunker(APPROX, 128, 16);
        List<Chunk> chunks = chunker.chunk(DOC,
                new ParsedDocument("T", List.of(new Section("", longSentence + " " + hugeWord + " tail"))));

        assertThat(chunks).allSatisfy(c -> assertThat(APPROX.count(c.embeddingText())).isLessThanOrEqualTo(128));
        String all = chunks.stream().map(Chunk::text).collect(Collectors.joining(" "));
        assertThat(all).contains("token0 ", "token799 ", " tail");
        String xs = chunks.stream().map(Chunk::text).map(t -> t.replaceAll("[^x]", "")).collect(Collectors.joining());
        assertThat(xs.length()).isGreaterThanOrEqualTo(3000);
    }

    @Test
    void tinyAdjacentSectionsAreMergedButLargeSectionsNeverMix() {
        String large = IntStream.range(0, 120).mapToObj(i -> "alpha" + i + ".").collect(Collectors.joining(" "));
        ParsedDocument doc = new ParsedDocument("FAQ", List.of(
                new Section("Q1", "Yes."),
                new Section("Q2", "No."),
                new Section("Q3", "Maybe."),
                new Section("Policy", large),
                new Section("Q4", "Later.")));
        List<Chunk> chunks = new Chunker(APPROX, 256, 32).chunk(DOC, doc);

        assertThat(chunks.getFirst().section()).isEqualTo("Q1 / Q2 / Q3");
        assertThat(chunks.getFirst().text()).isEqualTo("Q1\nYes.\n\nQ2\nNo.\n\nQ3\nMaybe.");
        assertThat(chunks.subList(1, chunks.size() - 1)).allSatisfy(c -> {
            assertThat(c.section()).isEqualTo("Policy");
            assertThat(c.text()).doesNotContain("Later", "Maybe");
        });
        assertThat(chunks.getLast()).satisfies(c -> {
            assertThat(c.section()).isEqualTo("Q4");
            assertThat(c.text()).isEqualTo("Later.");
        });
    }

    @Test
    void approximateCounterIsAdditiveOverWhitespaceAndConservative() {
        String a = "The quick brown fox, jumps!";
        String b = "Internationalization (i18n) matters.";
        assertThat(APPROX.count(a + " " + b)).isEqualTo(APPROX.count(a) + APPROX.count(b));
        assertThat(APPROX.count(a + "\n\n" + b)).isEqualTo(APPROX.count(a) + APPROX.count(b));
        assertThat(APPROX.count("the cat sat on the mat")).isGreaterThanOrEqualTo(6);
    }

    private static ParsedDocument randomDocument(Random random, int round) {
        String[] vocabulary = {"policy", "leave", "refund", "server", "alpha", "beta", "gamma", "onboarding", "vpn",
            "password", "invoice", "quarterly", "report", "the", "a", "of", "internationalization", "x", "42", "k8s"};
        List<Section> sections = new ArrayList<>();
        int sectionCount = 1 + random.nextInt(6);
        for (int s = 0; s < sectionCount; s++) {
            int words = random.nextInt(5) == 0 ? 1 + random.nextInt(8) : 10 + random.nextInt(random.nextBoolean() ? 60 : 1500);
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < words; w++) {
                String word = random.nextInt(10) == 0
                        ? "u" + round + "w" + s + "x" + w // unique words catch any dropped text
                        : vocabulary[random.nextInt(vocabulary.length)];
                text.append(word);
                int r = random.nextInt(100);
                text.append(r < 8 ? ". " : r < 10 ? ".\n\n" : r < 12 ? ", " : r < 13 ? "\n" : " ");
            }
            // Like real documents: only text before the first heading has no heading.
            boolean preamble = s == 0 && random.nextInt(3) == 0;
            sections.add(new Section(preamble ? "" : "Heading " + round + "-" + s, text.toString().strip() + "."));
        }
        return new ParsedDocument("Doc " + round, sections);
    }

    private static Map<String, Long> wordCounts(String text) {
        Map<String, Long> counts = new HashMap<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            counts.merge(m.group(), 1L, Long::sum);
        }
        return counts;
    }
}
