package dev.steward.function.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.json.Json;
import dev.steward.core.knowledge.DocumentId;
import dev.steward.core.knowledge.DocumentStatus;
import dev.steward.core.tenant.TenantId;
import dev.steward.rag.DocumentRejectedException;
import dev.steward.rag.IngestResult;
import dev.steward.rag.KnowledgeBase;
import dev.steward.rag.KnowledgeBases;
import dev.steward.rag.SourceDocument;
import dev.steward.rag.load.LoadOptions;
import dev.steward.core.knowledge.RecordMapping;
import dev.steward.store.Stores;
import dev.steward.store.document.DocumentRecord;
import dev.steward.store.document.DocumentStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Ingests the objects named in one S3 event notification, and removes the chunks of objects that were deleted.
 *
 * <p>A document is ingested only while its record is QUEUED (a redelivered message is a no-op). An object larger
 * than {@code maxObjectBytes} is refused by its size before any byte is read. Bytes that cannot be read (corrupt,
 * encrypted, empty, a zip bomb, binary named as text) end the document FAILED with the loader's reason; a CSV or
 * JSON export with some broken records ends INDEXED with warnings naming them. A document deleted while it was being
 * ingested has its chunks removed again. Failures of the store, the object store or the index throw, so the message
 * is retried; other documents are never touched.
 */
public final class IngestWorker {
    private static final Logger LOG = Logger.getLogger(IngestWorker.class.getName());
    private static final Pattern KEY = Pattern.compile("tenants/([a-z][a-z0-9-]{1,39})/documents/(doc_[A-Za-z0-9]{8,40})/(.+)");
    /** The API's default upload limit. */
    public static final long DEFAULT_MAX_OBJECT_BYTES = 20L * 1024 * 1024;

    private final S3Client s3;
    private final DocumentStore documents;
    private final KnowledgeBase knowledge;
    private final long maxObjectBytes;
    private final Clock clock;

    public IngestWorker(S3Client s3, DocumentStore documents, KnowledgeBase knowledge, long maxObjectBytes, Clock clock) {
        if (maxObjectBytes < 1) {
            throw new IllegalArgumentException("maxObjectBytes must be positive");
        }
        this.s3 = s3;
        this.documents = documents;
        this.knowledge = knowledge;
        this.maxObjectBytes = maxObjectBytes;
        this.clock = clock;
    }

    /** On AWS: {@code TABLE_NAME}, optional {@code KNOWLEDGE_DIR} and {@code MAX_UPLOAD_BYTES} (the API's limit). */
    static IngestWorker fromEnvironment(Map<String, String> env) {
        Stores stores = Stores.fromEnvironment(env);
        return new IngestWorker(S3Client.builder().httpClient(UrlConnectionHttpClient.create()).build(), stores.documents(),
                KnowledgeBases.fromEnvironment(env, Path.of(env.getOrDefault("KNOWLEDGE_DIR", "/tmp/steward-index"))),
                Long.parseLong(env.getOrDefault("MAX_UPLOAD_BYTES", Long.toString(DEFAULT_MAX_OBJECT_BYTES))),
                Clock.systemUTC());
    }

    /** Processes one SQS message body. Throws only for failures worth retrying. */
    public void process(String messageBody) {
        JsonNode event = Json.tree(messageBody);
        if ("s3:TestEvent".equals(event.path("Event").asText())) {
            return;
        }
        for (JsonNode record : event.path("Records")) {
            String bucket = record.path("s3").path("bucket").path("name").asText();
            // S3 URL-encodes keys in notifications (spaces become '+').
            String key = URLDecoder.decode(record.path("s3").path("object").path("key").asText(), StandardCharsets.UTF_8);
            Matcher m = KEY.matcher(key);
            if (!m.matches()) {
                LOG.warning("ignoring object outside the documents layout: " + key);
                continue;
            }
            TenantId tenant = TenantId.of(m.group(1));
            DocumentId id = new DocumentId(m.group(2));
            if (record.path("eventName").asText().startsWith("ObjectRemoved")) {
                removed(tenant, id);
            } else {
                ingestObject(bucket, key, tenant, id);
            }
        }
    }

    /** The object is gone: its chunks go too, and a record that still exists says why it has none. */
    private void removed(TenantId tenant, DocumentId id) {
        knowledge.delete(tenant, id);
        documents.find(tenant, id)
                .filter(d -> d.status() != DocumentStatus.FAILED)
                .ifPresent(d -> documents.update(d.failed("the stored file was removed", clock.instant())));
    }

    private void ingestObject(String bucket, String key, TenantId tenant, DocumentId id) {
        Optional<DocumentRecord> record = documents.find(tenant, id);
        if (record.isEmpty()) {
            LOG.warning("no document record for " + key + "; ignoring");
            return;
        }
        DocumentRecord doc = record.get();
        if (doc.status() != DocumentStatus.QUEUED) {
            return; // a redelivered message for a document already settled
        }
        ingest(bucket, key, tenant, id, doc, REPLACEMENT_ROUNDS);
    }

    /**
     * How often a worker that indexed a version which a newer upload under the same name had already replaced and
     * indexed puts the newer version back (a newer upload meanwhile starts another round); beyond that the message is
     * retried.
     */
    private static final int REPLACEMENT_ROUNDS = 3;

    private void ingest(String bucket, String key, TenantId tenant, DocumentId id, DocumentRecord doc, int rounds) {
        long size;
        try {
            size = s3.headObject(b -> b.bucket(bucket).key(key)).contentLength();
        } catch (NoSuchKeyException gone) {
            documents.update(doc.failed("the uploaded file is no longer in storage", clock.instant()));
            return;
        }
        if (size > maxObjectBytes) {
            documents.update(doc.failed(tooLarge(doc.name(), size), clock.instant()));
            return;
        }
        byte[] bytes = read(bucket, key);
        if (bytes.length > maxObjectBytes) {
            documents.update(doc.failed(tooLarge(doc.name(), bytes.length), clock.instant()));
            return;
        }
        if (doc.contentHash() != null && !doc.contentHash().equals(DocumentRecord.contentHashOf(bytes))) {
            // The object holds other bytes than this record describes: a newer upload under the same name. Its own
            // event ingests it (the API writes the record before the object, so that event sees the newer record).
            return;
        }
        DocumentRecord outcome;
        try {
            IngestResult result = knowledge.ingest(tenant, new SourceDocument(id, doc.name(), bytes, options(doc)));
            outcome = doc.indexed(result.title(), result.chunks(), result.warnings(), clock.instant());
        } catch (DocumentRejectedException e) {
            outcome = doc.failed(e.getMessage(), clock.instant());
        }
        switch (documents.updateIfSameBytes(outcome, doc.contentHash())) {
            case UPDATED -> { }
            case DELETED -> knowledge.delete(tenant, id); // deleted while it was being indexed
            case REPLACED -> {
                // A newer upload replaced the record while this version was indexed. If that newer version is already
                // indexed, these chunks just overwrote it: index it again. If it is still queued, its event will.
                DocumentRecord newer = documents.find(tenant, id).orElse(null);
                if (newer != null && newer.status() == DocumentStatus.INDEXED) {
                    if (rounds <= 0) {
                        throw new IllegalStateException("document " + id + " kept changing while it was indexed; retrying");
                    }
                    ingest(bucket, newer.objectKey(), tenant, id, newer, rounds - 1);
                }
            }
        }
    }


    private byte[] read(String bucket, String key) {
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key))) {
            return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxObjectBytes + 1));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + key + ": " + e.getMessage(), e);
        }
    }

    private static LoadOptions options(DocumentRecord doc) {
        if (doc.mapping() == null) {
            return LoadOptions.DEFAULTS;
        }
        try {
            return LoadOptions.withMapping(RecordMapping.parse(doc.mapping()));
        } catch (IllegalArgumentException e) {
            throw new DocumentRejectedException("invalid_mapping", "the stored field mapping is invalid: " + e.getMessage());
        }
    }

    private String tooLarge(String name, long size) {
        return "'" + name + "' is " + size + " bytes; the limit is " + maxObjectBytes + " bytes (document_too_large)";
    }
}
