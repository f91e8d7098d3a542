package dev.steward.function.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.agent.AgentSteps;
import dev.steward.core.error.RateLimitedException;
import dev.steward.core.error.TransientException;
import dev.steward.core.json.Json;
import dev.steward.core.run.RunPointer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

class StepHandlerTest {
    private static final String POINTER = "{\"tenantId\":\"acme\",\"runId\":\"r-1\",\"segment\":0,\"step\":2,\"outcome\":\"RETRIEVE\"}";

    /** A step that fails as {@code failure} says, so only the handler's translation is under test. */
    static final class FailingStep extends StepHandler {
        private final Supplier<RuntimeException> failure;

        FailingStep(Supplier<RuntimeException> failure) {
            super((AgentSteps) null);
            this.failure = failure;
        }

        @Override
        protected RunPointer apply(AgentSteps steps, RunPointer at, JsonNode event) {
            throw failure.get();
        }
    }

    private static void run(StepHandler handler) throws Exception {
        handler.handleRequest(new ByteArrayInputStream(POINTER.getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(), null);
    }

    @Test
    void throttlingServerErrorsAndAnUnreachableServiceAreRetriedAsTransient() {
        for (Supplier<RuntimeException> failure : List.<Supplier<RuntimeException>>of(
                () -> ProvisionedThroughputExceededException.builder().message("slow down").statusCode(400)
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException").build()).build(),
                () -> DynamoDbException.builder().message("internal").statusCode(500).build(),
                () -> SdkClientException.create("connection refused"))) {
            assertThatThrownBy(() -> run(new FailingStep(failure))).isExactlyInstanceOf(TransientException.class)
                    .hasMessageContaining("FailingStep of run r-1").hasCauseInstanceOf(failure.get().getClass());
        }
    }

    @Test
    void aRequestThatCanNeverSucceedKeepsItsOwnName() {
        assertThatThrownBy(() -> run(new FailingStep(() -> ResourceNotFoundException.builder().message("no table")
                .statusCode(400).build()))).isExactlyInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> run(new FailingStep(() -> new IllegalStateException("bug"))))
                .isExactlyInstanceOf(IllegalStateException.class);
    }

    @Test
    void theStateMachineRetriesWhatTheHandlerThrows() throws Exception {
        JsonNode asl = Json.mapper().readTree(Files.readString(
                Path.of(System.getProperty("steward.home", "../..")).resolve("step-functions/agent-loop.asl.json")));
        assertThat(asl.findValues("ErrorEquals").stream().flatMap(e -> StreamSupport.stream(e.spliterator(), false))
                .map(JsonNode::asText)).contains(TransientException.class.getName());
    }

    @Test
    void everyTaskRetriesAFunctionThatTimedOutOnceAndOnlyOnce() throws Exception {
        JsonNode states = Json.mapper().readTree(Files.readString(Path.of(System.getProperty("steward.home", "../.."))
                .resolve("step-functions/agent-loop.asl.json"))).path("States");
        List<String> tasks = StreamSupport.stream(((Iterable<String>) states::fieldNames).spliterator(), false)
                .filter(name -> states.path(name).path("Type").asText().equals("Task")).toList();
        assertThat(tasks).contains("Plan", "Retrieve", "Act", "Respond", "Verify", "RecordFailure");
        for (String task : tasks) {
            // A function that ran out its time (or memory) is not reported under the exception's class name: Lambda
            // says Sandbox.Timedout (older runtimes Lambda.Unknown). Without a retrier it fell to the catch-all and
            // the run FAILED; a step is safe to run again (conditional commits, idempotent actions), but one that
            // used its whole timeout is retried once, not three times.
            JsonNode timeouts = null;
            for (JsonNode retrier : states.path(task).path("Retry")) {
                List<String> errors = StreamSupport.stream(retrier.path("ErrorEquals").spliterator(), false).map(JsonNode::asText).toList();
                if (errors.contains("Sandbox.Timedout")) {
                    assertThat(errors).as(task).contains("Lambda.Unknown", "States.Timeout");
                    timeouts = retrier;
                }
                if (errors.contains("Lambda.ServiceException")) {
                    assertThat(errors).as(task).contains("Lambda.ClientExecutionTimeoutException");
                }
            }
            assertThat(timeouts).as("%s retries a timed-out function", task).isNotNull();
            assertThat(timeouts.path("MaxAttempts").asInt()).as(task).isEqualTo(1);
        }
    }

    @Test
    void aRateLimitedActIsRetriedOnASlowerScheduleThatOutlastsAVendorsMinute() throws Exception {
        JsonNode retry = Json.mapper().readTree(Files.readString(Path.of(System.getProperty("steward.home", "../.."))
                .resolve("step-functions/agent-loop.asl.json"))).path("States").path("Act").path("Retry");
        // Retriers are tried in order: the rate-limit one must come before any that would match it first.
        JsonNode first = retry.get(0);
        assertThat(first.path("ErrorEquals").get(0).asText()).isEqualTo(RateLimitedException.class.getName());
        assertThat(first.path("JitterStrategy").asText("NONE")).isEqualTo("NONE");
        double interval = first.path("IntervalSeconds").asDouble();
        double waited = 0;
        for (int attempt = 0; attempt < first.path("MaxAttempts").asInt(); attempt++) {
            waited += Math.min(interval * Math.pow(first.path("BackoffRate").asDouble(), attempt), first.path("MaxDelaySeconds").asDouble());
        }
        assertThat(interval).isGreaterThanOrEqualTo(10);
        assertThat(waited).isGreaterThanOrEqualTo(300);
    }
}
