package dev.steward.function.steps;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.agent.AgentSteps;
import dev.steward.core.run.RunPointer;
import dev.steward.guardrails.Stage;
import dev.steward.rag.KnowledgeBases;

/** The agent loop's Retrieve step as a Lambda function. */
public final class RetrieveHandler extends StepHandler {
    public RetrieveHandler() {
        super();
    }

    public RetrieveHandler(AgentSteps steps) {
        super(steps);
    }

    @Override
    protected RunPointer apply(AgentSteps steps, RunPointer at, JsonNode event) {
        return steps.retrieve(at);
    }

    /** The query embedder and the chunks' guardrails, with the sentence model of the off-task check. */
    @Override
    protected void prime(AgentSteps steps) {
        KnowledgeBases.prime(System.getenv());
        steps.primeGuardrails(Stage.RETRIEVED_CHUNK);
    }
}
