package dev.steward.function.steps;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.agent.AgentSteps;
import dev.steward.core.run.RunPointer;

/** Records a run's failure; the state machine's catch-all passes the caught error as {@code error: {Error, Cause}}. */
public final class FailHandler extends StepHandler {
    public FailHandler() {
        super();
    }

    public FailHandler(AgentSteps steps) {
        super(steps);
    }

    @Override
    protected RunPointer apply(AgentSteps steps, RunPointer at, JsonNode event) {
        JsonNode error = event.path("error");
        return steps.fail(at, error.path("Error").asText(null), error.path("Cause").asText(null));
    }
}
