package dev.steward.rag.lucene;

import dev.steward.core.knowledge.DocumentId;
import dev.steward.core.knowledge.RetrievedChunk;
import dev.steward.core.tenant.TenantId;
import dev.steward.rag.DocumentRejectedException;
import dev.steward.rag.IngestOutcome;
import dev.steward.rag.IngestResult;
import dev.steward.rag.KnowledgeBase;
import dev.steward.rag.SourceDocument;
import dev.steward.rag.chunk.Chunk;
import dev.steward.rag.chunk.Chunker;
import dev.steward.rag.chunk.TokenCounter;
import dev.steward.rag.embed.Embedder;
import dev.steward.rag.load.DocumentLoaders;
import dev.steward.rag.load.ParsedDocument;
import dev.steward.rag.retrieve.Fusion;
import dev.steward.rag.retrieve.RetrievalStrategy;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.WordlistLoader;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.VectorUtil;

/**
 * A {@link KnowledgeBase} on embedded Lucene: one index per tenant in {@code root/<tenantId>/}, each chunk a Lucene
 * document with its text (BM25, English analysis) and its vector (HNSW, dot product on unit vectors). Retrieval runs
 * both searches and fuses them ({@link #DEFAULT_STRATEGY}: a weighted combination of normalised scores; other
 * {@link RetrievalStrategy strategies} on request).
 *
 * <p>Tenancy: a tenant's chunks live only in that tenant's directory, and every method resolves the directory from
 * its {@link TenantId} argument, so one tenant's query cannot reach another's index. A tenant's index is opened on
 * first use and stays open (one {@link IndexWriter} and {@link SearcherManager} per tenant) until {@link #close()}.
 * The index directory is owned by this instance: a second process on the same root fails on Lucene's write lock.
 *
 * <p>Consistency: ingest parses, chunks and embeds before it touches the index, then replaces the document's chunks
 * with one atomic update and commits, so a failed ingest leaves the previous chunks in place and a reader sees the
 * old set or the new set, never a mix. Writes are visible to {@link #retrieve} as soon as they return.
 *
 * <p>The embedder's {@link Embedder#id() id} is stored in each index's commit data; opening an index built by another
 * embedder throws {@link EmbedderMismatchException}.
 *
 * <p>Thread-safe. I/O failures surface as {@link UncheckedIOException}. Arguments are non-null.
 */
public final class LuceneKnowledgeBase implements KnowledgeBase {
    static final String DOCUMENT_ID = "documentId";
    static final String CHUNK_ID = "chunkId";
    static final String TITLE = "title";
    static final String SECTION = "section";
    static final String TEXT = "text";
    static final String VECTOR = "vector";
    static final String EMBEDDER_KEY = "steward.embedder";
    /**
     * What {@link #retrieve(TenantId, String, int)} does: a convex combination of min-max normalised dense (0.65) and
     * plain-OR BM25 (0.35) scores over 300 candidates from each side. Tuned on SciFact's train queries only
     * ({@code RetrievalBench --tune}, 809 queries, document-level nDCG@10): this setting 0.7736; the same at 100
     * candidates 0.7717; dense alone 0.7455; BM25 alone 0.6943; at 100 candidates, plain RRF (k = 60) 0.7485 with
     * plain-OR BM25 and 0.7187 with the most-terms BM25 of the previous default, the best weighted RRF (k = 10, dense
     * 0.7) 0.7635. Measured once on SciFact test afterwards: 0.7305 (plain RRF 0.7270, dense 0.7126); see
     * shared/rag/BENCHMARK.md.
     */
    public static final RetrievalStrategy DEFAULT_STRATEGY =
            new RetrievalStrategy.ScoreFusion(300, 0.65, RetrievalStrategy.TermMatch.ANY);
    /** Keeps the lexical query under Lucene's 1024-clause limit when someone pastes a page as a question. */
    private static final int MAX_QUERY_WORDS = 200;

    private final Path root;
    private final Embedder embedder;
    private final Chunker chunker;
    private final Analyzer analyzer = englishAnalyzer();
    private final Map<TenantId, TenantIndex> indexes = new ConcurrentHashMap<>();
    /** Calls share it; close takes it exclusively, so no index is opened or used while closing. */
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    /** Sizes chunks with a conservative token estimate; use the three-argument form to pass the model's tokenizer. */
    public LuceneKnowledgeBase(Path root, Embedder embedder) {
        this(root, embedder, new Chunker(TokenCounter.approximate()));
    }

    public LuceneKnowledgeBase(Path root, Embedder embedder, Chunker chunker) {
        this.root = Objects.requireNonNull(root, "root");
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.chunker = Objects.requireNonNull(chunker, "chunker");
    }

    @Override
    public IngestResult ingest(TenantId tenant, DocumentId document, String fileName, byte[] content) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(document, "document");
        Prepared prepared = prepare(document, fileName, content);
        withIndex(tenant, true, index -> {
            index.writer.updateDocuments(new Term(DOCUMENT_ID, document.value()), prepared.docs());
            index.commit();
            return null;
        });
        return prepared.result();
    }

    /**
     * Ingests several documents with one commit: each is parsed, chunked and embedded as by {@link #ingest}, then all
     * are written and made durable together. A commit costs a few fsyncs (0.1 s and more on a busy disk), which a
     * bulk load would otherwise pay per document.
     *
     * <p>A document whose bytes cannot be read is {@link IngestOutcome.Rejected rejected} and the others still go in.
     * Any other failure (the embedder's, the index's) throws before anything of the batch is written. Each document's
     * chunks are replaced atomically, as by {@link #ingest}; the batch becomes visible and durable when this returns.
     * A document id given twice ends with its last version.
     *
     * @return one outcome per document, in the order given
     */
    public List<IngestOutcome> ingestAll(TenantId tenant, List<SourceDocument> documents) {
        Objects.requireNonNull(tenant, "tenant");
        List<IngestOutcome> outcomes = new ArrayList<>(documents.size());
        List<Prepared> accepted = new ArrayList<>(documents.size());
        for (SourceDocument source : documents) {
            try {
                Prepared prepared = prepare(source.id(), source.fileName(), source.content());
                accepted.add(prepared);
                outcomes.add(new IngestOutcome.Ingested(source.id(), prepared.result()));
            } catch (DocumentRejectedException e) {
                outcomes.add(new IngestOutcome.Rejected(source.id(), e));
            }
        }
        if (!accepted.isEmpty()) {
            withIndex(tenant, true, index -> {
                for (Prepared prepared : accepted) {
                    index.writer.updateDocuments(new Term(DOCUMENT_ID, prepared.document().value()), prepared.docs());
                }
                index.commit();
                return null;
            });
        }
        return outcomes;
    }

    /** A document parsed, chunked and embedded, ready to write. */
    private record Prepared(DocumentId document, List<Document> docs, IngestResult result) {}

    private Prepared prepare(DocumentId document, String fileName, byte[] content) {
        Objects.requireNonNull(document, "document");
        ParsedDocument parsed = DocumentLoaders.load(fileName, content);
        List<Chunk> chunks = chunker.chunk(document, parsed);
        List<float[]> vectors = embedder.embedAll(chunks.stream().map(Chunk::embeddingText).toList());
        if (vectors.size() != chunks.size()) {
            throw new IllegalStateException(
                    "embedder " + embedder.id() + " returned " + vectors.size() + " vectors for " + chunks.size() + " texts");
        }
        List<Document> docs = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            docs.add(toLucene(chunks.get(i), vectors.get(i)));
        }
        return new Prepared(document, docs, new IngestResult(parsed.title(), chunks.size()));
    }

    @Override
    public void delete(TenantId tenant, DocumentId document) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(document, "document");
        withIndex(tenant, false, index -> {
            index.writer.deleteDocuments(new Term(DOCUMENT_ID, document.value()));
            index.commit();
            return null;
        });
    }

    /** Retrieves with {@link #DEFAULT_STRATEGY}. */
    @Override
    public List<RetrievedChunk> retrieve(TenantId tenant, String query, int topK) {
        return retrieve(tenant, query, DEFAULT_STRATEGY, topK);
    }

    /**
     * Retrieves with the given strategy, embedding the query only when the strategy needs it. For evaluation and
     * tuning; callers of the product go through {@link #retrieve(TenantId, String, int)}.
     */
    public List<RetrievedChunk> retrieve(TenantId tenant, String query, RetrievalStrategy strategy, int topK) {
        return retrieve(tenant, query, null, strategy, topK);
    }

    /**
     * As {@link #retrieve(TenantId, String, RetrievalStrategy, int)} with the query's embedding already computed
     * (from {@link Embedder#embedQuery} of this knowledge base's embedder), so that a benchmark can time the search
     * apart from the model.
     *
     * @param queryVector the query's embedding, or null to embed the query here when the strategy needs it
     */
    public List<RetrievedChunk> retrieve(
            TenantId tenant, String query, float[] queryVector, RetrievalStrategy strategy, int topK) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(strategy, "strategy");
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0, got " + topK);
        }
        if (queryVector != null && queryVector.length != embedder.dimension()) {
            throw new IllegalArgumentException("query vector has dimension " + queryVector.length + ", expected "
                    + embedder.dimension());
        }
        if (topK == 0 || query.isBlank()) {
            return List.of();
        }
        List<RetrievedChunk> found = withIndex(tenant, false, index -> search(index, query, queryVector, strategy, topK));
        return found == null ? List.of() : found;
    }

    /** Number of chunks indexed for a document; 0 when the tenant or document has none. For tests and checks. */
    int countChunks(TenantId tenant, DocumentId document) {
        Integer count = withIndex(tenant, false, index -> {
            IndexSearcher searcher = index.searchers.acquire();
            try {
                return searcher.count(new TermQuery(new Term(DOCUMENT_ID, document.value())));
            } finally {
                index.searchers.release(searcher);
            }
        });
        return count == null ? 0 : count;
    }

    /** Number of chunks in the tenant's index; 0 when it has none. For tests and checks. */
    int countAll(TenantId tenant) {
        Integer count = withIndex(tenant, false, index -> {
            IndexSearcher searcher = index.searchers.acquire();
            try {
                return searcher.getIndexReader().numDocs();
            } finally {
                index.searchers.release(searcher);
            }
        });
        return count == null ? 0 : count;
    }

    private List<RetrievedChunk> search(
            TenantIndex index, String query, float[] queryVector, RetrievalStrategy strategy, int topK) throws IOException {
        int candidates = Math.max(strategy.candidates(), topK);
        Query lexical = switch (strategy) {
            case RetrievalStrategy.Dense unused -> null;
            case RetrievalStrategy.Lexical s -> lexicalQuery(query, s.match());
            case RetrievalStrategy.RankFusion s -> lexicalQuery(query, s.match());
            case RetrievalStrategy.ScoreFusion s -> lexicalQuery(query, s.match());
        };
        float[] vector = !strategy.needsQueryVector() ? null
                : unit(queryVector != null ? queryVector : embedder.embedQuery(query));
        IndexSearcher searcher = index.searchers.acquire();
        try {
            List<Fusion.Scored<Integer>> dense = vector == null ? List.of()
                    : scored(searcher.search(new KnnFloatVectorQuery(VECTOR, vector, candidates), candidates).scoreDocs);
            List<Fusion.Scored<Integer>> bm25 = lexical == null ? List.of()
                    : scored(searcher.search(lexical, candidates).scoreDocs);
            // Dense first: on equal fused scores the semantic match wins, which suits questions phrased unlike the text.
            List<Fusion.Fused<Integer>> fused = switch (strategy) {
                case RetrievalStrategy.Lexical unused -> asFused(bm25);
                case RetrievalStrategy.Dense unused -> asFused(dense);
                case RetrievalStrategy.RankFusion rrf -> Fusion.reciprocalRank(rrf.k(),
                        List.of(items(dense), items(bm25)),
                        // Scaled so that weight 0.5 gives plain RRF's scores (each ranking weighs 1).
                        new double[] {2 * rrf.denseWeight(), 2 * (1 - rrf.denseWeight())});
                case RetrievalStrategy.ScoreFusion convex -> Fusion.convexCombination(
                        List.of(dense, bm25), new double[] {convex.denseWeight(), 1 - convex.denseWeight()});
            };
            StoredFields stored = searcher.storedFields();
            List<RetrievedChunk> out = new ArrayList<>(Math.min(topK, fused.size()));
            for (Fusion.Fused<Integer> hit : fused.subList(0, Math.min(topK, fused.size()))) {
                Document doc = stored.document(hit.item());
                out.add(new RetrievedChunk(
                        doc.get(DOCUMENT_ID), doc.get(CHUNK_ID), doc.get(TITLE), doc.get(SECTION), doc.get(TEXT), hit.score()));
            }
            return out;
        } finally {
            index.searchers.release(searcher);
        }
    }

    /**
     * BM25 over text, section and title; null when analysis leaves no term (only stopwords or punctuation).
     *
     * <p>With {@link RetrievalStrategy.TermMatch#MOST} a chunk must match every term of a one- or two-term query and
     * half the terms of a longer one to count as a lexical hit. With plain OR, a chunk sharing one incidental word
     * ("work" in "money back after a work trip") enters the lexical list; being in both lists, it then outranks under
     * rank fusion the right answer that only the dense retriever found (a paraphrase shares no words with it).
     */
    private Query lexicalQuery(String query, RetrievalStrategy.TermMatch match) throws IOException {
        String[] words = query.strip().split("\\s+");
        String limited = words.length <= MAX_QUERY_WORDS ? query : String.join(" ", Arrays.copyOf(words, MAX_QUERY_WORDS));
        Set<String> terms = new LinkedHashSet<>();
        try (TokenStream stream = analyzer.tokenStream(TEXT, limited)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                terms.add(term.toString());
            }
            stream.end();
        }
        if (terms.isEmpty()) {
            return null;
        }
        BooleanQuery.Builder all = new BooleanQuery.Builder();
        for (String term : terms) {
            BooleanQuery.Builder anyField = new BooleanQuery.Builder();
            anyField.add(new TermQuery(new Term(TEXT, term)), BooleanClause.Occur.SHOULD);
            anyField.add(new BoostQuery(new TermQuery(new Term(SECTION, term)), 0.5f), BooleanClause.Occur.SHOULD);
            anyField.add(new BoostQuery(new TermQuery(new Term(TITLE, term)), 0.5f), BooleanClause.Occur.SHOULD);
            all.add(anyField.build(), BooleanClause.Occur.SHOULD);
        }
        if (match == RetrievalStrategy.TermMatch.MOST) {
            all.setMinimumNumberShouldMatch(terms.size() <= 2 ? terms.size() : (terms.size() + 1) / 2);
        }
        return all.build();
    }

    /**
     * English analysis (possessives, lower case, Porter stemming) with Snowball's fuller English stopword list, so
     * that question words ("how", "do", "my", "after") neither score nor count towards the lexical match.
     */
    static Analyzer englishAnalyzer() {
        try (InputStream words = SnowballFilter.class.getResourceAsStream("english_stop.txt")) {
            if (words == null) {
                return new EnglishAnalyzer();
            }
            CharArraySet stop = new CharArraySet(WordlistLoader.getSnowballWordSet(words, StandardCharsets.UTF_8), false);
            stop.addAll(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
            return new EnglishAnalyzer(stop);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Lucene's English stopword list", e);
        }
    }

    private static List<Fusion.Scored<Integer>> scored(ScoreDoc[] hits) {
        List<Fusion.Scored<Integer>> out = new ArrayList<>(hits.length);
        for (ScoreDoc hit : hits) {
            out.add(new Fusion.Scored<>(hit.doc, hit.score));
        }
        return out;
    }

    private static List<Integer> items(List<Fusion.Scored<Integer>> scored) {
        return scored.stream().map(Fusion.Scored::item).toList();
    }

    private static List<Fusion.Fused<Integer>> asFused(List<Fusion.Scored<Integer>> scored) {
        return scored.stream().map(s -> new Fusion.Fused<>(s.item(), s.score())).toList();
    }

    private Document toLucene(Chunk chunk, float[] vector) {
        if (vector.length != embedder.dimension()) {
            throw new IllegalStateException("embedder " + embedder.id() + " returned a vector of dimension "
                    + vector.length + ", expected " + embedder.dimension());
        }
        Document doc = new Document();
        doc.add(new StringField(DOCUMENT_ID, chunk.documentId().value(), Field.Store.YES));
        doc.add(new StringField(CHUNK_ID, chunk.chunkId(), Field.Store.YES));
        doc.add(new TextField(TITLE, chunk.title(), Field.Store.YES));
        doc.add(new TextField(SECTION, chunk.section(), Field.Store.YES));
        doc.add(new TextField(TEXT, chunk.text(), Field.Store.YES));
        doc.add(new KnnFloatVectorField(VECTOR, unit(vector), VectorSimilarityFunction.DOT_PRODUCT));
        return doc;
    }

    /** DOT_PRODUCT is only a similarity on unit vectors; normalising a unit vector again is harmless. */
    private static float[] unit(float[] vector) {
        return VectorUtil.l2normalize(vector.clone());
    }

    @FunctionalInterface
    private interface IndexWork<T> {
        T run(TenantIndex index) throws IOException;
    }

    /**
     * Runs work on the tenant's index, opening it if needed. Without {@code create}, a tenant that has no index on
     * disk gets {@code null} and nothing is created.
     */
    private <T> T withIndex(TenantId tenant, boolean create, IndexWork<T> work) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("knowledge base is closed");
            }
            TenantIndex index = indexes.get(tenant);
            if (index == null) {
                Path dir = root.resolve(tenant.value());
                if (!create && !Files.isDirectory(dir)) {
                    return null;
                }
                index = indexes.computeIfAbsent(tenant, t -> TenantIndex.open(dir, analyzer, embedder.id()));
            }
            return work.run(index);
        } catch (IOException e) {
            throw new UncheckedIOException("index of tenant " + tenant + ": " + e.getMessage(), e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            IOException failure = null;
            for (TenantIndex index : indexes.values()) {
                try {
                    index.close();
                } catch (IOException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            indexes.clear();
            if (failure != null) {
                throw new UncheckedIOException("closing tenant indexes: " + failure.getMessage(), failure);
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    /** One tenant's open index. Thread-safe (IndexWriter and SearcherManager are). */
    private static final class TenantIndex implements Closeable {
        final Directory directory;
        final IndexWriter writer;
        final SearcherManager searchers;

        private TenantIndex(Directory directory, IndexWriter writer, SearcherManager searchers) {
            this.directory = directory;
            this.writer = writer;
            this.searchers = searchers;
        }

        static TenantIndex open(Path dir, Analyzer analyzer, String embedderId) {
            Directory directory = null;
            IndexWriter writer = null;
            try {
                Files.createDirectories(dir);
                directory = FSDirectory.open(dir);
                boolean existed = DirectoryReader.indexExists(directory);
                writer = new IndexWriter(directory, new IndexWriterConfig(analyzer)
                        .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND));
                Map<String, String> commitData = new HashMap<>();
                Iterable<Map.Entry<String, String>> live = writer.getLiveCommitData();
                if (live != null) {
                    live.forEach(e -> commitData.put(e.getKey(), e.getValue()));
                }
                String recorded = commitData.get(EMBEDDER_KEY);
                if (recorded == null && existed && writer.getDocStats().maxDoc > 0) {
                    recorded = "(not recorded)";
                }
                if (recorded != null && !recorded.equals(embedderId)) {
                    throw new EmbedderMismatchException("the index in " + dir + " holds vectors from embedder '" + recorded
                            + "' but this knowledge base embeds with '" + embedderId
                            + "'; vectors of different models cannot be compared: re-index the tenant's documents");
                }
                if (recorded == null) {
                    commitData.put(EMBEDDER_KEY, embedderId);
                    writer.setLiveCommitData(commitData.entrySet());
                    writer.commit();
                }
                SearcherManager searchers = new SearcherManager(writer, null);
                return new TenantIndex(directory, writer, searchers);
            } catch (IOException | RuntimeException e) {
                closeQuietly(writer, e);
                closeQuietly(directory, e);
                if (e instanceof IOException io) {
                    throw new UncheckedIOException("cannot open index " + dir + ": " + io.getMessage(), io);
                }
                throw (RuntimeException) e;
            }
        }

        /** Makes the last change durable and visible to the next search. */
        void commit() throws IOException {
            writer.commit();
            searchers.maybeRefreshBlocking();
        }

        @Override
        public void close() throws IOException {
            try (directory; writer; searchers) {
                // try-with-resources closes searchers, then the writer (which commits), then the directory.
            }
        }

        private static void closeQuietly(Closeable c, Exception into) {
            if (c != null) {
                try {
                    c.close();
                } catch (IOException | RuntimeException suppressed) {
                    into.addSuppressed(suppressed);
                }
            }
        }
    }
}
