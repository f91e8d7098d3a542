package dev.steward.function.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.json.Json;
import dev.steward.core.knowledge.DocumentId;
import dev.steward.core.knowledge.DocumentStatus;
import dev.steward.core.tenant.TenantId;
import dev.steward.rag.DocumentRejectedException;
import dev.steward.rag.IngestOutcome;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
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
 * Ingests the objects named in a batch of S3 event notifications (each tenant's documents written to the index at
 * once), and removes the chunks of objects that were deleted.
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

    /** One SQS message of a batch: its id (for a partial batch failure) and its body (an S3 event). */
    public record Message(String id, String body) {}

    /**
     * Processes a batch of messages and returns the ids of those to retry (a transient failure while handling them).
     * Each object is checked and read on its own; then each tenant's documents are parsed, embedded and indexed with
     * one write to the index ({@link KnowledgeBase#ingestAll}), and each document's outcome is recorded on its own.
     * A document that cannot be read fails alone; a failure of the embedder or the index retries the messages of
     * that tenant's documents only.
     */
    public List<String> processBatch(List<Message> messages) {
        Set<String> retry = new LinkedHashSet<>();
        Map<TenantId, Map<DocumentId, Pending>> byTenant = new LinkedHashMap<>();
        for (Message message : messages) {
            try {
                for (Pending p : pendingOf(message)) {
                    byTenant.computeIfAbsent(p.tenant(), t -> new LinkedHashMap<>())
                            .merge(p.id(), p, (earlier, later) -> later.alsoFor(earlier.messageIds()));
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "message " + message.id() + " will be retried", e);
                retry.add(message.id());
            }
        }
        for (Map.Entry<TenantId, Map<DocumentId, Pending>> tenant : byTenant.entrySet()) {
            List<Pending> pending = List.copyOf(tenant.getValue().values());
            List<IngestOutcome> outcomes;
            try {
                outcomes = knowledge.ingestAll(tenant.getKey(), pending.stream().map(Pending::source).toList());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "indexing " + pending.size() + " document(s) of " + tenant.getKey() + " failed; their messages will be retried", e);
                pending.forEach(p -> retry.addAll(p.messageIds()));
                continue;
            }
            for (int i = 0; i < pending.size(); i++) {
                Pending p = pending.get(i);
                try {
                    settle(p.bucket(), p.tenant(), p.id(), p.doc(), outcomes.get(i), REPLACEMENT_ROUNDS);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "recording the outcome of " + p.id() + " failed; its message(s) will be retried", e);
                    retry.addAll(p.messageIds());
                }
            }
        }
        return List.copyOf(retry);
    }

    /** A document whose bytes were read and checked, waiting to be indexed with the rest of its tenant's batch. */
    private record Pending(String bucket, TenantId tenant, DocumentId id, DocumentRecord doc, SourceDocument source, Set<String> messageIds) {
        Pending alsoFor(Set<String> more) {
            Set<String> all = new LinkedHashSet<>(messageIds);
            all.addAll(more);
            return new Pending(bucket, tenant, id, doc, source, all);
        }
    }

    /** The documents of one message ready to index; removals and documents that end here are handled at once. */
    private List<Pending> pendingOf(Message message) {
        JsonNode event = Json.tree(message.body());
        if ("s3:TestEvent".equals(event.path("Event").asText())) {
            return List.of();
        }
        List<Pending> out = new ArrayList<>();
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
                continue;
            }
            Optional<DocumentRecord> doc = documents.find(tenant, id);
            if (doc.isEmpty()) {
                LOG.warning("no document record for " + key + "; ignoring");
            } else if (doc.get().status() == DocumentStatus.QUEUED) {
                readChecked(bucket, key, tenant, id, doc.get())
                        .ifPresent(source -> out.add(new Pending(bucket, tenant, id, doc.get(), source, Set.of(message.id()))));
            } // else a redelivered message for a document already settled
        }
        return out;
    }

    /** The object is gone: its chunks go too, and a record that still exists says why it has none. */
    private void removed(TenantId tenant, DocumentId id) {
        knowledge.delete(tenant, id);
        documents.find(tenant, id)
                .filter(d -> d.status() != DocumentStatus.FAILED)
                .ifPresent(d -> documents.update(d.failed("the stored file was removed", clock.instant())));
    }

    /**
     * How often a worker that indexed a version which a newer upload under the same name had already replaced and
     * indexed puts the newer version back (a newer upload meanwhile starts another round); beyond that the message is
     * retried.
     */
    private static final int REPLACEMENT_ROUNDS = 3;

    /**
     * The object's bytes as the document's source, or empty when the document ends here: the object is gone or over
     * the limit (FAILED), its stored mapping is invalid (FAILED), or it holds other bytes than the record describes
     * (a newer upload under the same name, whose own event ingests it; the API writes the record before the object).
     */
    private Optional<SourceDocument> readChecked(String bucket, String key, TenantId tenant, DocumentId id, DocumentRecord doc) {
        long size;
        try {
            size = s3.headObject(b -> b.bucket(bucket).key(key)).contentLength();
        } catch (NoSuchKeyException gone) {
            documents.update(doc.failed("the uploaded file is no longer in storage", clock.instant()));
            return Optional.empty();
        }
        if (size > maxObjectBytes) {
            documents.update(doc.failed(tooLarge(doc.name(), size), clock.instant()));
            return Optional.empty();
        }
        byte[] bytes = read(bucket, key);
        if (bytes.length > maxObjectBytes) {
            documents.update(doc.failed(tooLarge(doc.name(), bytes.length), clock.instant()));
            return Optional.empty();
        }
        if (doc.contentHash() != null && !doc.contentHash().equals(DocumentRecord.contentHashOf(bytes))) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SourceDocument(id, doc.name(), bytes, options(doc)));
        } catch (DocumentRejectedException e) {
            documents.update(doc.failed(e.getMessage(), clock.instant()));
            return Optional.empty();
        }
    }

    /** Records what indexing did with one document, only while its record still describes the bytes indexed. */
    private void settle(String bucket, TenantId tenant, DocumentId id, DocumentRecord doc, IngestOutcome indexed, int rounds) {
        DocumentRecord outcome = switch (indexed) {
            case IngestOutcome.Ingested in -> doc.indexed(in.result().title(), in.result().chunks(), in.result().warnings(), clock.instant());
            case IngestOutcome.Rejected r -> doc.failed(r.reason().getMessage(), clock.instant());
        };
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
                    Optional<SourceDocument> again = readChecked(bucket, newer.objectKey(), tenant, id, newer);
                    if (again.isPresent()) {
                        settle(bucket, tenant, id, newer, knowledge.ingestAll(tenant, List.of(again.get())).getFirst(), rounds - 1);
                    }
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
