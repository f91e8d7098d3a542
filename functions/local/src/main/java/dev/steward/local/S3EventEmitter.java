package dev.steward.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.core.json.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Does what S3's event notification does on AWS, which no local S3 store does: after every successful PutObject
 * it sends the standard {@code ObjectCreated:Put} event JSON to the ingest queue, and after every DeleteObject an
 * {@code ObjectRemoved:Delete} event.
 */
final class S3EventEmitter implements ExecutionInterceptor {
    private final SqsClient sqs;
    private final String queueUrl;
    private final AtomicLong sequencer = new AtomicLong(System.currentTimeMillis());

    S3EventEmitter(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof PutObjectRequest put && context.response() instanceof PutObjectResponse response) {
            long size = context.httpRequest().firstMatchingHeader("Content-Length").map(Long::parseLong).orElse(-1L);
            sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(
                    event("ObjectCreated:Put", put.bucket(), put.key(), size, response.eTag())));
        } else if (context.request() instanceof DeleteObjectRequest delete && context.response() instanceof DeleteObjectResponse) {
            sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(event("ObjectRemoved:Delete", delete.bucket(), delete.key(), 0, null)));
        }
    }

    /** Sends the event S3 sends after a PutObject of {@code key} ({@code size} bytes), without a put. */
    void created(String bucket, String key, long size) {
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(event("ObjectCreated:Put", bucket, key, size, null)));
    }

    String event(String eventName, String bucket, String key, long size, String eTag) {
        ObjectNode root = Json.object();
        ObjectNode r = root.putArray("Records").addObject();
        r.put("eventVersion", "2.1").put("eventSource", "aws:s3").put("awsRegion", "us-east-1")
                .put("eventTime", Instant.now().toString()).put("eventName", eventName);
        r.putObject("userIdentity").put("principalId", "local");
        r.putObject("requestParameters").put("sourceIPAddress", "127.0.0.1");
        r.putObject("responseElements");
        ObjectNode s3 = r.putObject("s3");
        s3.put("s3SchemaVersion", "1.0").put("configurationId", "steward-ingest");
        s3.putObject("bucket").put("name", bucket).put("arn", "arn:aws:s3:::" + bucket)
                .putObject("ownerIdentity").put("principalId", "local");
        s3.putObject("object")
                .put("key", URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/"))
                .put("size", size)
                .put("eTag", eTag == null ? "" : eTag.replace("\"", ""))
                .put("sequencer", Long.toHexString(sequencer.incrementAndGet()).toUpperCase());
        return Json.write(root);
    }
}
