package dev.steward.function.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.steward.core.runtime.Priming;
import dev.steward.rag.KnowledgeBases;
import java.util.List;

/**
 * SQS-driven ingest worker. Each message carries a standard S3 event; the objects named in a batch's messages are
 * ingested by {@link IngestWorker#processBatch} (each tenant's documents written to the index at once). A message whose ingestion failed transiently is reported as a batch item failure, so SQS
 * redelivers it (and moves it to the DLQ after the queue's maxReceiveCount); documents that can never be read are
 * marked FAILED and their message is acknowledged, so the queue keeps moving.
 */
public final class IngestHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final IngestWorker worker;

    /**
     * Lambda entry: wiring from the environment; the parsers, chunker and in-process embedding model are primed before
     * the SnapStart snapshot ({@link KnowledgeBases#prime}), so a restored environment's first batch does not load them.
     */
    public IngestHandler() {
        this(IngestWorker.fromEnvironment(System.getenv()));
        Priming.beforeSnapshot("IngestHandler", () -> KnowledgeBases.prime(System.getenv()));
    }

    public IngestHandler(IngestWorker worker) {
        this.worker = worker;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<String> retry = worker.processBatch(event.getRecords().stream()
                .map(m -> new IngestWorker.Message(m.getMessageId(), m.getBody())).toList());
        return SQSBatchResponse.builder().withBatchItemFailures(retry.stream()
                .map(id -> SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(id).build()).toList()).build();
    }
}
