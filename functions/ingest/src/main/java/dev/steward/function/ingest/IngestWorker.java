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
import dev.steward.store.Stores;
import dev.steward.store.document.DocumentRecord;
import dev.steward.store.document.DocumentStore;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

/** Ingests the objects named in one S3 event notification. */
public final class IngestWorker {
    private static final Logger LOG = Logger.getLogger(IngestWorker.class.getName());
    private static final Pattern KEY = Pattern.compile("tenants/([a-z][a-z0-9-]{1,39})/documents/(doc_[A-Za-z0-9]{8,40})/(.+)");

    private final S3Client s3;
    private final DocumentStore documents;
    private final KnowledgeBase knowledge;
    private final Clock clock;

    public IngestWorker(S3Client s3, DocumentStore documents, KnowledgeBase knowledge, Clock clock) {
        this.s3 = s3;
        this.documents = documents;
        this.knowledge = knowledge;
        this.clock = clock;
    }

    static IngestWorker fromEnvironment(Map<String, String> env) {
        Stores stores = Stores.fromEnvironment(env);
        return new IngestWorker(S3Client.builder().httpClient(UrlConnectionHttpClient.create()).build(), stores.documents(),
                KnowledgeBases.fromEnvironment(env, Path.of(env.getOrDefault("KNOWLEDGE_DIR", "/tmp/steward-index"))), Clock.systemUTC());
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
            ingestObject(bucket, key);
        }
    }

    private void ingestObject(String bucket, String key) {
        Matcher m = KEY.matcher(key);
        if (!m.matches()) {
            LOG.warning("ignoring object outside the documents layout: " + key);
            return;
        }
        TenantId tenant = TenantId.of(m.group(1));
        DocumentId id = new DocumentId(m.group(2));
        Optional<DocumentRecord> record = documents.find(tenant, id);
        if (record.isEmpty()) {
            LOG.warning("no document record for " + key + "; ignoring");
            return;
        }
        DocumentRecord doc = record.get();
        if (doc.status() != DocumentStatus.QUEUED) {
            return; // a redelivered message for a document already settled
        }
        byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        try {
            IngestResult result = knowledge.ingest(tenant, id, doc.name(), bytes);
            documents.put(doc.indexed(result.title(), result.chunks(), clock.instant()));
        } catch (DocumentRejectedException e) {
            documents.put(doc.failed(e.getMessage(), clock.instant()));
        }
    }
}
