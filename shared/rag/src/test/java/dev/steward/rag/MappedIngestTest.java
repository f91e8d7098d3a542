package dev.steward.rag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.core.knowledge.DocumentId;
import dev.steward.core.knowledge.RecordMapping;
import dev.steward.core.knowledge.RetrievedChunk;
import dev.steward.core.tenant.TenantId;
import dev.steward.rag.chunk.Chunker;
import dev.steward.rag.chunk.TokenCounter;
import dev.steward.rag.index.HashingEmbedder;
import dev.steward.rag.index.VectorSpace;
import dev.steward.rag.load.LoadOptions;
import dev.steward.rag.lucene.LuceneChunkIndex;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An upload's field mapping reaches the index: the mapped columns are what gets indexed, and warnings come back. */
class MappedIngestTest {
    private static final TenantId ACME = TenantId.of("acme");
    private static final byte[] EXPORT = """
            Case,Headline,Internal note,Public reply
            C-1,Printer jams,Escalate to facilities team,Please load paper face up
            C-2,"Broken quote,VPN,x,y
            C-3,Login loop,Reset the SSO session cookie,Clear your browser cookies
            """.getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void theExplicitMappingDecidesWhatIsIndexedAndWarningsAreReturned() {
        HashingEmbedder embedder = new HashingEmbedder("one");
        try (HybridKnowledgeBase kb = new HybridKnowledgeBase(new LuceneChunkIndex(dir, VectorSpace.of(embedder)), embedder,
                new Chunker(TokenCounter.approximate()))) {
            RecordMapping publicOnly = RecordMapping.parse("""
                    {"id": "Case", "title": "Headline", "text": ["Public reply"], "metadata": []}""");

            IngestResult result = kb.ingest(ACME, new SourceDocument(new DocumentId("doc_cases0001"), "cases.csv", EXPORT,
                    LoadOptions.withMapping(publicOnly)));

            assertThat(result.warnings()).anySatisfy(w -> assertThat(w).startsWith("line 3"));
            List<RetrievedChunk> found = kb.retrieve(ACME, "browser cookies", 5);
            assertThat(found).isNotEmpty();
            String indexed = String.join("\n", found.stream().map(RetrievedChunk::text).toList());
            assertThat(indexed).contains("Clear your browser cookies").doesNotContain("SSO session cookie")
                    .doesNotContain("Escalate to facilities");
        }
    }
}
