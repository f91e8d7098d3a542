package dev.steward.core.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.knowledge.RetrievalFilter;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An agent as a tenant configures it: instructions, how much to retrieve, how many steps it may take, and the
 * JSON Schema its answer must satisfy, the tools it may call (by name; policy still decides each call), its budget,
 * its guardrail choices and what it may retrieve. Seeded from {@code templates/agents/*.json}.
 */
public record AgentTemplate(
        String name, String description, String instructions, int topK, int maxSteps, JsonNode outputSchema, List<String> tools,
        Budget budget, Guardrails guardrails, Retrieval retrieval) {

    /**
     * How this agent retrieves: {@code filter} is pinned to every retrieval of the agent (e.g. only the support
     * articles, {@code {"source": ["faq.md", "returns.md"]}}), in conjunction with the filters a run brings.
     */
    public record Retrieval(RetrievalFilter filter) {
        public static final Retrieval DEFAULT = new Retrieval(RetrievalFilter.NONE);

        public Retrieval {
            filter = filter == null ? RetrievalFilter.NONE : filter;
        }
    }

    public AgentTemplate(String name, String description, String instructions, int topK, int maxSteps, JsonNode outputSchema,
            List<String> tools, Budget budget, Guardrails guardrails) {
        this(name, description, instructions, topK, maxSteps, outputSchema, tools, budget, guardrails, Retrieval.DEFAULT);
    }

    /**
     * What the loop does with this agent's guardrail findings that are the tenant's choice. {@code toxicity}: BLOCK
     * refuses a toxic request and withholds a toxic answer; FLAG records the finding on the step and goes on.
     */
    public record Guardrails(ToxicityMode toxicity) {
        public static final Guardrails DEFAULT = new Guardrails(ToxicityMode.BLOCK);

        public enum ToxicityMode { BLOCK, FLAG }

        public Guardrails {
            toxicity = toxicity == null ? ToxicityMode.BLOCK : toxicity;
        }
    }

    public AgentTemplate(String name, String description, String instructions, int topK, int maxSteps, JsonNode outputSchema,
            List<String> tools, Budget budget) {
        this(name, description, instructions, topK, maxSteps, outputSchema, tools, budget, Guardrails.DEFAULT);
    }

    /** Per-run limits: model tokens (in + out) and wall-clock seconds of one segment. */
    public record Budget(long maxTokens, int maxSeconds) {
        public static final Budget DEFAULT = new Budget(100_000, 300);

        public Budget {
            if (maxTokens < 1 || maxSeconds < 1) {
                throw new IllegalArgumentException("budget limits must be positive");
            }
        }
    }

    public AgentTemplate(String name, String description, String instructions, int topK, int maxSteps, JsonNode outputSchema,
            List<String> tools) {
        this(name, description, instructions, topK, maxSteps, outputSchema, tools, Budget.DEFAULT);
    }
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{1,63}");

    public AgentTemplate(String name, String description, String instructions, int topK, int maxSteps, JsonNode outputSchema) {
        this(name, description, instructions, topK, maxSteps, outputSchema, List.of());
    }

    public AgentTemplate {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid agent name '" + name + "'");
        }
        description = description == null ? "" : description;
        Objects.requireNonNull(instructions, "instructions");
        Objects.requireNonNull(outputSchema, "outputSchema");
        tools = tools == null ? List.of() : List.copyOf(tools);
        budget = budget == null ? Budget.DEFAULT : budget;
        guardrails = guardrails == null ? Guardrails.DEFAULT : guardrails;
        retrieval = retrieval == null ? Retrieval.DEFAULT : retrieval;
        if (topK < 1 || topK > 50) {
            throw new IllegalArgumentException("topK must be 1..50, was " + topK);
        }
        if (maxSteps < 1 || maxSteps > 50) {
            throw new IllegalArgumentException("maxSteps must be 1..50, was " + maxSteps);
        }
    }
}
