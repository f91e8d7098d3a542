package dev.steward.rag.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.knowledge.DocumentId;
import dev.steward.core.knowledge.RetrievedChunk;
import dev.steward.core.tenant.TenantId;
import dev.steward.rag.DocumentRejectedException;
import dev.steward.rag.IngestResult;
import dev.steward.rag.KnowledgeBases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The knowledge base as the platform uses it: real bge-small embeddings, real Lucene indexes on disk. */
class LuceneKnowledgeBaseTest {
    static final TenantId ACME = TenantId.of("acme");
    static final TenantId GLOBEX = TenantId.of("globex");
    static final DocumentId VACATION = new DocumentId("doc_vacation01");
    static final DocumentId EXPENSES = new DocumentId("doc_expenses01");
    static final DocumentId VPN = new DocumentId("doc_vpnguide01");
    static final DocumentId SECURITY = new DocumentId("doc_security01");
    static final DocumentId CAFETERIA = new DocumentId("doc_cafeteria1");

    static final String VACATION_MD = """
            # Paid Time Off Policy

            ## Annual leave

            Full-time employees accrue 25 days of annual leave per calendar year. Up to five unused days may be
            carried over into the next year; the rest expire on 31 March.

            ## Public holidays

            The office is closed on national public holidays, which do not count against annual leave.
            """;
    static final String EXPENSES_HTML = """
            <html><head><title>Travel Expense Reimbursement</title></head><body>
            <h1>Submitting claims</h1>
            <p>Employees who travel on company business can claim reimbursement for flights, hotels and meals.
            Upload the receipts in the finance portal within 30 days of returning.</p>
            <h2>Meal allowance</h2><p>The daily meal allowance is 60 euros.</p>
            </body></html>
            """;
    static final String VPN_TXT = """
            Working from home requires the corporate VPN. Install the GlobalProtect client, sign in with your
            single sign-on account and choose the gateway closest to you before opening internal applications.
            """;
    static final String SECURITY_MD = """
            # Security awareness

            Forward suspected phishing emails to the security team. Never share multi-factor authentication codes,
            not even with colleagues from IT support.
            """;
    static final String CAFETERIA_TXT = """
            The canteen on the second floor serves breakfast from 8 to 10 and a hot buffet from noon until 2 pm,
            with vegetarian and vegan dishes every day.
            """;

    @TempDir
    Path root;
    LuceneKnowledgeBase kb;

    @BeforeEach
    void open() {
        kb = (LuceneKnowledgeBase) KnowledgeBases.lucene(root);
    }

    @AfterEach
    void close() {
        kb.close();
    }

    private IngestResult ingest(TenantId tenant, DocumentId id, String fileName, String content) {
        return kb.ingest(tenant, id, fileName, content.getBytes(StandardCharsets.UTF_8));
    }

    private void ingestHandbook(TenantId tenant) {
        ingest(tenant, VACATION, "pto.md", VACATION_MD);
        ingest(tenant, EXPENSES, "expenses.html", EXPENSES_HTML);
        ingest(tenant, VPN, "vpn.txt", VPN_TXT);
        ingest(tenant, SECURITY, "security.md", SECURITY_MD);
        ingest(tenant, CAFETERIA, "canteen.txt", CAFETERIA_TXT);
    }

    @Test
    void paraphrasedQuestionsFindTheRightDocumentFirst() {
        ingestHandbook(ACME);
        Map<String, DocumentId> questions = Map.of(
                "How much holiday time do I get each year?", VACATION,
                "How do I get my money back after a work trip?", EXPENSES,
                "accessing internal systems remotely from my house", VPN,
                "someone emailed me asking for my login code, what should I do", SECURITY,
                "where can I have lunch at work", CAFETERIA);
        questions.forEach((question, expected) -> {
            List<RetrievedChunk> hits = kb.retrieve(ACME, question, 3);
            assertThat(hits).as(question).isNotEmpty();
            assertThat(hits.getFirst().documentId()).as(question).isEqualTo(expected.value());
        });
    }

    @Test
    void exactIdentifiersAreFoundThroughTheLexicalSide() {
        ingestHandbook(ACME);
        DocumentId errors = new DocumentId("doc_errorcodes1");
        ingest(ACME, errors, "errors.txt", """
                Error QX-7731 means the license server did not answer in time.
                Error QX-7732 means the license file is missing.
                """);
        assertThat(kb.retrieve(ACME, "QX-7731", 1).getFirst().documentId()).isEqualTo(errors.value());
        assertThat(kb.retrieve(ACME, "GlobalProtect", 1).getFirst().documentId()).isEqualTo(VPN.value());
    }

    @Test
    void ingestReportsTitleAndChunksAndRetrievalCarriesThem() {
        IngestResult result = ingest(ACME, EXPENSES, "expenses.html", EXPENSES_HTML);
        assertThat(result.title()).isEqualTo("Travel Expense Reimbursement");
        assertThat(result.chunks()).isPositive();
        assertThat(kb.countChunks(ACME, EXPENSES)).isEqualTo(result.chunks());

        List<RetrievedChunk> hits = kb.retrieve(ACME, "daily meal allowance", 5);
        assertThat(hits).isNotEmpty().hasSizeLessThanOrEqualTo(5);
        RetrievedChunk top = hits.getFirst();
        assertThat(top.chunkId()).matches("doc_expenses01#\\d+");
        assertThat(top.title()).isEqualTo("Travel Expense Reimbursement");
        assertThat(top.text()).contains("60 euros");
        assertThat(top.section()).isNotEmpty();
    }

    @Test
    void resultsAreBestFirstWithFusedScoresAndBoundedByTopK() {
        ingestHandbook(ACME);
        List<RetrievedChunk> hits = kb.retrieve(ACME, "leave policy", 3);
        assertThat(hits).hasSize(3);
        for (int i = 1; i < hits.size(); i++) {
            assertThat(hits.get(i).score()).isLessThanOrEqualTo(hits.get(i - 1).score());
        }
        // Fused scores of the default strategy: weights adding up to 1 times scores normalised to [0, 1].
        assertThat(hits).allSatisfy(h -> assertThat(h.score()).isBetween(0.0, 1.0 + 1e-9));
        assertThat(hits.getFirst().score()).isPositive();
        assertThat(hits).extracting(RetrievedChunk::chunkId).doesNotHaveDuplicates();
        assertThat(kb.retrieve(ACME, "leave policy", 0)).isEmpty();
        assertThat(kb.retrieve(ACME, "   ", 5)).isEmpty();
        assertThat(kb.retrieve(ACME, "leave", 100)).hasSizeLessThanOrEqualTo(kb.countAll(ACME));
    }

    @Test
    void queriesWithoutSearchableTermsFallBackToDenseRetrieval() {
        ingestHandbook(ACME);
        assertThat(kb.retrieve(ACME, "the of and to is", 3)).hasSize(3);
        assertThat(kb.retrieve(ACME, "?!?", 3)).hasSize(3);
    }

    @Test
    void reingestReplacesAllChunksOfTheDocument() {
        StringBuilder longDoc = new StringBuilder("# Zanzibar Office Guide\n\n");
        for (int i = 0; i < 12; i++) {
            longDoc.append("## Zanzibar topic ").append(i).append("\n\n");
            longDoc.append(("The Zanzibar branch procedure number " + i + " covers badge access, parking and lockers. ").repeat(6));
            longDoc.append("\n\n");
        }
        int before = ingest(ACME, VACATION, "guide.md", longDoc.toString()).chunks();
        assertThat(before).isGreaterThan(3);
        assertThat(kb.countChunks(ACME, VACATION)).isEqualTo(before);

        int after = ingest(ACME, VACATION, "pto.md", VACATION_MD).chunks();

        assertThat(kb.countChunks(ACME, VACATION)).isEqualTo(after).isLessThan(before);
        List<RetrievedChunk> hits = kb.retrieve(ACME, "Zanzibar branch badge parking lockers", 50);
        assertThat(hits).extracting(RetrievedChunk::text).noneMatch(t -> t.contains("Zanzibar"));
        assertThat(hits).extracting(RetrievedChunk::chunkId)
                .allMatch(id -> Integer.parseInt(id.substring(id.indexOf('#') + 1)) < after);
    }

    @Test
    void deleteRemovesEveryChunkAndIsANoOpWhenRepeated() {
        ingestHandbook(ACME);
        kb.delete(ACME, VPN);
        assertThat(kb.countChunks(ACME, VPN)).isZero();
        assertThat(kb.retrieve(ACME, "VPN GlobalProtect gateway", 50))
                .isNotEmpty()
                .extracting(RetrievedChunk::documentId)
                .doesNotContain(VPN.value());
        kb.delete(ACME, VPN);
        kb.delete(ACME, new DocumentId("doc_neverexisted"));
        assertThat(kb.countChunks(ACME, VACATION)).isPositive();
    }

    @Test
    void aTenantWithoutAnIndexGetsNothingAndNothingIsCreated() {
        assertThat(kb.retrieve(GLOBEX, "annual leave", 5)).isEmpty();
        kb.delete(GLOBEX, VACATION);
        assertThat(kb.countChunks(GLOBEX, VACATION)).isZero();
        assertThat(Files.exists(root.resolve("globex"))).isFalse();
    }

    @Test
    void tenantsNeverSeeEachOthersChunks() {
        ingest(ACME, VACATION, "pto.md", VACATION_MD);
        ingest(ACME, EXPENSES, "expenses.html", EXPENSES_HTML);
        ingest(ACME, VPN, "vpn.txt", VPN_TXT);
        // Same document id in the other tenant, different content: ids are per tenant.
        ingest(GLOBEX, VACATION, "globex-leave.txt", "Globex staff receive 30 vacation days and a sabbatical every 7 years.");
        ingest(GLOBEX, CAFETERIA, "canteen.txt", CAFETERIA_TXT);

        Set<String> acmeTexts = texts(kb.retrieve(ACME, "anything", 100));
        Set<String> globexTexts = texts(kb.retrieve(GLOBEX, "anything", 100));
        assertThat(acmeTexts).hasSize(kb.countAll(ACME));
        assertThat(globexTexts).hasSize(kb.countAll(GLOBEX));

        List<String> words = new ArrayList<>();
        for (String source : List.of(VACATION_MD, EXPENSES_HTML, VPN_TXT, CAFETERIA_TXT, "sabbatical vacation days Globex")) {
            for (String w : source.split("[^A-Za-z]+")) {
                if (w.length() > 3) {
                    words.add(w);
                }
            }
        }
        Random random = new Random(7);
        for (int q = 0; q < 12; q++) {
            String query = random.ints(1 + random.nextInt(5), 0, words.size())
                    .mapToObj(words::get)
                    .collect(Collectors.joining(" "));
            assertThat(texts(kb.retrieve(GLOBEX, query, 10))).as(query).isSubsetOf(globexTexts);
            assertThat(texts(kb.retrieve(ACME, query, 10))).as(query).isSubsetOf(acmeTexts);
        }
        assertThat(kb.retrieve(GLOBEX, "annual leave carried over expire March", 10))
                .extracting(RetrievedChunk::text)
                .noneMatch(t -> t.contains("25 days") || t.contains("GlobalProtect") || t.contains("receipts"));
    }

    @Test
    void aRejectedDocumentLeavesEveryOtherDocumentAndItsOwnPreviousVersionIntact() {
        ingestHandbook(ACME);
        int vpnChunks = kb.countChunks(ACME, VPN);
        int total = kb.countAll(ACME);
        byte[] garbage = new byte[3000];
        new Random(3).nextBytes(garbage);

        assertThatThrownBy(() -> kb.ingest(ACME, new DocumentId("doc_garbage001"), "notes.txt", garbage))
                .isInstanceOfSatisfying(DocumentRejectedException.class,
                        e -> assertThat(e.code()).isEqualTo("unreadable_document"));
        assertThatThrownBy(() -> kb.ingest(ACME, VPN, "vpn.txt", garbage)).isInstanceOf(DocumentRejectedException.class);
        assertThatThrownBy(() -> kb.ingest(ACME, VPN, "vpn.txt", new byte[0]))
                .isInstanceOfSatisfying(DocumentRejectedException.class,
                        e -> assertThat(e.code()).isEqualTo("empty_document"));
        assertThatThrownBy(() -> kb.ingest(ACME, VPN, "vpn.pptx", VPN_TXT.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(DocumentRejectedException.class,
                        e -> assertThat(e.code()).isEqualTo("unsupported_type"));

        assertThat(kb.countChunks(ACME, VPN)).isEqualTo(vpnChunks);
        assertThat(kb.countAll(ACME)).isEqualTo(total);
        assertThat(kb.retrieve(ACME, "connect to the VPN from home", 1).getFirst().documentId()).isEqualTo(VPN.value());
    }

    private static Set<String> texts(List<RetrievedChunk> chunks) {
        return chunks.stream().map(c -> c.chunkId() + "|" + c.text()).collect(Collectors.toSet());
    }
}
