package dev.steward.function.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.steward.core.knowledge.DocumentId;
import dev.steward.core.knowledge.DocumentStatus;
import dev.steward.core.knowledge.RetrievedChunk;
import dev.steward.core.tenant.TenantId;
import dev.steward.rag.embed.Embedder;
import dev.steward.rag.HybridKnowledgeBase;
import dev.steward.rag.KnowledgeBase;
import dev.steward.rag.chunk.Chunker;
import dev.steward.rag.chunk.TokenCounter;
import dev.steward.rag.index.VectorSpace;
import dev.steward.rag.lucene.LuceneChunkIndex;
import dev.steward.store.StewardTable;
import dev.steward.store.Stores;
import dev.steward.store.document.DocumentRecord;
import dev.steward.store.document.DocumentStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** The worker with DynamoDB Local, a real Lucene index, and an in-memory object store that reports sizes. */
class IngestWorkerTest {
    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId GLOBEX = TenantId.of("globex");
    private static final long LIMIT = 1024 * 1024;
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path indexDir;
    AmazonDynamoDBLocal dynamo;
    DocumentStore documents;
    HybridKnowledgeBase knowledge;
    FakeS3 s3 = new FakeS3();
    IngestHandler handler;

    @BeforeEach
    void start() {
        dynamo = DynamoDBEmbedded.create(false);
        StewardTable table = new StewardTable(dynamo.dynamoDbClient(), "steward-ingest-test");
        table.createIfMissing();
        documents = Stores.over(table).documents();
        WordHashEmbedder embedder = new WordHashEmbedder();
        knowledge = new HybridKnowledgeBase(new LuceneChunkIndex(indexDir, VectorSpace.of(embedder)), embedder,
                new Chunker(TokenCounter.approximate()));
        handler = new IngestHandler(new IngestWorker(s3, documents, knowledge, LIMIT, CLOCK));
    }

    @AfterEach
    void stop() {
        knowledge.close();
        dynamo.shutdown();
    }

    @Test
    void everyKindOfBadInputEndsFailedWithAReasonWhileGoodDocumentsInTheSameBatchAreIndexed() throws Exception {
        DocumentId keep = upload(ACME, "otters.txt", "Otters hold hands while they sleep in kelp forests.".getBytes(StandardCharsets.UTF_8));
        DocumentId globex = upload(GLOBEX, "otters.txt", "Globex otter notes: otters eat sea urchins.".getBytes(StandardCharsets.UTF_8));
        assertThat(handler.handleRequest(batch(created(ACME, keep, "otters.txt"), created(GLOBEX, globex, "otters.txt")), null)
                .getBatchItemFailures()).isEmpty();
        List<String> before = texts(ACME, keep);
        assertThat(before).isNotEmpty();

        Map<String, DocumentId> bad = new HashMap<>();
        bad.put("corrupt PDF", upload(ACME, "report.pdf", "%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage".getBytes(StandardCharsets.US_ASCII)));
        bad.put("encrypted PDF", upload(ACME, "secret.pdf", encryptedPdf()));
        bad.put("zip bomb", upload(ACME, "quarterly.docx", zipBomb()));
        byte[] binary = new byte[4096];
        new Random(3).nextBytes(binary);
        bad.put("binary named .txt", upload(ACME, "photo.txt", binary));
        bad.put("empty", upload(ACME, "empty.txt", new byte[0]));
        bad.put("200 MB", declare(ACME, "huge.pdf", 200L * 1024 * 1024));
        DocumentId good = upload(ACME, "pelicans.md", "# Pelicans\n\nPelicans scoop fish with their pouch.".getBytes(StandardCharsets.UTF_8));
        DocumentId csv = upload(ACME, "tickets.csv", """
                id,subject,description,customer
                1,Login fails,Users cannot log in after the update.,Acme
                2,"Broken quote,This row never closes its quote.,Globex
                3,Slow reports,Reports take two minutes to load.,Initech
                """.getBytes(StandardCharsets.UTF_8));

        List<SQSEvent.SQSMessage> messages = new ArrayList<>();
        bad.forEach((why, id) -> messages.add(created(ACME, id, documents.find(ACME, id).orElseThrow().name())));
        messages.add(created(ACME, good, "pelicans.md"));
        messages.add(created(ACME, csv, "tickets.csv"));
        SQSBatchResponse response = handler.handleRequest(batch(messages.toArray(SQSEvent.SQSMessage[]::new)), null);

        assertThat(response.getBatchItemFailures()).as("the queue keeps moving").isEmpty();
        Map<String, String> expected = Map.of(
                "corrupt PDF", "not a readable PDF",
                "encrypted PDF", "password-protected",
                "zip bomb", "zip bomb",
                "binary named .txt", "does not look like text",
                "empty", "empty",
                "200 MB", "the limit is 1048576 bytes");
        bad.forEach((why, id) -> {
            DocumentRecord d = documents.find(ACME, id).orElseThrow();
            assertThat(d.status()).as(why).isEqualTo(DocumentStatus.FAILED);
            assertThat(d.reason()).as(why).contains(d.name()).contains(expected.get(why));
            assertThat(d.chunks()).isZero();
        });
        assertThat(s3.bodyReads).as("the 200 MB object's bytes are never read").doesNotContainKey(bad.get("200 MB").value());

        assertThat(documents.find(ACME, good).orElseThrow().status()).isEqualTo(DocumentStatus.INDEXED);
        DocumentRecord tickets = documents.find(ACME, csv).orElseThrow();
        assertThat(tickets.status()).isEqualTo(DocumentStatus.INDEXED);
        assertThat(tickets.chunks()).isEqualTo(2);
        assertThat(tickets.warnings()).first().isEqualTo("1 of 3 records were not indexed");
        assertThat(tickets.warnings()).anySatisfy(w -> assertThat(w).startsWith("line 3: unbalanced quote"));

        assertThat(texts(ACME, keep)).isEqualTo(before);
        assertThat(documentIds(ACME, "anything")).doesNotContainAnyElementsOf(bad.values().stream().map(DocumentId::value).toList());
        assertThat(documentIds(GLOBEX, "otters urchins")).containsExactly(globex.value());
    }

    @Test
    void aRedeliveredMessageIsANoOpAndATransientFailureIsRetriedAlone() {
        DocumentId a = upload(ACME, "a.txt", "Alpha document about herons.".getBytes(StandardCharsets.UTF_8));
        DocumentId b = upload(ACME, "b.txt", "Beta document about cranes.".getBytes(StandardCharsets.UTF_8));
        s3.failOnce.add(b.value());

        SQSBatchResponse first = handler.handleRequest(batch(created(ACME, a, "a.txt"), created(ACME, b, "b.txt")), null);
        assertThat(first.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("m1");
        assertThat(documents.find(ACME, a).orElseThrow().status()).isEqualTo(DocumentStatus.INDEXED);
        assertThat(documents.find(ACME, b).orElseThrow().status()).isEqualTo(DocumentStatus.QUEUED);

        Instant indexedAt = documents.find(ACME, a).orElseThrow().updatedAt();
        assertThat(handler.handleRequest(batch(created(ACME, a, "a.txt"), created(ACME, b, "b.txt")), null)
                .getBatchItemFailures()).isEmpty();
        assertThat(documents.find(ACME, b).orElseThrow().status()).isEqualTo(DocumentStatus.INDEXED);
        assertThat(documents.find(ACME, a).orElseThrow().updatedAt()).isEqualTo(indexedAt);
        assertThat(s3.bodyReads.get(a.value())).isEqualTo(1);
    }

    @Test
    void removedObjectsLoseTheirChunksAndADocumentDeletedMidIngestDoesNotComeBack() {
        DocumentId a = upload(ACME, "herons.txt", "Herons stand still in shallow water.".getBytes(StandardCharsets.UTF_8));
        DocumentId b = upload(ACME, "cranes.txt", "Cranes dance in the spring.".getBytes(StandardCharsets.UTF_8));
        handler.handleRequest(batch(created(ACME, a, "herons.txt"), created(ACME, b, "cranes.txt")), null);
        assertThat(documentIds(ACME, "herons cranes")).containsExactlyInAnyOrder(a.value(), b.value());

        documents.delete(ACME, a);
        handler.handleRequest(batch(removed(ACME, a, "herons.txt")), null);
        assertThat(documentIds(ACME, "herons cranes")).containsExactly(b.value());

        // The record is deleted after the worker has read it, while the document is being indexed.
        DocumentId late = upload(ACME, "storks.txt", "Storks nest on chimneys.".getBytes(StandardCharsets.UTF_8));
        IngestHandler racing = new IngestHandler(new IngestWorker(s3, documents, new DeletingKnowledgeBase(knowledge, documents), LIMIT, CLOCK));
        assertThat(racing.handleRequest(batch(created(ACME, late, "storks.txt")), null).getBatchItemFailures()).isEmpty();
        assertThat(documents.find(ACME, late)).isEmpty();
        assertThat(documentIds(ACME, "storks chimneys")).doesNotContain(late.value());
    }

    @Test
    void newBytesUnderTheSameNameReplaceTheDocumentsChunks() {
        DocumentId id = uploadHashed(ACME, "policy.txt", "Refunds are paid within fourteen days.");
        handler.handleRequest(batch(created(ACME, id, "policy.txt")), null);
        assertThat(documentIds(ACME, "refunds fourteen")).containsExactly(id.value());

        reupload(ACME, id, "policy.txt", "Refunds are paid within thirty days by bank transfer.");
        // until the new version is indexed, retrieval still finds the previous one
        assertThat(documentIds(ACME, "fourteen")).containsExactly(id.value());
        assertThat(handler.handleRequest(batch(created(ACME, id, "policy.txt")), null).getBatchItemFailures()).isEmpty();
        assertThat(texts(ACME, "refunds paid")).singleElement().asString().contains("thirty days").doesNotContain("fourteen");
        DocumentRecord replaced = documents.find(ACME, id).orElseThrow();
        assertThat(replaced.status()).isEqualTo(DocumentStatus.INDEXED);
        assertThat(replaced.contentHash()).isEqualTo(DocumentRecord.contentHashOf(bytes("Refunds are paid within thirty days by bank transfer.")));

        // unreadable new bytes: FAILED, and the previous version stays searchable
        reupload(ACME, id, "policy.txt", "\u0000\u0001\u0002 binary \u0000\u0003 named as text \u0000");
        handler.handleRequest(batch(created(ACME, id, "policy.txt")), null);
        DocumentRecord failed = documents.find(ACME, id).orElseThrow();
        assertThat(failed.status()).isEqualTo(DocumentStatus.FAILED);
        assertThat(failed.reason()).contains("previous version (1 chunk) is still indexed");
        assertThat(texts(ACME, "refunds paid")).singleElement().asString().contains("thirty days");
    }

    @Test
    void aWorkerThatIndexedAnOlderVersionPutsTheNewerOneBack() {
        DocumentId id = uploadHashed(ACME, "prices.txt", "The basic plan costs nine euros.");
        // While version 1 is being indexed, version 2 is uploaded and indexed by another worker first.
        KnowledgeBase racing = new RacingKnowledgeBase(knowledge, () -> {
            reupload(ACME, id, "prices.txt", "The basic plan costs twelve euros from March.");
            handler.handleRequest(batch(created(ACME, id, "prices.txt")), null);
        });
        IngestHandler slow = new IngestHandler(new IngestWorker(s3, documents, racing, LIMIT, CLOCK));
        assertThat(slow.handleRequest(batch(created(ACME, id, "prices.txt")), null).getBatchItemFailures()).isEmpty();

        assertThat(texts(ACME, "basic plan costs")).singleElement().asString().contains("twelve euros").doesNotContain("nine");
        DocumentRecord d = documents.find(ACME, id).orElseThrow();
        assertThat(d.status()).isEqualTo(DocumentStatus.INDEXED);
        assertThat(d.contentHash()).isEqualTo(DocumentRecord.contentHashOf(bytes("The basic plan costs twelve euros from March.")));
    }

    @Test
    void anEventForBytesTheRecordDoesNotDescribeIsLeftToItsOwnEvent() {
        DocumentId id = uploadHashed(ACME, "notes.txt", "Version one of the notes.");
        // the record already describes version 2, but the object still holds version 1
        documents.put(documents.find(ACME, id).orElseThrow().requeued(10, key(ACME, id, "notes.txt"),
                DocumentRecord.contentHashOf(bytes("Version two of the notes.")), null, CLOCK.instant()));
        handler.handleRequest(batch(created(ACME, id, "notes.txt")), null);
        assertThat(documents.find(ACME, id).orElseThrow().status()).isEqualTo(DocumentStatus.QUEUED);
        assertThat(documentIds(ACME, "version notes")).isEmpty();

        s3.objects.put(key(ACME, id, "notes.txt"), bytes("Version two of the notes."));
        s3.sizes.put(key(ACME, id, "notes.txt"), (long) bytes("Version two of the notes.").length);
        handler.handleRequest(batch(created(ACME, id, "notes.txt")), null);
        assertThat(texts(ACME, "version notes")).singleElement().asString().contains("Version two");
    }

    @Test
    void aBatchIsIndexedWithOneWritePerTenantAndAnIndexFailureRetriesOnlyThatTenantsMessages() {
        DocumentId a1 = upload(ACME, "a1.txt", bytes("Acme herons wade in marshes."));
        DocumentId a2 = upload(ACME, "a2.txt", bytes("Acme cranes nest in reeds."));
        DocumentId g1 = upload(GLOBEX, "g1.txt", bytes("Globex storks fly south."));
        List<String> batches = new java.util.concurrent.CopyOnWriteArrayList<>();
        KnowledgeBase recording = new Delegating(knowledge) {
            @Override
            public List<dev.steward.rag.IngestOutcome> ingestAll(TenantId tenant, List<dev.steward.rag.SourceDocument> sources) {
                batches.add(tenant.value() + ":" + sources.size());
                if (tenant.equals(GLOBEX)) {
                    throw new IllegalStateException("embedding service unavailable");
                }
                return knowledge.ingestAll(tenant, sources);
            }

        };
        IngestHandler batching = new IngestHandler(new IngestWorker(s3, documents, recording, LIMIT, CLOCK));

        SQSBatchResponse response = batching.handleRequest(batch(created(ACME, a1, "a1.txt"), created(GLOBEX, g1, "g1.txt"),
                created(ACME, a2, "a2.txt")), null);

        assertThat(batches).containsExactly("acme:2", "globex:1");
        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier).containsExactly("m1");
        assertThat(documents.find(ACME, a1).orElseThrow().status()).isEqualTo(DocumentStatus.INDEXED);
        assertThat(documents.find(ACME, a2).orElseThrow().status()).isEqualTo(DocumentStatus.INDEXED);
        assertThat(documents.find(GLOBEX, g1).orElseThrow().status()).isEqualTo(DocumentStatus.QUEUED);
        assertThat(documentIds(ACME, "herons cranes")).containsExactlyInAnyOrder(a1.value(), a2.value());
    }

    // --- fixtures ---

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** An upload as the API records it: with the content hash. */
    private DocumentId uploadHashed(TenantId tenant, String name, String text) {
        DocumentId id = DocumentId.random();
        String key = key(tenant, id, name);
        s3.objects.put(key, bytes(text));
        s3.sizes.put(key, (long) bytes(text).length);
        documents.put(DocumentRecord.queued(tenant, id, name, bytes(text).length, key, DocumentRecord.contentHashOf(bytes(text)), null, CLOCK.instant()));
        return id;
    }

    /** New bytes under the document's name, as the API does: the record first, then the object. */
    private void reupload(TenantId tenant, DocumentId id, String name, String text) {
        String key = key(tenant, id, name);
        documents.put(documents.find(tenant, id).orElseThrow()
                .requeued(bytes(text).length, key, DocumentRecord.contentHashOf(bytes(text)), null, CLOCK.instant()));
        s3.objects.put(key, bytes(text));
        s3.sizes.put(key, (long) bytes(text).length);
    }

    private List<String> texts(TenantId tenant, String query) {
        return knowledge.retrieve(tenant, query, 10).stream().map(RetrievedChunk::text).toList();
    }

    /** Runs {@code meanwhile} after indexing the first version, before the worker records the outcome. */
    static final class RacingKnowledgeBase extends Delegating {
        private Runnable meanwhile;

        RacingKnowledgeBase(HybridKnowledgeBase delegate, Runnable meanwhile) {
            super(delegate);
            this.meanwhile = meanwhile;
        }

        @Override
        public dev.steward.rag.IngestResult ingest(TenantId tenant, dev.steward.rag.SourceDocument source) {
            dev.steward.rag.IngestResult result = delegate.ingest(tenant, source);
            Runnable once = meanwhile;
            meanwhile = null;
            if (once != null) {
                once.run();
                delegate.ingest(tenant, source); // this worker's (older) chunks land after the newer version's
            }
            return result;
        }
    }

    /** A knowledge base passing everything to {@code delegate}; tests override what they race or record. */
    static class Delegating implements KnowledgeBase {
        final HybridKnowledgeBase delegate;

        Delegating(HybridKnowledgeBase delegate) {
            this.delegate = delegate;
        }

        @Override
        public dev.steward.rag.IngestResult ingest(TenantId tenant, dev.steward.rag.SourceDocument source) {
            return delegate.ingest(tenant, source);
        }

        @Override
        public void delete(TenantId tenant, DocumentId document) {
            delegate.delete(tenant, document);
        }

        @Override
        public List<RetrievedChunk> retrieve(TenantId tenant, String query, int topK, dev.steward.core.knowledge.RetrievalFilter filter) {
            return delegate.retrieve(tenant, query, topK, filter);
        }

        @Override
        public void close() {}
    }


    private DocumentId upload(TenantId tenant, String name, byte[] bytes) {
        DocumentId id = DocumentId.random();
        String key = key(tenant, id, name);
        s3.objects.put(key, bytes);
        s3.sizes.put(key, (long) bytes.length);
        documents.put(DocumentRecord.queued(tenant, id, name, bytes.length, key, null, null, CLOCK.instant()));
        return id;
    }

    /** An object that claims a size without holding its bytes: reading its body fails the test. */
    private DocumentId declare(TenantId tenant, String name, long size) {
        DocumentId id = DocumentId.random();
        String key = key(tenant, id, name);
        s3.sizes.put(key, size);
        documents.put(DocumentRecord.queued(tenant, id, name, size, key, null, null, CLOCK.instant()));
        return id;
    }

    private static String key(TenantId tenant, DocumentId id, String name) {
        return "tenants/" + tenant.value() + "/documents/" + id.value() + "/" + name;
    }

    private static SQSEvent.SQSMessage created(TenantId tenant, DocumentId id, String name) {
        return message("ObjectCreated:Put", key(tenant, id, name));
    }

    private static SQSEvent.SQSMessage removed(TenantId tenant, DocumentId id, String name) {
        return message("ObjectRemoved:DeleteMarkerCreated", key(tenant, id, name));
    }

    private static SQSEvent.SQSMessage message(String eventName, String key) {
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setBody("{\"Records\":[{\"eventName\":\"" + eventName + "\",\"s3\":{\"bucket\":{\"name\":\"uploads\"},"
                + "\"object\":{\"key\":\"" + key + "\"}}}]}");
        return m;
    }

    private static SQSEvent batch(SQSEvent.SQSMessage... messages) {
        for (int i = 0; i < messages.length; i++) {
            messages[i].setMessageId("m" + i);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(messages));
        return event;
    }

    /** The document's chunks, as retrieval returns them. */
    private List<String> texts(TenantId tenant, DocumentId document) {
        return knowledge.retrieve(tenant, "otters kelp forests", 100).stream()
                .filter(c -> c.documentId().equals(document.value()))
                .map(c -> c.chunkId() + "|" + c.text()).sorted().toList();
    }

    private List<String> documentIds(TenantId tenant, String query) {
        return knowledge.retrieve(tenant, query, 100).stream().map(RetrievedChunk::documentId).distinct().toList();
    }

    private static byte[] encryptedPdf() throws IOException {
        try (PDDocument pdf = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage();
            pdf.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(pdf, page)) {
                content.beginText();
                content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                content.showText("Salaries 2026");
                content.endText();
            }
            StandardProtectionPolicy policy = new StandardProtectionPolicy("owner", "user", new AccessPermission());
            policy.setEncryptionKeyLength(128);
            pdf.protect(policy);
            pdf.save(out);
            return out.toByteArray();
        }
    }

    private static byte[] zipBomb() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("word/document.xml"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 32; i++) {
                zip.write(zeros);
            }
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    /** Words hashed into 64 dimensions: deterministic, and similar texts share dimensions. */
    static final class WordHashEmbedder implements Embedder {
        @Override
        public float[] embed(String text) {
            float[] v = new float[64];
            for (String word : text.toLowerCase().split("\\W+")) {
                if (!word.isEmpty()) {
                    v[Math.floorMod(word.hashCode(), 64)] += 1;
                }
            }
            v[0] += 0.001f;
            return v;
        }

        @Override
        public List<float[]> embedAll(List<String> texts) {
            return texts.stream().map(this::embed).collect(Collectors.toList());
        }

        @Override
        public int dimension() {
            return 64;
        }

        @Override
        public String id() {
            return "word-hash-64";
        }
    }

    /** Deletes the document's record while indexing it, as a DELETE racing the worker would. */
    static final class DeletingKnowledgeBase extends Delegating {
        private final DocumentStore documents;

        DeletingKnowledgeBase(HybridKnowledgeBase delegate, DocumentStore documents) {
            super(delegate);
            this.documents = documents;
        }

        @Override
        public dev.steward.rag.IngestResult ingest(TenantId tenant, dev.steward.rag.SourceDocument source) {
            dev.steward.rag.IngestResult result = delegate.ingest(tenant, source);
            documents.delete(tenant, source.id());
            return result;
        }
    }

    /** Objects by key with their sizes; counts body reads; can fail a key's next read once (a transient error). */
    static final class FakeS3 implements S3Client {
        final Map<String, byte[]> objects = new ConcurrentHashMap<>();
        final Map<String, Long> sizes = new ConcurrentHashMap<>();
        final Map<String, Integer> bodyReads = new ConcurrentHashMap<>();
        final List<String> failOnce = new ArrayList<>();

        @Override
        public HeadObjectResponse headObject(HeadObjectRequest request) {
            Long size = sizes.get(request.key());
            if (size == null) {
                throw NoSuchKeyException.builder().message("no such key").build();
            }
            return HeadObjectResponse.builder().contentLength(size).build();
        }

        @Override
        public <T> T getObject(GetObjectRequest request, ResponseTransformer<GetObjectResponse, T> transformer) {
            String docId = request.key().split("/")[3];
            if (failOnce.remove(docId)) {
                throw SdkClientException.create("connection reset");
            }
            byte[] bytes = objects.get(request.key());
            if (bytes == null) {
                throw NoSuchKeyException.builder().message("no such key").build();
            }
            bodyReads.merge(docId, 1, Integer::sum);
            try {
                return transformer.transform(GetObjectResponse.builder().contentLength((long) bytes.length).build(),
                        AbortableInputStream.create(new ByteArrayInputStream(bytes)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String serviceName() {
            return "s3";
        }

        @Override
        public void close() {}
    }
}
