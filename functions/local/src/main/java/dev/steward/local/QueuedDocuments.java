package dev.steward.local;

import dev.steward.store.StewardTable;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Hands the ingest queue, once more, every document still QUEUED when local mode starts. ElasticMQ keeps its queues
 * in memory, so the messages of uploads that had not been ingested when local mode stopped are gone, while their
 * records and bytes are kept in the data directory. Each such document gets its {@code ObjectCreated} event again;
 * the worker then indexes it as if the upload had just happened, or fails it with a reason when its bytes are gone.
 * A redelivered event is harmless: the worker ingests a document only while it is QUEUED.
 *
 * <p>This reads the whole table (a scan): right for one machine's data at start-up, never for a shared table on AWS,
 * where SQS keeps the messages.
 */
final class QueuedDocuments {
    private QueuedDocuments() {}

    /** Sends an event for each QUEUED document's object in {@code bucket}; returns how many. */
    static int requeue(DynamoDbClient dynamo, String table, String bucket, S3EventEmitter events) {
        ScanRequest scan = ScanRequest.builder()
                .tableName(table)
                .filterExpression("#sk = :meta AND #status = :queued AND contains(#pk, :doc)")
                .expressionAttributeNames(Map.of("#pk", StewardTable.PK, "#sk", StewardTable.SK, "#status", "status"))
                .expressionAttributeValues(Map.of(
                        ":meta", AttributeValue.fromS("META"),
                        ":queued", AttributeValue.fromS("QUEUED"),
                        ":doc", AttributeValue.fromS("#DOC#")))
                .projectionExpression("objectKey, sizeBytes")
                .build();
        int sent = 0;
        for (Map<String, AttributeValue> item : dynamo.scanPaginator(scan).items()) {
            events.created(bucket, item.get("objectKey").s(), Long.parseLong(item.get("sizeBytes").n()));
            sent++;
        }
        return sent;
    }
}
