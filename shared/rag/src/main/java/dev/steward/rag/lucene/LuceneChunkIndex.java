package dev.steward.rag.lucene;

import dev.steward.core.json.Json;
import dev.steward.core.knowledge.DocumentId;
import dev.steward.core.knowledge.RetrievalFilter;
import dev.steward.core.tenant.TenantId;
import dev.steward.rag.chunk.Chunk;
import dev.steward.rag.index.ChunkIndex;
import dev.steward.rag.index.ChunkSearcher;
import dev.steward.rag.index.DocumentChunks;
import dev.steward.rag.index.EmbedderMismatchException;
import dev.steward.rag.index.EnglishAnalysis;
import dev.steward.rag.index.FilterTerms;
import dev.steward.rag.index.LexicalQuery;
import dev.steward.rag.index.StoredChunk;
import dev.steward.rag.index.VectorSpace;
import dev.steward.rag.retrieve.Fusion;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
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
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * A {@link ChunkIndex} on embedded Lucene: one index per tenant in {@code root/<tenantId>/}, each chunk a Lucene
 * document with its text, section and title ({@link EnglishAnalysis}, BM25) and its vector (HNSW, dot product on
 * unit vectors). Searchers name hits by Lucene doc id, valid within the searcher's point-in-time view.
 *
 * <p>Tenancy: a tenant's chunks live only in that tenant's directory, and every method resolves the directory from
 * its {@link TenantId} argument, so one tenant's query cannot reach another's index (the kNN search runs over that
 * tenant's graph only). A tenant's index is opened on first use and stays open (one {@link IndexWriter} and
 * {@link SearcherManager} per tenant) until {@link #close()}. The directory is owned by this instance: a second
 * process on the same root fails on Lucene's write lock.
 *
 * <p>Filters: a searcher's {@link RetrievalFilter} becomes FILTER clauses on the BM25 query and the {@code filter} of
 * the {@link KnnFloatVectorQuery}, over the {@link FilterTerms} fields every chunk gets from its metadata. Chunks
 * written before those fields existed have none, so a filter excludes them until their document is ingested again.
 *
 * <p>Atomicity: {@link #replace} swaps each document's chunks with one {@link IndexWriter#updateDocuments} and
 * commits the whole call once, so a reader sees a document's old set or its new set, never a mix, and a crash
 * leaves the last commit. Writes are visible to searchers opened after the call returns.
 *
 * <p>The embedder's id is stored in each index's commit data; opening a tenant index built by another embedder
 * throws {@link EmbedderMismatchException}.
 *
 * <p>Thread-safe. I/O failures surface as {@link UncheckedIOException}.
 */
public final class LuceneChunkIndex implements ChunkIndex<Integer> {
    static final String DOCUMENT_ID = "documentId";
    static final String CHUNK_ID = "chunkId";
    static final String TITLE = "title";
    static final String SECTION = "section";
    /**
     * The chunk's metadata as a JSON object of strings, stored; filters search its {@link FilterTerms} (indexed, not
     * stored). Both are absent from chunks written before they existed.
     */
    static final String METADATA = "metadata";
    static final String TEXT = "text";
    static final String VECTOR = "vector";
    static final String EMBEDDER_KEY = "steward.embedder";

    private final Path root;
    private final VectorSpace space;
    private final Analyzer analyzer = EnglishAnalysis.analyzer();
    private final Map<TenantId, TenantIndex> indexes = new ConcurrentHashMap<>();
    /** Calls share it; close takes it exclusively, so no index is opened or used while closing. */
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    public LuceneChunkIndex(Path root, VectorSpace space) {
        this.root = Objects.requireNonNull(root, "root");
        this.space = Objects.requireNonNull(space, "space");
    }

    @Override
    public VectorSpace space() {
        return space;
    }

    @Override
    public void replace(TenantId tenant, List<DocumentChunks> documents) {
        Objects.requireNonNull(tenant, "tenant");
        List<List<Document>> docs = new ArrayList<>(documents.size());
        for (DocumentChunks document : documents) {
            List<Document> chunks = new ArrayList<>(document.chunks().size());
            for (DocumentChunks.EmbeddedChunk c : document.chunks()) {
                chunks.add(toLucene(c.chunk(), c.vector()));
            }
            docs.add(chunks);
        }
        withIndex(tenant, true, index -> {
            for (int i = 0; i < documents.size(); i++) {
                index.writer.updateDocuments(new Term(DOCUMENT_ID, documents.get(i).document().value()), docs.get(i));
            }
            index.commit();
            return null;
        });
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

    @Override
    public ChunkSearcher<Integer> searcher(TenantId tenant, RetrievalFilter filter) {
        Objects.requireNonNull(tenant, "tenant");
        Query restriction = restriction(filter);
        // Held until the searcher is closed, so that close() waits for searches in progress.
        lifecycle.readLock().lock();
        try {
            Searcher searcher = withIndex(tenant, false, index ->
                    new Searcher(index.searchers, index.searchers.acquire(), restriction, lifecycle.readLock()::unlock));
            return searcher != null ? searcher : new Searcher(null, null, null, lifecycle.readLock()::unlock);
        } catch (RuntimeException e) {
            lifecycle.readLock().unlock();
            throw e;
        }
    }

    /**
     * The filter as one query of FILTER clauses over {@link FilterTerms}' fields (each clause a term set or a term
     * range), or null when it restricts nothing.
     */
    private static Query restriction(RetrievalFilter filter) {
        if (filter.isEmpty()) {
            return null;
        }
        BooleanQuery.Builder all = new BooleanQuery.Builder();
        for (RetrievalFilter.Clause clause : filter.clauses()) {
            Query one = switch (clause) {
                case RetrievalFilter.AnyOf anyOf -> new TermInSetQuery(FilterTerms.VALUES,
                        FilterTerms.terms(anyOf).stream().map(BytesRef::new).toList());
                case RetrievalFilter.TimeRange range -> {
                    FilterTerms.TermRange r = FilterTerms.range(range);
                    yield TermRangeQuery.newStringRange(FilterTerms.TIMES, r.lower(), r.upper(), true, r.upperInclusive());
                }
            };
            all.add(one, BooleanClause.Occur.FILTER);
        }
        return all.build();
    }

    /** Number of chunks indexed for a document; 0 when the tenant or document has none. For tests and checks. */
    int countChunks(TenantId tenant, DocumentId document) {
        try (Searcher s = (Searcher) searcher(tenant)) {
            return s.searcher == null ? 0 : s.searcher.count(new TermQuery(new Term(DOCUMENT_ID, document.value())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Number of chunks in the tenant's index; 0 when it has none. For tests and checks. */
    int countAll(TenantId tenant) {
        try (Searcher s = (Searcher) searcher(tenant)) {
            return s.searcher == null ? 0 : s.searcher.getIndexReader().numDocs();
        }
    }

    /**
     * One point-in-time view of a tenant's index, holding the index's lifecycle read lock until closed (on the thread
     * that opened it); {@code searcher} is null for a tenant without an index.
     */
    private static final class Searcher implements ChunkSearcher<Integer> {
        final SearcherManager manager;
        final IndexSearcher searcher;
        /** The filter's query, null for none. */
        final Query restriction;
        final Runnable onClose;
        boolean closed;

        Searcher(SearcherManager manager, IndexSearcher searcher, Query restriction, Runnable onClose) {
            this.manager = manager;
            this.searcher = searcher;
            this.restriction = restriction;
            this.onClose = onClose;
        }

        @Override
        public List<Fusion.Scored<Integer>> lexical(LexicalQuery query, int k) {
            if (searcher == null) {
                return List.of();
            }
            BooleanQuery.Builder all = new BooleanQuery.Builder();
            for (String term : query.terms()) {
                BooleanQuery.Builder anyField = new BooleanQuery.Builder();
                anyField.add(new TermQuery(new Term(TEXT, term)), BooleanClause.Occur.SHOULD);
                anyField.add(new BoostQuery(new TermQuery(new Term(SECTION, term)), LexicalQuery.SECTION_BOOST),
                        BooleanClause.Occur.SHOULD);
                anyField.add(new BoostQuery(new TermQuery(new Term(TITLE, term)), LexicalQuery.TITLE_BOOST),
                        BooleanClause.Occur.SHOULD);
                all.add(anyField.build(), BooleanClause.Occur.SHOULD);
            }
            all.setMinimumNumberShouldMatch(query.minimumShouldMatch());
            if (restriction == null) {
                return search(all.build(), k);
            }
            // The terms go in MUST: next to a FILTER clause, SHOULD clauses alone would become optional.
            return search(new BooleanQuery.Builder()
                    .add(all.build(), BooleanClause.Occur.MUST)
                    .add(restriction, BooleanClause.Occur.FILTER)
                    .build(), k);
        }

        @Override
        public List<Fusion.Scored<Integer>> nearest(float[] vector, int k) {
            // The filter restricts the graph search itself (Lucene switches to exact search when few chunks pass).
            return searcher == null ? List.of() : search(new KnnFloatVectorQuery(VECTOR, vector, k, restriction), k);
        }

        private List<Fusion.Scored<Integer>> search(Query query, int k) {
            try {
                ScoreDoc[] hits = searcher.search(query, k).scoreDocs;
                List<Fusion.Scored<Integer>> out = new ArrayList<>(hits.length);
                for (ScoreDoc hit : hits) {
                    out.add(new Fusion.Scored<>(hit.doc, hit.score));
                }
                return out;
            } catch (IOException e) {
                throw new UncheckedIOException("searching a tenant index: " + e.getMessage(), e);
            }
        }

        @Override
        public Map<Integer, StoredChunk> load(List<Integer> keys) {
            if (searcher == null) {
                return Map.of();
            }
            try {
                StoredFields stored = searcher.storedFields();
                Map<Integer, StoredChunk> out = new HashMap<>();
                for (int doc : keys) {
                    Document d = stored.document(doc);
                    out.put(doc, new StoredChunk(d.get(DOCUMENT_ID), d.get(CHUNK_ID), d.get(TITLE), d.get(SECTION), d.get(TEXT),
                            metadata(d.get(METADATA))));
                }
                return out;
            } catch (IOException e) {
                throw new UncheckedIOException("reading chunks of a tenant index: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (searcher != null) {
                    manager.release(searcher);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                onClose.run();
            }
        }
    }

    private static java.util.Map<String, String> metadata(String json) {
        return json == null ? java.util.Map.of() : Json.read(json, STRING_MAP);
    }

    private static final com.fasterxml.jackson.core.type.TypeReference<java.util.Map<String, String>> STRING_MAP =
            new com.fasterxml.jackson.core.type.TypeReference<>() {};

    private Document toLucene(Chunk chunk, float[] vector) {
        space.requireDimension(vector);
        Document doc = new Document();
        doc.add(new StringField(DOCUMENT_ID, chunk.documentId().value(), Field.Store.YES));
        doc.add(new StringField(CHUNK_ID, chunk.chunkId(), Field.Store.YES));
        doc.add(new TextField(TITLE, chunk.title(), Field.Store.YES));
        doc.add(new TextField(SECTION, chunk.section(), Field.Store.YES));
        doc.add(new TextField(TEXT, chunk.text(), Field.Store.YES));
        doc.add(new StoredField(METADATA, Json.write(chunk.metadata())));
        for (String term : FilterTerms.values(chunk.metadata())) {
            doc.add(new StringField(FilterTerms.VALUES, term, Field.Store.NO));
        }
        for (String term : FilterTerms.times(chunk.metadata())) {
            doc.add(new StringField(FilterTerms.TIMES, term, Field.Store.NO));
        }
        doc.add(new KnnFloatVectorField(VECTOR, vector, VectorSimilarityFunction.DOT_PRODUCT));
        return doc;
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
                throw new IllegalStateException("chunk index is closed");
            }
            TenantIndex index = indexes.get(tenant);
            if (index == null) {
                Path dir = root.resolve(tenant.value());
                if (!create && !Files.isDirectory(dir)) {
                    return null;
                }
                index = indexes.computeIfAbsent(tenant, t -> TenantIndex.open(dir, analyzer, space));
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

        static TenantIndex open(Path dir, Analyzer analyzer, VectorSpace space) {
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
                if (recorded != null || (existed && writer.getDocStats().maxDoc > 0)) {
                    space.requireRecorded(recorded, "the index in " + dir);
                } else {
                    commitData.put(EMBEDDER_KEY, space.embedderId());
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
