package dev.steward.function.steps;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.agent.AgentSteps;
import dev.steward.core.json.Json;
import dev.steward.core.run.RunPointer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Base of the agent-loop step functions: read the pointer, run one step, write the next pointer. Exceptions
 * propagate, so the state machine sees their fully qualified class name as the error and retries transient ones.
 */
public abstract class StepHandler implements RequestStreamHandler {
    private final AgentSteps steps;

    protected StepHandler() {
        this(StepsWiring.fromEnvironment());
    }

    protected StepHandler(AgentSteps steps) {
        this.steps = steps;
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = Json.mapper().readTree(input);
        RunPointer next = apply(steps, Json.mapper().treeToValue(event, RunPointer.class), event);
        Json.mapper().writeValue(output, next);
    }

    protected abstract RunPointer apply(AgentSteps steps, RunPointer at, JsonNode event);
}
