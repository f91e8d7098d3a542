package dev.steward.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.knowledge.DocumentId;
import dev.steward.core.tenant.TenantId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Choosing the backend from the environment; OpenSearchChunkIndexIT covers the OpenSearch side with a real node. */
class KnowledgeBasesTest {
    @TempDir
    Path root;

    @Test
    void withoutAnOpenSearchUrlTheKnowledgeBaseIsLuceneUnderTheGivenDirectory() {
        try (KnowledgeBase kb = KnowledgeBases.fromEnvironment(Map.of(KnowledgeBases.OPENSEARCH_URL, " "), root)) {
            kb.ingest(TenantId.of("acme"), new DocumentId("doc_envlucene1"), "a.txt",
                    "The refund window is 30 days.".getBytes(StandardCharsets.UTF_8));
            assertThat(kb.retrieve(TenantId.of("acme"), "refund window", 1)).hasSize(1);
        }
        assertThat(Files.isDirectory(root.resolve("acme"))).isTrue();
    }

    @Test
    void anOpenSearchUrlThatIsNotHttpIsRefusedWithTheVariableNamed() {
        for (String bad : new String[] {"localhost:9200", "ftp://host:21", "http://", "not a url"}) {
            assertThatThrownBy(() -> KnowledgeBases.fromEnvironment(Map.of(KnowledgeBases.OPENSEARCH_URL, bad), root))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(KnowledgeBases.OPENSEARCH_URL);
        }
    }
}
