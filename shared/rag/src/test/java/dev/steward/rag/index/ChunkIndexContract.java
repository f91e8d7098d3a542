package dev.steward.rag.index;

import static dev.steward.rag.retrieve.RetrievalStrategy.TermMatch.ANY;
import static dev.steward.rag.retrieve.RetrievalStrategy.TermMatch.MOST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.knowledge.DocumentId;
import dev.steward.core.knowledge.RetrievalFilter;
import dev.steward.core.knowledge.RetrievedChunk;
import dev.steward.core.tenant.TenantId;
import dev.steward.rag.DocumentRejectedException;
import dev.steward.rag.HybridKnowledgeBase;
import dev.steward.rag.IngestOutcome;
import dev.steward.rag.IngestResult;
import dev.steward.rag.SourceDocument;
import dev.steward.rag.chunk.Chunker;
import dev.steward.rag.chunk.TokenCounter;
import dev.steward.rag.embed.BgeSmallEmbedder;
import dev.steward.rag.embed.Embedder;
import dev.steward.rag.retrieve.RetrievalStrategy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ChunkIndex} backend must do, tested through {@link HybridKnowledgeBase} (the product path:
 * loaders, chunker, embedder, fusion) and once directly. A backend's test extends this class and says how to open
 * its index over named storage and how to count chunks.
 */
public abstract class ChunkIndexContract {
    protected static final TenantId ACME = TenantId.of("acme");
    protected static final TenantId GLOBEX = TenantId.of("globex");
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

    /** Storage name unique to the running test, so that tests sharing one server never meet. */
    protected String storage;

    @BeforeEach
    void nameStorage() {
        storage = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** Opens (creating if needed) the index kept under {@code name}; the same name reopens the same chunks. */
    protected abstract ChunkIndex<?> open(String name, VectorSpace space);

    /** Chunks the index holds for a document, counted outside the index's search path. */
    protected abstract int countChunks(ChunkIndex<?> index, TenantId tenant, DocumentId document);

    /** Chunks the index holds for a tenant, counted outside the index's search path. */
    protected abstract int countAll(ChunkIndex<?> index, TenantId tenant);

    /** A knowledge base over this backend with the product's embedder, and the index under it for counting. */
    private record Kb(HybridKnowledgeBase kb, ChunkIndex<?> index) implements AutoCloseable {
        IngestResult ingest(TenantId tenant, DocumentId id, String fileName, String content) {
            return kb.ingest(tenant, id, fileName, content.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void close() {
            kb.close();
        }
    }

    private Kb bge() {
        return with(BgeSmallEmbedder.shared());
    }

    private Kb with(Embedder embedder) {
        TokenCounter tokens = embedder instanceof BgeSmallEmbedder bge ? bge.tokenCounter() : TokenCounter.approximate();
        ChunkIndex<?> index = open(storage, VectorSpace.of(embedder));
        return new Kb(new HybridKnowledgeBase(index, embedder, new Chunker(tokens)), index);
    }

    private static void ingestHandbook(Kb kb, TenantId tenant) {
        kb.ingest(tenant, VACATION, "pto.md", VACATION_MD);
        kb.ingest(tenant, EXPENSES, "expenses.html", EXPENSES_HTML);
        kb.ingest(tenant, VPN, "vpn.txt", VPN_TXT);
        kb.ingest(tenant, SECURITY, "security.md", SECURITY_MD);
        kb.ingest(tenant, CAFETERIA, "canteen.txt", CAFETERIA_TXT);
    }

    // ------------------------------------------------------------------------------ retrieval with the real model

    @Test
    void paraphrasedQuestionsFindTheRightDocumentFirst() {
        try (Kb kb = bge()) {
            ingestHandbook(kb, ACME);
            Map<String, DocumentId> questions = Map.of(
                    "How much holiday time do I get each year?", VACATION,
                    "How do I get my money back after a work trip?", EXPENSES,
                    "accessing internal systems remotely from my house", VPN,
                    "someone emailed me asking for my login code, what should I do", SECURITY,
                    "where can I have lunch at work", CAFETERIA);
            questions.forEach((question, expected) -> {
                List<RetrievedChunk> hits = kb.kb().retrieve(ACME, question, 3);
                assertThat(hits).as(question).isNotEmpty();
                assertThat(hits.getFirst().documentId()).as(question).isEqualTo(expected.value());
            });
        }
    }

    @Test
    void exactIdentifiersAreFoundThroughTheLexicalSide() {
        try (Kb kb = bge()) {
            ingestHandbook(kb, ACME);
            DocumentId errors = new DocumentId("doc_errorcodes1");
            kb.ingest(ACME, errors, "errors.txt", """
                    Error QX-7731 means the license server did not answer in time.
                    Error QX-7732 means the license file is missing.
                    """);
            assertThat(kb.kb().retrieve(ACME, "QX-7731", 1).getFirst().documentId()).isEqualTo(errors.value());
            assertThat(kb.kb().retrieve(ACME, "GlobalProtect", 1).getFirst().documentId()).isEqualTo(VPN.value());
        }
    }

    @Test
    void ingestReportsTitleAndChunksAndRetrievalCarriesThem() {
        try (Kb kb = bge()) {
            IngestResult result = kb.ingest(ACME, EXPENSES, "expenses.html", EXPENSES_HTML);
            assertThat(result.title()).isEqualTo("Travel Expense Reimbursement");
            assertThat(result.chunks()).isPositive();
            assertThat(countChunks(kb.index(), ACME, EXPENSES)).isEqualTo(result.chunks());

            List<RetrievedChunk> hits = kb.kb().retrieve(ACME, "daily meal allowance", 5);
            assertThat(hits).isNotEmpty().hasSizeLessThanOrEqualTo(5);
            RetrievedChunk top = hits.getFirst();
            assertThat(top.chunkId()).matches("doc_expenses01#\\d+");
            assertThat(top.title()).isEqualTo("Travel Expense Reimbursement");
            assertThat(top.text()).contains("60 euros");
            assertThat(top.section()).isNotEmpty();
            // The loader's metadata travels with the chunk through the index.
            assertThat(top.metadata()).containsEntry("source", "expenses.html");
        }
    }

    @Test
    void resultsAreBestFirstWithFusedScoresAndBoundedByTopK() {
        try (Kb kb = bge()) {
            ingestHandbook(kb, ACME);
            List<RetrievedChunk> hits = kb.kb().retrieve(ACME, "leave policy", 3);
            assertThat(hits).hasSize(3);
            for (int i = 1; i < hits.size(); i++) {
                assertThat(hits.get(i).score()).isLessThanOrEqualTo(hits.get(i - 1).score());
            }
            // Fused scores of the default strategy: weights adding up to 1 times scores normalised to [0, 1].
            assertThat(hits).allSatisfy(h -> assertThat(h.score()).isBetween(0.0, 1.0 + 1e-9));
            assertThat(hits.getFirst().score()).isPositive();
            assertThat(hits).extracting(RetrievedChunk::chunkId).doesNotHaveDuplicates();
            assertThat(kb.kb().retrieve(ACME, "leave policy", 0)).isEmpty();
            assertThat(kb.kb().retrieve(ACME, "   ", 5)).isEmpty();
            assertThat(kb.kb().retrieve(ACME, "leave", 100)).hasSize(countAll(kb.index(), ACME));
        }
    }

    @Test
    void queriesWithoutSearchableTermsFallBackToDenseRetrieval() {
        try (Kb kb = bge()) {
            ingestHandbook(kb, ACME);
            assertThat(kb.kb().retrieve(ACME, "the of and to is", 3)).hasSize(3);
            assertThat(kb.kb().retrieve(ACME, "?!?", 3)).hasSize(3);
        }
    }

    // ------------------------------------------------------------------------------------- writes and deletes

    @Test
    void reingestReplacesAllChunksOfTheDocument() {
        try (Kb kb = bge()) {
            StringBuilder longDoc = new StringBuilder("# Zanzibar Office Guide\n\n");
            for (int i = 0; i < 12; i++) {
                longDoc.append("## Zanzibar topic ").append(i).append("\n\n");
                longDoc.append(("The Zanzibar branch procedure number " + i + " covers badge access, parking and lockers. ").repeat(6));
                longDoc.append("\n\n");
            }
            int before = kb.ingest(ACME, VACATION, "guide.md", longDoc.toString()).chunks();
            assertThat(before).isGreaterThan(3);
            assertThat(countChunks(kb.index(), ACME, VACATION)).isEqualTo(before);

            int after = kb.ingest(ACME, VACATION, "pto.md", VACATION_MD).chunks();

            assertThat(countChunks(kb.index(), ACME, VACATION)).isEqualTo(after).isLessThan(before);
            List<RetrievedChunk> hits = kb.kb().retrieve(ACME, "Zanzibar branch badge parking lockers", 50);
            assertThat(hits).extracting(RetrievedChunk::text).noneMatch(t -> t.contains("Zanzibar"));
            assertThat(hits).extracting(RetrievedChunk::chunkId)
                    .allMatch(id -> Integer.parseInt(id.substring(id.indexOf('#') + 1)) < after);
        }
    }

    @Test
    void deleteRemovesEveryChunkAndIsANoOpWhenRepeated() {
        try (Kb kb = bge()) {
            ingestHandbook(kb, ACME);
            kb.ingest(GLOBEX, VPN, "vpn.txt", VPN_TXT);
            kb.kb().delete(ACME, VPN);
            assertThat(countChunks(kb.index(), ACME, VPN)).isZero();
            assertThat(kb.kb().retrieve(ACME, "VPN GlobalProtect gateway", 50))
                    .isNotEmpty()
                    .extracting(RetrievedChunk::documentId)
                    .doesNotContain(VPN.value());
            kb.kb().delete(ACME, VPN);
            kb.kb().delete(ACME, new DocumentId("doc_neverexisted"));
            assertThat(countChunks(kb.index(), ACME, VACATION)).isPositive();
            // The same document id in another tenant is another document.
            assertThat(countChunks(kb.index(), GLOBEX, VPN)).isPositive();
        }
    }

    @Test
    void aTenantWithoutChunksGetsNothing() {
        try (Kb kb = bge()) {
            kb.ingest(ACME, VACATION, "pto.md", VACATION_MD);
            assertThat(kb.kb().retrieve(GLOBEX, "annual leave", 5)).isEmpty();
            kb.kb().delete(GLOBEX, VACATION);
            assertThat(countChunks(kb.index(), GLOBEX, VACATION)).isZero();
            assertThat(countChunks(kb.index(), ACME, VACATION)).isPositive();
        }
    }

    @Test
    void tenantsNeverSeeEachOthersChunks() {
        try (Kb kb = bge()) {
            kb.ingest(ACME, VACATION, "pto.md", VACATION_MD);
            kb.ingest(ACME, EXPENSES, "expenses.html", EXPENSES_HTML);
            kb.ingest(ACME, VPN, "vpn.txt", VPN_TXT);
            // Same document id in the other tenant, different content: ids are per tenant.
            kb.ingest(GLOBEX, VACATION, "globex-leave.txt", "Globex staff receive 30 vacation days and a sabbatical every 7 years.");
            kb.ingest(GLOBEX, CAFETERIA, "canteen.txt", CAFETERIA_TXT);

            Set<String> acmeTexts = texts(kb.kb().retrieve(ACME, "anything", 100));
            Set<String> globexTexts = texts(kb.kb().retrieve(GLOBEX, "anything", 100));
            assertThat(acmeTexts).hasSize(countAll(kb.index(), ACME));
            assertThat(globexTexts).hasSize(countAll(kb.index(), GLOBEX));

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
                assertThat(texts(kb.kb().retrieve(GLOBEX, query, 10))).as(query).isSubsetOf(globexTexts);
                assertThat(texts(kb.kb().retrieve(ACME, query, 10))).as(query).isSubsetOf(acmeTexts);
            }
            assertThat(kb.kb().retrieve(GLOBEX, "annual leave carried over expire March", 10))
                    .extracting(RetrievedChunk::text)
                    .noneMatch(t -> t.contains("25 days") || t.contains("GlobalProtect") || t.contains("receipts"));
        }
    }

    @Test
    void aRejectedDocumentLeavesEveryOtherDocumentAndItsOwnPreviousVersionIntact() {
        try (Kb kb = bge()) {
            ingestHandbook(kb, ACME);
            int vpnChunks = countChunks(kb.index(), ACME, VPN);
            int total = countAll(kb.index(), ACME);
            byte[] garbage = new byte[3000];
            new Random(3).nextBytes(garbage);
            HybridKnowledgeBase base = kb.kb();

            assertThatThrownBy(() -> base.ingest(ACME, new DocumentId("doc_garbage001"), "notes.txt", garbage))
                    .isInstanceOfSatisfying(DocumentRejectedException.class,
                            e -> assertThat(e.code()).isEqualTo("unreadable_document"));
            assertThatThrownBy(() -> base.ingest(ACME, VPN, "vpn.txt", garbage)).isInstanceOf(DocumentRejectedException.class);
            assertThatThrownBy(() -> base.ingest(ACME, VPN, "vpn.txt", new byte[0]))
                    .isInstanceOfSatisfying(DocumentRejectedException.class,
                            e -> assertThat(e.code()).isEqualTo("empty_document"));
            assertThatThrownBy(() -> base.ingest(ACME, VPN, "vpn.pptx", VPN_TXT.getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOfSatisfying(DocumentRejectedException.class,
                            e -> assertThat(e.code()).isEqualTo("unsupported_type"));

            assertThat(countChunks(kb.index(), ACME, VPN)).isEqualTo(vpnChunks);
            assertThat(countAll(kb.index(), ACME)).isEqualTo(total);
            assertThat(base.retrieve(ACME, "connect to the VPN from home", 1).getFirst().documentId()).isEqualTo(VPN.value());
        }
    }

    // ------------------------------------------------------------------- batches and strategies (hashing model)

    private static SourceDocument source(String id, String name, String text) {
        return new SourceDocument(new DocumentId(id), name, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aBatchIndexesEveryReadableDocumentAndReportsTheRejectedOnes() {
        byte[] garbage = new byte[2000];
        new Random(5).nextBytes(garbage);
        try (Kb kb = with(new HashingEmbedder("one"))) {
            kb.ingest(ACME, new DocumentId("doc_keepsoldv1"), "old.txt", "previous version about otters");
            List<IngestOutcome> outcomes = kb.kb().ingestAll(ACME, List.of(
                    source("doc_pelicans01", "p.md", "# Pelicans\n\nPelicans scoop fish with their pouch."),
                    new SourceDocument(new DocumentId("doc_keepsoldv1"), "old.txt", garbage),
                    source("doc_herons0001", "h.txt", "Herons stand still in shallow water."),
                    source("doc_unsupport1", "x.pptx", "unsupported"),
                    source("doc_herons0001", "h.txt", "Herons, second version, wade in marshes.")));

            assertThat(outcomes).extracting(IngestOutcome::document).extracting(DocumentId::value)
                    .containsExactly("doc_pelicans01", "doc_keepsoldv1", "doc_herons0001", "doc_unsupport1", "doc_herons0001");
            assertThat(outcomes.get(0)).isInstanceOfSatisfying(IngestOutcome.Ingested.class,
                    ok -> assertThat(ok.result().title()).isEqualTo("Pelicans"));
            assertThat(outcomes.get(1)).isInstanceOfSatisfying(IngestOutcome.Rejected.class,
                    no -> assertThat(no.reason().code()).isEqualTo("unreadable_document"));
            assertThat(outcomes.get(2)).isInstanceOf(IngestOutcome.Ingested.class);
            assertThat(outcomes.get(3)).isInstanceOfSatisfying(IngestOutcome.Rejected.class,
                    no -> assertThat(no.reason().code()).isEqualTo("unsupported_type"));
            assertThat(countAll(kb.index(), ACME)).isEqualTo(3);
            assertThat(kb.kb().retrieve(ACME, "otters", 1).getFirst().text()).contains("otters");
            assertThat(kb.kb().retrieve(ACME, "pelicans pouch", 1).getFirst().documentId()).isEqualTo("doc_pelicans01");
            assertThat(kb.kb().retrieve(ACME, "herons", 5)).extracting(RetrievedChunk::text)
                    .anyMatch(t -> t.contains("second version"))
                    .noneMatch(t -> t.contains("shallow"));
            assertThat(countAll(kb.index(), GLOBEX)).isZero();
        }
    }

    @Test
    void anEmbedderFailureWritesNothingOfTheBatchAndKeepsPreviousVersions() {
        HashingEmbedder embedder = new HashingEmbedder("one");
        try (Kb kb = with(embedder)) {
            DocumentId doc = new DocumentId("doc_first0001");
            kb.ingest(ACME, doc, "a.txt", "The original version mentions pelicans.");
            embedder.failing.set(true);
            assertThatThrownBy(() -> kb.kb().ingestAll(ACME, List.of(source("doc_second001", "b.txt", "beta"))))
                    .hasMessageContaining("simulated");
            assertThatThrownBy(() -> kb.ingest(ACME, doc, "a.txt", "The new version mentions flamingos."))
                    .hasMessageContaining("simulated");
            embedder.failing.set(false);
            assertThat(countAll(kb.index(), ACME)).isEqualTo(1);
            assertThat(kb.kb().retrieve(ACME, "pelicans", 1).getFirst().text()).contains("pelicans");
            assertThat(kb.kb().ingestAll(ACME, List.of())).isEmpty();
        }
    }

    @Test
    void eachStrategyReturnsAConsistentPrefixAndAGivenVectorMatchesEmbeddingTheQuery() {
        HashingEmbedder embedder = new HashingEmbedder("one");
        try (Kb kb = with(embedder)) {
            HybridKnowledgeBase base = kb.kb();
            String[] animals = {"otter", "heron", "pelican", "badger", "walrus", "lynx", "marten", "ibis"};
            for (int i = 0; i < animals.length; i++) {
                kb.ingest(ACME, new DocumentId("doc_animal000" + i), animals[i] + ".txt",
                        animals[i] + " lives near the river and eats " + animals[(i + 1) % animals.length]);
            }
            String query = "otter lives near the river";
            float[] vector = embedder.embedQuery(query);
            for (RetrievalStrategy strategy : List.of(new RetrievalStrategy.Lexical(20, ANY), new RetrievalStrategy.Lexical(20, MOST),
                    new RetrievalStrategy.Dense(20), new RetrievalStrategy.RankFusion(20, 60, 0.3, MOST),
                    new RetrievalStrategy.ScoreFusion(20, 0.7, ANY), HybridKnowledgeBase.DEFAULT_STRATEGY)) {
                List<RetrievedChunk> deep = base.retrieve(ACME, query, strategy, 8);
                List<RetrievedChunk> top3 = base.retrieve(ACME, query, vector, strategy, 3);
                assertThat(top3).as(strategy.toString()).hasSize(3);
                assertThat(ids(top3)).as(strategy.toString()).isEqualTo(ids(deep).subList(0, 3));
                for (int i = 1; i < deep.size(); i++) {
                    assertThat(deep.get(i).score()).isLessThanOrEqualTo(deep.get(i - 1).score());
                }
            }
            // MOST needs both terms of a two-term query; plain OR takes either.
            assertThat(base.retrieve(ACME, "otter walrus", new RetrievalStrategy.Lexical(20, MOST), 20)).isEmpty();
            assertThat(base.retrieve(ACME, "otter walrus", new RetrievalStrategy.Lexical(20, ANY), 20)).hasSize(4);
            // Lexical search needs no embedding and finds nothing for a stopword-only query; dense still answers.
            embedder.failing.set(true);
            assertThat(base.retrieve(ACME, "otter", new RetrievalStrategy.Lexical(5, ANY), 5)).isNotEmpty();
            assertThat(base.retrieve(ACME, "the of and", new RetrievalStrategy.Lexical(5, ANY), 5)).isEmpty();
            embedder.failing.set(false);
            assertThat(base.retrieve(ACME, "the of and", new RetrievalStrategy.Dense(5), 5)).hasSize(5);
            assertThat(base.retrieve(ACME, "the of and", new RetrievalStrategy.ScoreFusion(5, 0.5, ANY), 5)).hasSize(5);
            assertThat(base.retrieve(GLOBEX, "otter", new RetrievalStrategy.ScoreFusion(5, 0.5, ANY), 5)).isEmpty();
            assertThatThrownBy(() -> base.retrieve(ACME, query, new float[3], HybridKnowledgeBase.DEFAULT_STRATEGY, 3))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    /**
     * Another tenant's chunks, all nearer to the query than this tenant's only chunk, fill any top k taken before the
     * tenant filter; the tenant must still get its own nearest chunk, so the filter must act inside the kNN search.
     */
    @Test
    void theTenantRestrictsTheNearestNeighbourSearchItselfNotItsResult() {
        try (Kb kb = with(new HashingEmbedder("one"))) {
            List<SourceDocument> crowd = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                crowd.add(source(String.format("doc_crowd%05d", i), "c.txt", "otter otter river otter " + i));
            }
            kb.kb().ingestAll(GLOBEX, crowd);
            kb.ingest(ACME, new DocumentId("doc_lonely0001"), "l.txt", "walrus sleeps on the ice floe");

            List<RetrievedChunk> dense = kb.kb().retrieve(ACME, "otter otter river", new RetrievalStrategy.Dense(1), 1);
            assertThat(dense).extracting(RetrievedChunk::documentId).containsExactly("doc_lonely0001");
            assertThat(kb.kb().retrieve(GLOBEX, "otter otter river", new RetrievalStrategy.Dense(5), 5))
                    .hasSize(5)
                    .allSatisfy(c -> assertThat(c.documentId()).startsWith("doc_crowd"));
        }
    }

    // ------------------------------------------------------------------------------------ metadata filters

    /** Helpdesk tickets: one chunk each, with the export's Customer, Status and Created columns as metadata. */
    static final String TICKETS_CSV = """
            Ticket ID,Customer,Status,Created,Description
            T-1,Acme,open,2024-01-15,The printer on floor two jams when printing duplex pages
            T-2,Acme,closed,2024-02-03 10:00,The invoice shows the wrong VAT number for the printer order
            T-3,Globex,open,2024-02-28T23:30:00Z,The VPN drops every hour while printing remotely
            T-4,Initech,pending,2024-03-01,The password reset email never arrives on the printer account
            T-5,Globex,pending,2024-03-15,The printer toner is empty again
            """;
    static final String TICKET_QUERY = "printer invoice VPN password toner";

    private static Set<String> ticketIds(List<RetrievedChunk> chunks) {
        return chunks.stream().map(c -> c.metadata().get("recordId")).collect(Collectors.toSet());
    }

    private static Set<String> tickets(Kb kb, TenantId tenant, String filterJson) {
        return ticketIds(kb.kb().retrieve(tenant, TICKET_QUERY, 50, RetrievalFilter.fromJson(dev.steward.core.json.Json.tree(filterJson))));
    }

    @Test
    void aFilterKeepsTheChunksWhoseMetadataEqualsAnyOfItsValues() {
        try (Kb kb = with(new HashingEmbedder("one"))) {
            kb.ingest(ACME, new DocumentId("doc_tickets001"), "tickets.csv", TICKETS_CSV);
            kb.ingest(ACME, VPN, "vpn.txt", VPN_TXT);
            assertThat(tickets(kb, ACME, "{}")).hasSize(6);
            assertThat(kb.kb().retrieve(ACME, TICKET_QUERY, 50, RetrievalFilter.NONE))
                    .extracting(RetrievedChunk::chunkId)
                    .isEqualTo(ids(kb.kb().retrieve(ACME, TICKET_QUERY, 50)));
            assertThat(tickets(kb, ACME, "{\"Customer\": \"Acme\"}")).containsExactlyInAnyOrder("T-1", "T-2");
            assertThat(tickets(kb, ACME, "{\"Status\": [\"open\", \"pending\"]}")).containsExactlyInAnyOrder("T-1", "T-3", "T-4", "T-5");
            // Exact values: case counts, and a value is not a word of it.
            assertThat(tickets(kb, ACME, "{\"Customer\": \"acme\"}")).isEmpty();
            assertThat(tickets(kb, ACME, "{\"Status\": \"pen\"}")).isEmpty();
            // The loader's own metadata is filterable too.
            assertThat(kb.kb().retrieve(ACME, TICKET_QUERY, 50, RetrievalFilter.anyOf("source", "vpn.txt")))
                    .extracting(RetrievedChunk::documentId).containsOnly(VPN.value()).isNotEmpty();
        }
    }

    @Test
    void aTimeRangeKeepsTheChunksWhoseTimestampFallsInsideBoundsIncluded() {
        try (Kb kb = with(new HashingEmbedder("one"))) {
            kb.ingest(ACME, new DocumentId("doc_tickets001"), "tickets.csv", TICKETS_CSV);
            assertThat(tickets(kb, ACME, "{\"Created\": {\"from\": \"2024-02-01\", \"to\": \"2024-02-28\"}}"))
                    .containsExactlyInAnyOrder("T-2", "T-3");
            assertThat(tickets(kb, ACME, "{\"Created\": {\"from\": \"2024-03-01\"}}")).containsExactlyInAnyOrder("T-4", "T-5");
            assertThat(tickets(kb, ACME, "{\"Created\": {\"to\": \"2024-02-03T10:00:00Z\"}}")).containsExactlyInAnyOrder("T-1", "T-2");
            assertThat(tickets(kb, ACME, "{\"Created\": {\"from\": \"2024-02-03T10:00:00.000000001Z\", \"to\": \"2024-02-28T23:29:59Z\"}}"))
                    .isEmpty();
            // Another field's times never fall in this field's range, and a field without times has none.
            assertThat(tickets(kb, ACME, "{\"Customer\": {\"from\": \"2000-01-01\"}}")).isEmpty();
        }
    }

    @Test
    void conditionsCombineAsAConjunctionAndAnUnknownFieldMatchesNothing() {
        try (Kb kb = with(new HashingEmbedder("one"))) {
            kb.ingest(ACME, new DocumentId("doc_tickets001"), "tickets.csv", TICKETS_CSV);
            assertThat(tickets(kb, ACME, "{\"Customer\": [\"Globex\", \"Initech\"], \"Status\": \"pending\", \"Created\": {\"to\": \"2024-03-10\"}}"))
                    .containsExactly("T-4");
            RetrievalFilter pinned = RetrievalFilter.anyOf("Customer", "Acme");
            assertThat(ticketIds(kb.kb().retrieve(ACME, TICKET_QUERY, 50, pinned.and(RetrievalFilter.anyOf("Status", "closed")))))
                    .containsExactly("T-2");
            assertThat(ticketIds(kb.kb().retrieve(ACME, TICKET_QUERY, 50, pinned.and(RetrievalFilter.anyOf("Customer", "Globex")))))
                    .isEmpty();
            assertThat(tickets(kb, ACME, "{\"Priority\": \"high\"}")).isEmpty();
            assertThat(tickets(kb, ACME, "{\"Priority\": {\"from\": \"2024-01-01\"}}")).isEmpty();
        }
    }

    /**
     * Sixty chunks nearer to the query than the three that pass the filter fill any top k taken before filtering; the
     * filter must act inside both searches for the three to come back.
     */
    @Test
    void aFilterThatOnlyRareChunksPassStillYieldsTopKOfThem() {
        try (Kb kb = with(new HashingEmbedder("one"))) {
            StringBuilder csv = new StringBuilder("Ticket ID,Customer,Description\n");
            for (int i = 0; i < 60; i++) {
                csv.append("C-").append(i).append(",Globex,otter otter river otter ").append(i).append('\n');
            }
            for (int i = 0; i < 3; i++) {
                csv.append("R-").append(i).append(",Initech,walrus sleeps on the ice near an otter ").append(i).append('\n');
            }
            kb.ingest(ACME, new DocumentId("doc_crowded001"), "crowd.csv", csv.toString());
            RetrievalFilter rare = RetrievalFilter.anyOf("Customer", "Initech");
            String query = "otter otter river";
            for (RetrievalStrategy strategy : List.of(new RetrievalStrategy.Dense(3), new RetrievalStrategy.Lexical(3, ANY),
                    HybridKnowledgeBase.DEFAULT_STRATEGY, new RetrievalStrategy.ScoreFusion(3, 0.65, ANY))) {
                assertThat(kb.kb().retrieve(ACME, query, strategy, 3)).as(strategy.toString())
                        .extracting(c -> c.metadata().get("Customer")).containsOnly("Globex");
                assertThat(ticketIds(kb.kb().retrieve(ACME, query, null, strategy, rare, 3))).as(strategy.toString())
                        .containsExactlyInAnyOrder("R-0", "R-1", "R-2");
            }
            assertThat(ticketIds(kb.kb().retrieve(ACME, query, 2, rare))).hasSize(2).isSubsetOf("R-0", "R-1", "R-2");
        }
    }

    @Test
    void noFilterEverReachesAnotherTenantsChunks() {
        try (Kb kb = with(new HashingEmbedder("one"))) {
            kb.ingest(ACME, new DocumentId("doc_tickets001"), "tickets.csv", TICKETS_CSV);
            // The other tenant holds chunks with the very same metadata, and more of them.
            kb.ingest(GLOBEX, new DocumentId("doc_tickets001"), "tickets.csv", TICKETS_CSV.replace(",The ", ",Globex copy: the "));
            kb.ingest(GLOBEX, new DocumentId("doc_tickets002"), "tickets.csv", TICKETS_CSV.replace(",The ", ",Second copy: the "));
            for (String filter : List.of("{}", "{\"Customer\": \"Acme\"}", "{\"Status\": [\"open\", \"closed\", \"pending\"]}",
                    "{\"Created\": {\"from\": \"2000-01-01\"}}", "{\"source\": \"tickets.csv\", \"Customer\": \"Globex\"}",
                    "{\"Priority\": \"high\"}")) {
                RetrievalFilter f = RetrievalFilter.fromJson(dev.steward.core.json.Json.tree(filter));
                for (RetrievalStrategy strategy : List.of(new RetrievalStrategy.Dense(50), new RetrievalStrategy.Lexical(50, ANY),
                        HybridKnowledgeBase.DEFAULT_STRATEGY)) {
                    assertThat(kb.kb().retrieve(ACME, TICKET_QUERY + " copy", null, strategy, f, 50)).as(filter + " " + strategy)
                            .allSatisfy(c -> assertThat(c.text()).doesNotContain("copy:"));
                }
            }
            assertThat(tickets(kb, ACME, "{\"Customer\": \"Globex\"}")).containsExactlyInAnyOrder("T-3", "T-5");
            assertThat(kb.kb().retrieve(GLOBEX, TICKET_QUERY, 50, RetrievalFilter.anyOf("Customer", "Globex"))).hasSize(4);
        }
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    @Test
    void chunksSurviveReopeningAndAnotherEmbedderIsRefused() {
        DocumentId doc = new DocumentId("doc_lifecycle01");
        try (Kb kb = with(new HashingEmbedder("one"))) {
            kb.ingest(ACME, doc, "a.txt", "Quarterly revenue grew in the northern region.");
        }
        try (Kb kb = with(new HashingEmbedder("one"))) {
            assertThat(kb.kb().retrieve(ACME, "northern revenue", 5)).extracting(RetrievedChunk::documentId)
                    .containsExactly(doc.value());
        }
        assertThatThrownBy(() -> {
            try (Kb kb = with(new HashingEmbedder("two"))) {
                kb.kb().retrieve(ACME, "northern revenue", 5);
            }
        }).isInstanceOf(EmbedderMismatchException.class)
                .hasMessageContaining("hashing-64/one")
                .hasMessageContaining("hashing-64/two")
                .hasMessageContaining("re-index");
        try (Kb kb = with(new HashingEmbedder("one"))) {
            assertThat(countChunks(kb.index(), ACME, doc)).isEqualTo(1);
        }
    }

    @Test
    void aKnowledgeBaseRefusesAnIndexOfAnotherVectorSpace() {
        try (ChunkIndex<?> index = open(storage, new VectorSpace("hashing-64/one", 64))) {
            assertThatThrownBy(() -> new HybridKnowledgeBase(index, new HashingEmbedder("two"), new Chunker(TokenCounter.approximate())))
                    .isInstanceOf(EmbedderMismatchException.class);
        }
    }

    @Test
    void concurrentIngestsAndQueriesAcrossTenantsStayConsistentAndIsolated() throws Exception {
        int tenants = 3;
        int docsPerTenant = 12;
        try (Kb kb = with(new HashingEmbedder("one")); ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < tenants; t++) {
                TenantId tenant = TenantId.of("tenant-" + t);
                String marker = "marker" + t;
                for (int d = 0; d < docsPerTenant; d++) {
                    DocumentId id = new DocumentId("doc_t" + t + "d" + d + "xxxxxx");
                    int doc = d;
                    work.add(pool.submit(() -> {
                        // Each document is written twice; the second version must be the one that stays.
                        kb.ingest(tenant, id, "f.txt", marker + " first version of document " + doc);
                        kb.ingest(tenant, id, "f.txt", marker + " second version of document " + doc);
                        for (RetrievedChunk hit : kb.kb().retrieve(tenant, "version of document", 10)) {
                            assertThat(hit.text()).startsWith(marker + " ");
                        }
                    }));
                }
            }
            for (Future<?> f : work) {
                f.get();
            }
            for (int t = 0; t < tenants; t++) {
                TenantId tenant = TenantId.of("tenant-" + t);
                String marker = "marker" + t;
                assertThat(countAll(kb.index(), tenant)).isEqualTo(docsPerTenant);
                assertThat(kb.kb().retrieve(tenant, "first version", 100))
                        .hasSize(docsPerTenant)
                        .allSatisfy(hit -> assertThat(hit.text()).contains("second version").startsWith(marker));
            }
        }
    }

    @Test
    void aClosedKnowledgeBaseRefusesWork() {
        Kb kb = with(new HashingEmbedder("one"));
        DocumentId doc = new DocumentId("doc_lifecycle01");
        kb.ingest(ACME, doc, "a.txt", "something");
        kb.close();
        kb.close(); // idempotent
        assertThatThrownBy(() -> kb.kb().retrieve(ACME, "something", 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> kb.ingest(ACME, doc, "a.txt", "x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> kb.kb().delete(ACME, doc)).isInstanceOf(IllegalStateException.class);
    }

    private static Set<String> texts(List<RetrievedChunk> chunks) {
        return chunks.stream().map(c -> c.chunkId() + "|" + c.text()).collect(Collectors.toSet());
    }

    private static List<String> ids(List<RetrievedChunk> chunks) {
        return chunks.stream().map(RetrievedChunk::chunkId).toList();
    }
}
