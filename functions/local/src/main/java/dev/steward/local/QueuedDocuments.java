package dev.steward.local;

import dev.steward.store.document.DocumentRecord;
import dev.steward.store.document.DocumentStore;

/**
 * Hands the ingest queue, once more, every document still QUEUED when local mode starts. ElasticMQ keeps its queues
 * in memory, so the messages of uploads that had not been ingested when local mode stopped are gone, while their
 * records and bytes are kept in the data directory. Each such document gets its {@code ObjectCreated} event again;
 * the worker then indexes it as if the upload had just happened, or fails it with a reason when its bytes are gone.
 * A redelivered event is harmless: the worker ingests a document only while it is QUEUED.
 *
 * <p>The documents are found by {@link DocumentStore#scanQueued} (a scan): right for one machine's data at start-up,
 * never for a shared table on AWS, where SQS keeps the messages.
 */
final class QueuedDocuments {
    private QueuedDocuments() {}

    /** Sends an event for each QUEUED document's object in {@code bucket}; returns how many. */
    static int requeue(DocumentStore documents, String bucket, S3EventEmitter events) {
        int sent = 0;
        for (DocumentRecord d : documents.scanQueued()) {
            events.created(bucket, d.objectKey(), d.sizeBytes());
            sent++;
        }
        return sent;
    }
}
