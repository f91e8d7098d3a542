package dev.steward.function.steps;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.agent.AgentSteps;
import dev.steward.core.json.Json;
import dev.steward.core.run.RunPointer;
import dev.steward.core.runtime.Priming;
import dev.steward.store.AwsFailures;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Base of the agent-loop step functions: read the pointer, run one step, write the next pointer. Exceptions
 * propagate, so the state machine sees their fully qualified class name as the error and retries transient ones.
 * An AWS SDK failure that escapes a step (DynamoDB throttling after the SDK's own retries, a 5xx, the service out of
 * reach) would fail the run under the SDK's class name, which no Retry matches; it leaves as a
 * {@link dev.steward.core.error.TransientException} instead ({@link AwsFailures}), so the step is tried again.
 */
public abstract class StepHandler implements RequestStreamHandler {
    private final AgentSteps steps;

    /**
     * The Lambda runtime's constructor: wires the steps from the environment and registers this step's
     * {@link #prime priming} to run before the SnapStart snapshot.
     */
    protected StepHandler() {
        this(StepsWiring.fromEnvironment());
        Priming.beforeSnapshot(getClass().getSimpleName(), () -> prime(steps));
    }

    protected StepHandler(AgentSteps steps) {
        this.steps = steps;
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = Json.mapper().readTree(input);
        RunPointer at = Json.mapper().treeToValue(event, RunPointer.class);
        RunPointer next;
        try {
            next = apply(steps, at, event);
        } catch (SdkException e) {
            throw AwsFailures.classify(getClass().getSimpleName() + " of run " + at.runId(), e);
        }
        Json.mapper().writeValue(output, next);
    }

    protected abstract RunPointer apply(AgentSteps steps, RunPointer at, JsonNode event);

    /**
     * Loads what this step would otherwise load on its first run (models, lexicons, native libraries), so that an
     * environment restored from the snapshot serves its first run warm. Nothing by default.
     */
    protected void prime(AgentSteps steps) {}
}
