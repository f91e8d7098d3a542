package dev.steward.function.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * SQS-driven ingest worker. Each message carries a standard S3 event; each object named in it is ingested by
 * {@link IngestWorker}. A message whose ingestion failed transiently is reported as a batch item failure, so SQS
 * redelivers it (and moves it to the DLQ after the queue's maxReceiveCount); documents that can never be read are
 * marked FAILED and their message is acknowledged, so the queue keeps moving.
 */
public final class IngestHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final Logger LOG = Logger.getLogger(IngestHandler.class.getName());
    private final IngestWorker worker;

    public IngestHandler() {
        this(IngestWorker.fromEnvironment(System.getenv()));
    }

    public IngestHandler(IngestWorker worker) {
        this.worker = worker;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            try {
                worker.process(message.getBody());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "message " + message.getMessageId() + " will be retried", e);
                failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(message.getMessageId()).build());
            }
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }
}
