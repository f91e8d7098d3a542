package dev.steward.rag.opensearch;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.steward.core.error.TransientException;
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
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;
import org.apache.hc.core5.http.HttpHost;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.Conflicts;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.opensearch._types.Refresh;
import org.opensearch.client.opensearch._types.mapping.Property;
import org.opensearch.client.opensearch._types.query_dsl.BoolQuery;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch.core.BulkResponse;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.bulk.BulkOperation;
import org.opensearch.client.opensearch.core.bulk.BulkResponseItem;
import org.opensearch.client.opensearch.core.mget.MultiGetResponseItem;
import org.opensearch.client.opensearch.core.search.Hit;
import org.opensearch.client.opensearch.indices.IndexSettings;
import org.opensearch.client.opensearch.indices.get_mapping.IndexMappingRecord;
import org.opensearch.client.transport.OpenSearchTransport;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * A {@link ChunkIndex} on OpenSearch: one index for the whole deployment, each chunk a document with a
 * {@code tenant} keyword, its document id, chunk id and ordinal, its title, section and text (analysed like
 * {@link EnglishAnalysis}: standard tokenizer, English possessive, lower case, the same stopwords, Porter stemming)
 * and its vector ({@code knn_vector}, {@code engine: lucene}, HNSW m = 16, ef_construction = 100, inner product on
 * unit vectors). One primary shard, so BM25 statistics cover the whole index as in a Lucene directory; one replica
 * when the cluster has a second data node and none on a single node ({@code auto_expand_replicas: 0-1}), so a
 * one-node cluster stays green. Searchers name hits by OpenSearch {@code _id}.
 *
 * <p>Tenancy: every query is a bool whose {@code filter} is the tenant term; in the kNN search the tenant term is
 * the {@code knn} query's own {@code filter}, which the Lucene engine applies while it walks the graph (efficient
 * filtering), so a tenant always gets its own k nearest chunks, however small its share of the index.
 *
 * <p>Filters: a searcher's {@link RetrievalFilter} adds its conditions next to the tenant term, in the same two
 * places, over the two keyword fields of {@link FilterTerms}. An index created before those fields existed gets them
 * added to its mapping when this instance is created; its older chunks have no filter terms, so a filter excludes
 * them until their document is ingested again.
 *
 * <p>Atomicity of {@link #replace}: OpenSearch has no multi-document transactions, so each replacement is done in
 * an order that never loses a document. The new chunks are written with a new, increasing {@code generation} (one
 * bulk request for the whole call, refreshed), then the document's chunks of older generations are removed with a
 * refreshed delete-by-query. Between the two steps a search may see both sets (a document's chunks twice, never
 * none); if the bulk request partly fails, the chunks it did write are removed and the old set stays; a crash
 * between the steps leaves both sets until the document is ingested or deleted again. Replacements of one document
 * are serialised within this process; two processes replacing the same document at once can leave both sets.
 *
 * <p>The index mapping's {@code _meta} records the embedder id and the dimension; an existing index built for
 * another embedder is refused with {@link EmbedderMismatchException} when this instance is created.
 *
 * <p>Access: plain HTTP(S) to a self-managed cluster, or every request signed with AWS Signature V4 ({@link SigV4})
 * for an Amazon OpenSearch Service domain or an OpenSearch Serverless collection.
 *
 * <p>Thread-safe. A connection failure, 429 or 5xx surfaces as {@link TransientException}.
 */
public final class OpenSearchChunkIndex implements ChunkIndex<String> {
    static final String TENANT = "tenant";
    static final String DOCUMENT_ID = "document_id";
    static final String CHUNK_ID = "chunk_id";
    static final String ORDINAL = "ordinal";
    static final String GENERATION = "generation";
    static final String TITLE = "title";
    static final String SECTION = "section";
    static final String TEXT = "text";
    static final String VECTOR = "vector";
    private static final String ANALYZER = "steward_english";
    private static final Logger LOG = Logger.getLogger(OpenSearchChunkIndex.class.getName());
    /** The chunk's metadata, an object of strings kept in the source only (not indexed). */
    static final String METADATA = "metadata";
    private static final List<String> STORED_FIELDS = List.of(DOCUMENT_ID, CHUNK_ID, TITLE, SECTION, TEXT, METADATA);

    /** The transport and, when signed, the SDK HTTP client under it: closed with this index. */
    private final List<AutoCloseable> owned;
    private final OpenSearchClient client;
    private final String index;
    private final VectorSpace space;
    private final AtomicLong lastGeneration = new AtomicLong();
    private final ReentrantLock[] documentLocks = new ReentrantLock[64];
    private volatile boolean closed;

    /**
     * Connects to {@code url} without authentication (a self-managed node, local mode, tests) and creates the index
     * if it does not exist.
     *
     * @throws EmbedderMismatchException when the index exists and holds another embedder's vectors
     */
    public static OpenSearchChunkIndex connect(URI url, String index, VectorSpace space) {
        HttpHost host = new HttpHost(url.getScheme(), url.getHost(), url.getPort());
        OpenSearchTransport transport = ApacheHttpClient5TransportBuilder.builder(host)
                .setMapper(new JacksonJsonpMapper())
                .build();
        return open(List.of(transport), transport, index, space);
    }

    /**
     * Connects to the https {@code url} of an Amazon OpenSearch Service domain or Serverless collection, signing
     * every request with {@code signing} and sending it with {@code http}, which this index owns and closes; creates
     * the index if it does not exist.
     *
     * @throws IllegalArgumentException when {@code url} is not an https URL with a host
     * @throws EmbedderMismatchException when the index exists and holds another embedder's vectors
     */
    public static OpenSearchChunkIndex connect(URI url, SigV4 signing, SdkHttpClient http, String index, VectorSpace space) {
        OpenSearchTransport transport;
        try {
            transport = signing.transport(url, http, new JacksonJsonpMapper());
        } catch (RuntimeException e) {
            http.close();
            throw e;
        }
        return open(List.of(transport, http), transport, index, space);
    }

    /** Opens the index over {@code transport}; on failure closes {@code owned}, else the index closes them. */
    private static OpenSearchChunkIndex open(List<AutoCloseable> owned, OpenSearchTransport transport, String index,
            VectorSpace space) {
        try {
            return new OpenSearchChunkIndex(owned, transport, index, space);
        } catch (RuntimeException e) {
            try {
                closeAll(owned);
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private OpenSearchChunkIndex(List<AutoCloseable> owned, OpenSearchTransport transport, String index, VectorSpace space) {
        this.owned = List.copyOf(owned);
        this.client = new OpenSearchClient(transport);
        this.index = Objects.requireNonNull(index, "index");
        this.space = Objects.requireNonNull(space, "space");
        for (int i = 0; i < documentLocks.length; i++) {
            documentLocks[i] = new ReentrantLock();
        }
        createOrCheck();
    }

    @Override
    public VectorSpace space() {
        return space;
    }

    private void createOrCheck() {
        boolean exists = call("checking index " + index, () -> client.indices().exists(e -> e.index(index)).value());
        if (!exists) {
            try {
                call("creating index " + index, () -> client.indices().create(c -> c.index(index)
                        .settings(settings())
                        .mappings(m -> m.meta(Map.of("embedder", JsonData.of(space.embedderId()),
                                        "dimension", JsonData.of(space.dimension())))
                                .properties(properties()))));
                return;
            } catch (OpenSearchException e) {
                if (!"resource_already_exists_exception".equals(e.error().type())) {
                    throw e;
                }
            }
        }
        IndexMappingRecord mapping = call("reading the mapping of " + index,
                () -> client.indices().getMapping(g -> g.index(index)).get(index));
        Map<String, JsonData> meta = mapping == null || mapping.mappings() == null ? Map.of() : mapping.mappings().meta();
        JsonData embedder = meta.get("embedder");
        space.requireRecorded(embedder == null ? null : embedder.to(String.class), "OpenSearch index '" + index + "'");
        JsonData dimension = meta.get("dimension");
        if (dimension == null || dimension.to(Integer.class) != space.dimension()) {
            throw new EmbedderMismatchException("OpenSearch index '" + index + "' holds vectors of dimension "
                    + dimension + ", expected " + space.dimension() + "; re-index into a new index");
        }
        addFilterFields(mapping);
    }

    private static IndexSettings settings() {
        return IndexSettings.of(s -> s.numberOfShards(1)
                .autoExpandReplicas("0-1")
                .knn(true)
                .analysis(a -> a
                        .filter("steward_possessive", f -> f.definition(d -> d.stemmer(st -> st.language("possessive_english"))))
                        .filter("steward_stop", f -> f.definition(d -> d.stop(st -> st.stopwords(EnglishAnalysis.stopWords()))))
                        .analyzer(ANALYZER, an -> an.custom(c -> c.tokenizer("standard")
                                .filter("steward_possessive", "lowercase", "steward_stop", "porter_stem")))));
    }

    private Map<String, Property> properties() {
        Map<String, Property> p = new LinkedHashMap<>();
        p.put(TENANT, Property.of(f -> f.keyword(k -> k)));
        p.put(DOCUMENT_ID, Property.of(f -> f.keyword(k -> k)));
        p.put(CHUNK_ID, Property.of(f -> f.keyword(k -> k.index(false))));
        p.put(ORDINAL, Property.of(f -> f.integer(i -> i)));
        p.put(GENERATION, Property.of(f -> f.long_(l -> l)));
        for (String text : List.of(TITLE, SECTION, TEXT)) {
            p.put(text, Property.of(f -> f.text(t -> t.analyzer(ANALYZER))));
        }
        p.put(METADATA, Property.of(f -> f.object(o -> o.enabled(false))));
        p.putAll(filterProperties());
        p.put(VECTOR, Property.of(f -> f.knnVector(v -> v.dimension(space.dimension())
                .method(m -> m.name("hnsw").engine("lucene").spaceType("innerproduct")
                        .parameters(Map.of("m", JsonData.of(16), "ef_construction", JsonData.of(100)))))));
        return p;
    }

    /** {@link FilterTerms}' two keyword fields, which metadata filters search. */
    private static Map<String, Property> filterProperties() {
        return Map.of(FilterTerms.VALUES, Property.of(f -> f.keyword(k -> k)),
                FilterTerms.TIMES, Property.of(f -> f.keyword(k -> k)));
    }

    /**
     * Adds the filter fields to an index created before they existed (adding fields to a mapping is allowed on a live
     * index). Its chunks written before have no filter terms: a filter excludes them until their document is ingested
     * again; searches without a filter are unchanged.
     */
    private void addFilterFields(IndexMappingRecord mapping) {
        Map<String, Property> existing = mapping == null || mapping.mappings() == null ? Map.of() : mapping.mappings().properties();
        if (existing.containsKey(FilterTerms.VALUES) && existing.containsKey(FilterTerms.TIMES)) {
            return;
        }
        call("adding the filter fields to " + index, () -> client.indices().putMapping(m -> m.index(index).properties(filterProperties())));
        LOG.warning("OpenSearch index '" + index + "' predates metadata filters: added fields " + FilterTerms.VALUES + " and "
                + FilterTerms.TIMES + "; a filter matches only documents ingested from now on (re-ingest older ones)");
    }

    @Override
    public void replace(TenantId tenant, List<DocumentChunks> documents) {
        Objects.requireNonNull(tenant, "tenant");
        requireOpen();
        if (documents.isEmpty()) {
            return;
        }
        List<ReentrantLock> locks = locksFor(tenant, documents);
        locks.forEach(ReentrantLock::lock);
        try {
            long generation = lastGeneration.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis() * 1000));
            List<BulkOperation> operations = new ArrayList<>();
            for (DocumentChunks document : documents) {
                for (DocumentChunks.EmbeddedChunk c : document.chunks()) {
                    space.requireDimension(c.vector());
                    Chunk chunk = c.chunk();
                    String id = tenant.value() + "/" + chunk.documentId().value() + "/" + generation + "/" + chunk.ordinal();
                    Map<String, Object> source = source(tenant, chunk, c.vector(), generation);
                    operations.add(BulkOperation.of(b -> b.index(i -> i.id(id).document(source))));
                }
            }
            if (!operations.isEmpty()) {
                BulkResponse response = call("writing chunks to " + index,
                        () -> client.bulk(b -> b.index(index).refresh(Refresh.True).operations(operations)));
                if (response.errors()) {
                    String reason = response.items().stream()
                            .filter(item -> item.error() != null)
                            .findFirst()
                            .map(BulkResponseItem::error)
                            .map(e -> e.type() + ": " + e.reason())
                            .orElse("unknown");
                    deleteWhere(tenant, documents, generation, true);
                    throw new TransientException("writing chunks to OpenSearch index " + index + " failed (" + reason
                            + "); the previous chunks are kept");
                }
            }
            deleteWhere(tenant, documents, generation, false);
        } finally {
            locks.forEach(ReentrantLock::unlock);
        }
    }

    private Map<String, Object> source(TenantId tenant, Chunk chunk, float[] vector, long generation) {
        Map<String, Object> source = new HashMap<>();
        source.put(TENANT, tenant.value());
        source.put(DOCUMENT_ID, chunk.documentId().value());
        source.put(CHUNK_ID, chunk.chunkId());
        source.put(ORDINAL, chunk.ordinal());
        source.put(GENERATION, generation);
        source.put(TITLE, chunk.title());
        source.put(SECTION, chunk.section());
        source.put(TEXT, chunk.text());
        source.put(METADATA, chunk.metadata());
        source.put(FilterTerms.VALUES, FilterTerms.values(chunk.metadata()));
        source.put(FilterTerms.TIMES, FilterTerms.times(chunk.metadata()));
        source.put(VECTOR, vector);
        return source;
    }

    /** Locks the documents' stripes in one global order, so that two batches cannot deadlock. */
    private List<ReentrantLock> locksFor(TenantId tenant, List<DocumentChunks> documents) {
        TreeSet<Integer> stripes = new TreeSet<>();
        for (DocumentChunks d : documents) {
            stripes.add(Math.floorMod(Objects.hash(tenant, d.document()), documentLocks.length));
        }
        return stripes.stream().map(i -> documentLocks[i]).toList();
    }

    /** Deletes the documents' chunks of this generation ({@code exactly}) or of every older one. */
    private void deleteWhere(TenantId tenant, List<DocumentChunks> documents, long generation, boolean exactly) {
        List<FieldValue> ids = documents.stream().map(d -> FieldValue.of(d.document().value())).toList();
        Query generations = exactly
                ? Query.of(q -> q.term(t -> t.field(GENERATION).value(FieldValue.of(generation))))
                : Query.of(q -> q.range(r -> r.field(GENERATION).lt(JsonData.of(generation))));
        deleteByQuery(tenant, Query.of(q -> q.terms(t -> t.field(DOCUMENT_ID).terms(v -> v.value(ids)))), generations);
    }

    @Override
    public void delete(TenantId tenant, DocumentId document) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(document, "document");
        requireOpen();
        deleteByQuery(tenant, Query.of(q -> q.term(t -> t.field(DOCUMENT_ID).value(FieldValue.of(document.value())))));
    }

    private void deleteByQuery(TenantId tenant, Query... filters) {
        call("deleting chunks from " + index, () -> client.deleteByQuery(d -> d.index(index)
                .query(q -> q.bool(b -> b.filter(tenantFilter(tenant)).filter(List.of(filters))))
                .conflicts(Conflicts.Proceed)
                .refresh(Refresh.True)));
    }

    private static Query tenantFilter(TenantId tenant) {
        return Query.of(q -> q.term(t -> t.field(TENANT).value(FieldValue.of(tenant.value()))));
    }

    @Override
    public ChunkSearcher<String> searcher(TenantId tenant, RetrievalFilter filter) {
        Objects.requireNonNull(tenant, "tenant");
        requireOpen();
        List<Query> filters = new ArrayList<>();
        filters.add(tenantFilter(tenant));
        for (RetrievalFilter.Clause clause : filter.clauses()) {
            filters.add(switch (clause) {
                case RetrievalFilter.AnyOf anyOf -> Query.of(q -> q.terms(t -> t.field(FilterTerms.VALUES)
                        .terms(v -> v.value(FilterTerms.terms(anyOf).stream().map(FieldValue::of).toList()))));
                case RetrievalFilter.TimeRange range -> {
                    FilterTerms.TermRange r = FilterTerms.range(range);
                    yield Query.of(q -> q.range(g -> {
                        g.field(FilterTerms.TIMES).gte(JsonData.of(r.lower()));
                        return r.upperInclusive() ? g.lte(JsonData.of(r.upper())) : g.lt(JsonData.of(r.upper()));
                    }));
                }
            });
        }
        // The tenant term, then one clause per filter condition: all FILTER, in both searches.
        Query restriction = filters.size() == 1 ? filters.getFirst() : Query.of(q -> q.bool(b -> b.filter(filters)));
        return new Searcher(restriction);
    }

    /**
     * Searches of one tenant through one filter; stateless apart from them, so reads see the latest refresh each time.
     */
    private final class Searcher implements ChunkSearcher<String> {
        /** The tenant term, with the filter's conditions when it has any. */
        final Query restriction;

        Searcher(Query restriction) {
            this.restriction = restriction;
        }

        @Override
        public List<Fusion.Scored<String>> lexical(LexicalQuery query, int k) {
            List<Query> perTerm = new ArrayList<>(query.terms().size());
            for (String term : query.terms()) {
                perTerm.add(Query.of(q -> q.bool(b -> b
                        .should(s -> s.term(t -> t.field(TEXT).value(FieldValue.of(term))))
                        .should(s -> s.term(t -> t.field(SECTION).value(FieldValue.of(term)).boost(LexicalQuery.SECTION_BOOST)))
                        .should(s -> s.term(t -> t.field(TITLE).value(FieldValue.of(term)).boost(LexicalQuery.TITLE_BOOST))))));
            }
            BoolQuery.Builder terms = new BoolQuery.Builder().should(perTerm);
            if (query.minimumShouldMatch() > 0) {
                terms.minimumShouldMatch(Integer.toString(query.minimumShouldMatch()));
            }
            // The terms go in must: next to a filter, should clauses alone would become optional.
            Query bool = Query.of(q -> q.bool(b -> b.must(m -> m.bool(terms.build())).filter(restriction)));
            return search(bool, k);
        }

        @Override
        public List<Fusion.Scored<String>> nearest(float[] vector, int k) {
            space.requireDimension(vector);
            List<Float> values = new ArrayList<>(vector.length);
            for (float v : vector) {
                values.add(v);
            }
            return search(Query.of(q -> q.knn(n -> n.field(VECTOR).vector(values).k(k).filter(restriction))), k);
        }

        private List<Fusion.Scored<String>> search(Query query, int k) {
            requireOpen();
            SearchResponse<Void> response = call("searching " + index, () -> client.search(s -> s.index(index)
                    .query(query)
                    .size(k)
                    .source(src -> src.fetch(false))
                    .trackTotalHits(t -> t.enabled(false)), Void.class));
            List<Fusion.Scored<String>> out = new ArrayList<>(response.hits().hits().size());
            for (Hit<Void> hit : response.hits().hits()) {
                out.add(new Fusion.Scored<>(hit.id(), hit.score() == null ? 0 : hit.score()));
            }
            return out;
        }

        @Override
        public Map<String, StoredChunk> load(List<String> keys) {
            requireOpen();
            if (keys.isEmpty()) {
                return Map.of();
            }
            var response = call("reading chunks from " + index, () -> client.mget(m -> m.index(index).ids(keys)
                    .sourceIncludes(STORED_FIELDS), Source.class));
            Map<String, StoredChunk> out = new HashMap<>();
            for (MultiGetResponseItem<Source> item : response.docs()) {
                if (item.isResult() && item.result().found() && item.result().source() != null) {
                    Source s = item.result().source();
                    out.put(item.result().id(), new StoredChunk(s.documentId(), s.chunkId(), s.title(), s.section(), s.text(), s.metadata()));
                }
            }
            return out;
        }

        @Override
        public void close() {
            // Nothing held: every search is its own request.
        }
    }

    /** The stored fields a search returns. */
    record Source(@JsonProperty(DOCUMENT_ID) String documentId, @JsonProperty(CHUNK_ID) String chunkId,
            @JsonProperty(TITLE) String title, @JsonProperty(SECTION) String section, @JsonProperty(TEXT) String text,
            @JsonProperty(METADATA) Map<String, String> metadata) {}

    @FunctionalInterface
    private interface Call<T> {
        T run() throws IOException;
    }

    private static <T> T call(String what, Call<T> call) {
        try {
            return call.run();
        } catch (IOException e) {
            throw new TransientException("OpenSearch unreachable while " + what + ": " + e.getMessage(), e);
        } catch (OpenSearchException e) {
            if (e.status() == 429 || e.status() >= 500) {
                throw new TransientException("OpenSearch failed while " + what + ": " + e.getMessage(), e);
            }
            throw e;
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("chunk index is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeAll(owned);
    }

    private static void closeAll(List<AutoCloseable> resources) {
        TransientException failure = null;
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new TransientException("closing the OpenSearch client: " + e.getMessage(), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
