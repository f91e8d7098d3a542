package dev.steward.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.core.agent.AgentTemplate;
import dev.steward.core.error.PermanentException;
import dev.steward.core.json.Json;
import dev.steward.core.knowledge.RetrievedChunk;
import dev.steward.core.run.RunId;
import dev.steward.core.run.RunPointer;
import dev.steward.core.run.RunRecord;
import dev.steward.core.run.RunStatus;
import dev.steward.core.run.StepOutcome;
import dev.steward.core.tenant.TenantId;
import dev.steward.llm.ChatModel;
import dev.steward.llm.JsonSchemaCheck;
import dev.steward.llm.ModelReply;
import dev.steward.llm.ModelRequest;
import dev.steward.llm.OfflineExtractiveResponder;
import dev.steward.rag.KnowledgeBase;
import dev.steward.store.agent.AgentStore;
import dev.steward.store.run.RunStore;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The agent loop's steps over stored run state. Each step reads the run, does its work, commits the new state
 * (conditional on the version it read) and returns the pointer for the next state. Steps are safe to retry:
 * a retry re-reads the stored state.
 */
public final class AgentSteps {
    private static final int MAX_REASKS = 2;

    private final RunStore runs;
    private final AgentStore agents;
    private final Supplier<KnowledgeBase> knowledge;
    private final Optional<ChatModel> model;
    private final OfflineExtractiveResponder offline = new OfflineExtractiveResponder(3);
    private final Clock clock;

    public AgentSteps(RunStore runs, AgentStore agents, Supplier<KnowledgeBase> knowledge, Optional<ChatModel> model, Clock clock) {
        this.runs = Objects.requireNonNull(runs, "runs");
        this.agents = Objects.requireNonNull(agents, "agents");
        this.knowledge = Objects.requireNonNull(knowledge, "knowledge");
        this.model = Objects.requireNonNull(model, "model");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Decides what the run does next: the whole "what next" policy of the loop, on one screen. */
    public RunPointer plan(RunPointer at) {
        long started = System.nanoTime();
        RunRecord run = load(at);
        AgentTemplate agent = agentOf(run);
        StepOutcome outcome;
        if (run.status().terminal()) {
            outcome = new StepOutcome.Halt("run already ended as " + run.status());
        } else if (run.steps().stream().filter(s -> s.step().equals("plan")).count() >= agent.maxSteps()) {
            outcome = new StepOutcome.Halt("the agent reached its limit of " + agent.maxSteps() + " steps");
        } else if (!run.hasRetrieved()) {
            outcome = new StepOutcome.Retrieve(run.input());
        } else {
            outcome = new StepOutcome.Respond();
        }
        RunRecord next = run.status() == RunStatus.QUEUED ? run.withStatus(RunStatus.RUNNING, clock.instant()) : run;
        commit(next.withStep("plan", outcome.wireName(), elapsedMs(started), clock.instant(), detail(outcome)));
        return at.next(outcome.wireName());
    }

    public RunPointer retrieve(RunPointer at) {
        long started = System.nanoTime();
        RunRecord run = load(at);
        AgentTemplate agent = agentOf(run);
        List<RetrievedChunk> found = knowledge.get().retrieve(run.tenant(), run.input(), agent.topK());
        commit(run.withSources(found, clock.instant())
                .withStep("retrieve", found.size() + " chunks", elapsedMs(started), clock.instant(), null));
        return at.next(null);
    }

    /** No tools are wired yet: Act records that it had nothing to run. */
    public RunPointer act(RunPointer at) {
        long started = System.nanoTime();
        RunRecord run = load(at);
        commit(run.withStep("act", "NO_TOOLS", elapsedMs(started), clock.instant(), null));
        return at.next(null);
    }

    public RunPointer respond(RunPointer at) {
        long started = System.nanoTime();
        RunRecord run = load(at);
        AgentTemplate agent = agentOf(run);
        ObjectNode answer;
        String detail = null;
        if ("HALT".equals(at.outcome())) {
            String why = run.steps().isEmpty() ? "halted" : Optional.ofNullable(run.steps().getLast().detail()).orElse("halted");
            answer = Json.object().put("answer", "The run stopped before answering: " + why + ".");
            answer.putArray("citations");
            answer.put("model", model.map(ChatModel::id).orElse(OfflineExtractiveResponder.MODEL));
        } else if (model.isPresent()) {
            answer = askModel(model.get(), agent, run);
            detail = "model " + model.get().id();
        } else {
            answer = offline.respond(run.input(), run.sources());
            detail = "no model configured: extractive answer";
        }
        List<String> errors = JsonSchemaCheck.errors(agent.outputSchema(), answer);
        if (!errors.isEmpty()) {
            throw new PermanentException("answer does not match the " + agent.name() + " output schema: " + String.join("; ", errors));
        }
        commit(run.withAnswer(answer, clock.instant()).withStep("respond", "ANSWERED", elapsedMs(started), clock.instant(), detail));
        return at.next(at.outcome());
    }

    /**
     * The citation gate: every citation must name a chunk retrieved in this run and quote it verbatim. Citations
     * that do not are removed; an answer left with claims but no valid support abstains instead of guessing.
     */
    public RunPointer verify(RunPointer at) {
        long started = System.nanoTime();
        RunRecord run = load(at);
        JsonNode answer = run.answer();
        if (answer == null) {
            throw new PermanentException("verify reached without an answer");
        }
        CitationGate.Result gated = CitationGate.check(answer, run.sources());
        RunStatus end = "HALT".equals(at.outcome()) ? RunStatus.HALTED : RunStatus.SUCCEEDED;
        commit(run.withAnswer(gated.answer(), clock.instant()).withStatus(end, clock.instant())
                .withStep("verify", gated.removed() == 0 ? "PASSED" : "CITATIONS_REMOVED", elapsedMs(started), clock.instant(),
                        gated.removed() == 0 ? null : gated.removed() + " citation(s) did not resolve to retrieved text"));
        return at.next(end.name());
    }

    /** Records why the run failed; called by the state machine's catch-all. */
    public RunPointer fail(RunPointer at, String error, String cause) {
        RunRecord run = load(at);
        if (run.status().terminal()) {
            return at.next("FAILED");
        }
        String reason = describe(error, cause);
        commit(run.failed(reason, clock.instant()).withStep("fail", "FAILED", 0, clock.instant(), reason));
        return at.next("FAILED");
    }

    private ObjectNode askModel(ChatModel chat, AgentTemplate agent, RunRecord run) {
        String system = agent.instructions() + "\n\n" + Prompts.ANSWER_FORMAT;
        String user = Prompts.question(run.input(), run.sources());
        String lastErrors = null;
        for (int attempt = 0; attempt <= MAX_REASKS; attempt++) {
            String prompt = lastErrors == null ? user : user + "\n\nYour previous reply was invalid: " + lastErrors + "\nReply again with valid JSON only.";
            ModelReply reply = chat.chat(new ModelRequest(system, prompt));
            Optional<ObjectNode> parsed = Prompts.parseAnswer(reply.text(), run.sources());
            if (parsed.isEmpty()) {
                lastErrors = "it was not a JSON object with \"answer\" and \"citations\"";
                continue;
            }
            ObjectNode answer = parsed.get().put("model", reply.model());
            List<String> errors = JsonSchemaCheck.errors(agent.outputSchema(), answer);
            if (errors.isEmpty()) {
                return answer;
            }
            lastErrors = String.join("; ", errors);
        }
        throw new PermanentException("model " + chat.id() + " gave no valid answer after " + (MAX_REASKS + 1) + " attempts: " + lastErrors);
    }

    private RunRecord load(RunPointer at) {
        return runs.get(TenantId.of(at.tenantId()), new RunId(at.runId()));
    }

    private AgentTemplate agentOf(RunRecord run) {
        return agents.find(run.tenant(), run.agent())
                .orElseThrow(() -> new PermanentException("agent '" + run.agent() + "' no longer exists in tenant " + run.tenant()));
    }

    private void commit(RunRecord run) {
        runs.update(run);
    }

    private static String detail(StepOutcome outcome) {
        return switch (outcome) {
            case StepOutcome.Retrieve r -> null;
            case StepOutcome.Act a -> a.calls().size() + " tool call(s)";
            case StepOutcome.Respond r -> null;
            case StepOutcome.AwaitApproval a -> "review " + a.reviewId();
            case StepOutcome.Halt h -> h.reason();
        };
    }

    static String describe(String error, String cause) {
        String message = cause;
        if (cause != null && cause.startsWith("{")) {
            try {
                JsonNode c = Json.tree(cause);
                message = c.path("errorMessage").asText(cause);
            } catch (RuntimeException notJson) {
                message = cause;
            }
        }
        if (message == null || message.isBlank()) {
            return error == null ? "unknown error" : error;
        }
        return message;
    }

    private static long elapsedMs(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

}
