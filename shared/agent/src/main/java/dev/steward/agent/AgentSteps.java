package dev.steward.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.connectors.ArgumentValidator;
import dev.steward.connectors.Reconcilable;
import dev.steward.connectors.Reconciliation;
import dev.steward.connectors.Tool;
import dev.steward.connectors.ToolContext;
import dev.steward.connectors.ToolResult;
import dev.steward.connectors.Toolbox;
import dev.steward.core.run.Observation;
import dev.steward.core.run.StepRecord;
import dev.steward.core.run.ToolCall;
import dev.steward.llm.ToolSpec;
import dev.steward.store.ConcurrentChangeException;
import dev.steward.store.Stores;
import dev.steward.store.idempotency.PayloadHash;
import dev.steward.store.review.ReviewRecord;
import dev.steward.store.review.ReviewStatus;
import dev.steward.store.review.ReviewStore;
import dev.steward.store.tenant.TenantLimit;
import dev.steward.store.tenant.TenantStore;
import dev.steward.store.usage.UsageStore;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.core.agent.AgentTemplate;
import dev.steward.core.error.PermanentException;
import dev.steward.core.json.Json;
import dev.steward.core.knowledge.RetrievalFilter;
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
import dev.steward.guardrails.pii.PiiVault;
import dev.steward.store.agent.AgentCatalog;
import dev.steward.store.run.RunStore;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import dev.steward.guardrails.Finding;
import dev.steward.guardrails.Stage;
import dev.steward.guardrails.injection.Quarantine;
import dev.steward.guardrails.policy.InvalidPolicyException;
import dev.steward.guardrails.policy.PolicyCache;
import dev.steward.guardrails.policy.PolicyDecision;
import dev.steward.guardrails.policy.PolicyEngine;
import dev.steward.guardrails.policy.TenantPolicy;
import dev.steward.guardrails.policy.ToolRequest;
import dev.steward.store.policy.PolicyStore;
import dev.steward.guardrails.Verdict;
import dev.steward.store.vault.VaultStore;

/**
 * The agent loop's steps over stored run state. Each step reads the run, does its work, commits the new state
 * (conditional on the version it read) and returns the pointer for the next state. Steps are safe to retry:
 * a retry re-reads the stored state.
 */
public final class AgentSteps {
    private static final int MAX_REASKS = 2;

    static final Duration REVIEW_TTL = Duration.ofDays(3);
    private static final int LOOP_LIMIT = 3;
    /** The Act step's outcome when a call's earlier attempt left its outcome unknown and it went to review. */
    static final String OUTCOME_UNKNOWN = "OUTCOME_UNKNOWN";
    /** Runs store reads that overlap with others (one virtual thread each; nothing to shut down). */
    private static final Executor PREFETCH = Executors.newVirtualThreadPerTaskExecutor();

    private final RunStore runs;
    private final ReviewStore reviews;
    private final Supplier<KnowledgeBase> knowledge;
    private final Optional<ChatModel> model;
    private final Toolbox toolbox;
    private final UsageStore usage;
    private final TenantStore tenants;
    private final long tenantDailyTokens;
    private final AgentCatalog agents;
    private final Checkpoints checkpoints;
    private final VaultStore vaults;
    private final PolicyStore policyStore;
    private final PolicyEngine policyEngine = new PolicyEngine();
    private final PolicyCache compiledPolicies = new PolicyCache(256);
    private final OfflineExtractiveResponder offline = new OfflineExtractiveResponder(3);
    private final Clock clock;
    private final StepObserver observer;
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(AgentSteps.class.getName());


    private AgentSteps(Builder b) {
        this.runs = b.stores.runs();
        this.reviews = b.stores.reviews();
        this.usage = b.stores.usage();
        this.tenants = b.stores.tenants();
        this.knowledge = b.knowledge;
        this.model = b.model;
        this.toolbox = b.toolbox;
        this.tenantDailyTokens = b.tenantDailyTokens;
        this.clock = b.clock;
        this.checkpoints = b.checkpoints;
        this.vaults = b.stores.vaults();
        this.policyStore = b.stores.policies();
        this.observer = b.observer;
        this.agents = new AgentCatalog(b.stores.agents(), b.agentCacheTtl);
    }

    /** Steps over {@code stores}, retrieving from {@code knowledge}; no model, no tools and default limits until set. */
    public static Builder builder(Stores stores, Supplier<KnowledgeBase> knowledge) {
        return new Builder(stores, knowledge);
    }

    public static final class Builder {
        private final Stores stores;
        private final Supplier<KnowledgeBase> knowledge;
        private Optional<ChatModel> model = Optional.empty();
        private Toolbox toolbox = new Toolbox(List.of());
        private long tenantDailyTokens = TenantLimit.DAILY_TOKENS.defaultValue();
        private Duration agentCacheTtl = AgentCatalog.DEFAULT_TTL;
        private Clock clock = Clock.systemUTC();
        private Checkpoints checkpoints;
        private StepObserver observer = StepObserver.NONE;

        private Builder(Stores stores, Supplier<KnowledgeBase> knowledge) {
            this.stores = Objects.requireNonNull(stores, "stores");
            this.knowledge = Objects.requireNonNull(knowledge, "knowledge");
        }

        /** The model for planning and answering; empty answers extractively from the retrieved chunks. */
        public Builder model(Optional<ChatModel> v) { model = Objects.requireNonNull(v, "model"); return this; }

        public Builder toolbox(Toolbox v) { toolbox = Objects.requireNonNull(v, "toolbox"); return this; }

        /**
         * Model tokens (in + out) a tenant may use per UTC day unless the operator gave it its own budget
         * ({@link dev.steward.store.tenant.TenantRecord#own}); past it, runs halt.
         */
        public Builder tenantDailyTokens(long v) {
            if (v < 0) {
                throw new IllegalArgumentException("tenantDailyTokens must be >= 0, got " + v);
            }
            tenantDailyTokens = v;
            return this;
        }

        /** How long an agent template read from the store is reused; zero reads it at every step. */
        public Builder agentCacheTtl(Duration v) { agentCacheTtl = Objects.requireNonNull(v, "agentCacheTtl"); return this; }

        public Builder clock(Clock v) { clock = Objects.requireNonNull(v, "clock"); return this; }

        /** Told about every committed step (metrics); {@link StepObserver#NONE} unless set. */
        public Builder observer(StepObserver v) { observer = Objects.requireNonNull(v, "observer"); return this; }

        /** The guardrails at the loop's checkpoints; {@link Checkpoints#defaults()} unless set. */
        public Builder checkpoints(Checkpoints v) { checkpoints = Objects.requireNonNull(v, "checkpoints"); return this; }

        /**
         * Limits from the function's environment: {@code STEWARD_TENANT_DAILY_TOKENS} and
         * {@code STEWARD_AGENT_CACHE_SECONDS}; unset keeps the defaults, an unreadable value fails at startup.
         */
        public Builder limitsFrom(java.util.Map<String, String> env) {
            tenantDailyTokens(TenantLimit.DAILY_TOKENS.deploymentDefault(env));
            agentCacheTtl(AgentCatalog.ttlFrom(env));
            return this;
        }

        public AgentSteps build() {
            if (checkpoints == null) {
                checkpoints = Checkpoints.defaults();
            }
            return new AgentSteps(this);
        }
    }

    /**
     * Loads what the guardrails of {@code stages} load on first use ({@link Checkpoints#prime}), for priming a step
     * function before its SnapStart snapshot. No store, model or network call.
     */
    public void primeGuardrails(Stage... stages) {
        checkpoints.prime(stages);
    }

    /**
     * Loads the policy engine (Cedar's native library) and asks the baseline policy once ({@link PolicyEngine#prime}),
     * as the first tool call would, for priming before a SnapStart snapshot. No store or network call.
     */
    public PolicyDecision primePolicy() {
        return policyEngine.prime();
    }

    /** Decides what the run does next: the whole "what next" policy of the loop, on one screen. */
    public RunPointer plan(RunPointer at) {
        long started = System.nanoTime();
        // A plan after a segment's first step usually leads to a model call (with tools, or to answer), which first
        // needs the tenant's usage today and budget: read them while the run loads instead of after (unused if the
        // plan halts).
        CompletableFuture<DailyBudget> budgetToday = model.isPresent() && at.step() > 0
                ? CompletableFuture.supplyAsync(() -> dailyBudget(TenantId.of(at.tenantId())), PREFETCH) : null;
        RunRecord run = load(at);
        AgentTemplate agent = agentOf(run);
        RunRecord.Builder next = run.next(clock.instant());
        Checkpoints.Session guard = guardFor(run);
        Checkpoints.Checked input = null;
        boolean toxicRefused = false;
        if (run.status() == RunStatus.QUEUED) {
            next.status(RunStatus.RUNNING);
            input = guard.check(Stage.USER_INPUT, "input", run.input());
            if (run.inputCheck() != null) {
                guard.adoptRedaction(Stage.USER_INPUT, "input", run.inputCheck(), run.input());
            }
            next.input(input.text());
            if (input.asks()) {
                toxicRefused = toxicityChoice(agent, input.verdict()) == AgentTemplate.Guardrails.ToxicityMode.BLOCK;
                guard.action(Stage.USER_INPUT, toxicRefused ? "BLOCKED" : "FLAGGED");
            }
        }
        String question = input == null ? run.input() : input.text();
        StepOutcome outcome;
        ModelReply reply = null;
        Long modelMs = null;
        DailyBudget budget;
        if (input != null && input.verdict() instanceof Verdict.Deny deny) {
            outcome = new StepOutcome.Halt("a guardrail refused the request: " + deny.reason());
        } else if (toxicRefused) {
            outcome = new StepOutcome.Halt("a guardrail refused the request: it contains toxic language");
        } else if (run.status().terminal()) {
            outcome = new StepOutcome.Halt("run already ended as " + run.status());
        } else if (run.status() == RunStatus.WAITING_FOR_REVIEW) {
            outcome = new StepOutcome.AwaitApproval(run.reviewId());
        } else if (run.steps().stream().filter(s -> s.step().equals("plan")).count() >= agent.maxSteps()) {
            outcome = new StepOutcome.Halt("the agent reached its limit of " + agent.maxSteps() + " steps");
        } else if (RunSize.full(run)) {
            outcome = new StepOutcome.Halt("the run's record reached the store's size limit after " + run.observations().size()
                    + " tool calls");
        } else if (run.tokensIn() + run.tokensOut() >= agent.budget().maxTokens()) {
            outcome = new StepOutcome.Halt("the run used its budget of " + agent.budget().maxTokens() + " model tokens");
        } else if (segmentSeconds(run) >= agent.budget().maxSeconds()) {
            outcome = new StepOutcome.Halt("the run used its time budget of " + agent.budget().maxSeconds() + " seconds");
        } else if (!run.pendingCalls().isEmpty()) {
            outcome = new StepOutcome.Act(run.pendingCalls()); // approved by a person, or allowed by policy earlier
        } else if (!run.hasRetrieved()) {
            outcome = new StepOutcome.Retrieve(question);
        } else if (model.isPresent() && (budget = budgetToday != null ? joined(budgetToday) : dailyBudget(run.tenant())).spent()) {
            // Checked before the next model call only (planning with tools, or answering), so reads stay cheap.
            outcome = new StepOutcome.Halt("the tenant's daily budget of " + budget.limit() + " model tokens is used up");
        } else if (model.isPresent() && !toolsOf(agent).isEmpty()) {
            long asked = System.nanoTime();
            reply = model.get().chat(new ModelRequest(agent.instructions() + "\n\n" + Prompts.TOOL_USE,
                    Prompts.question(question, run.sources(), run.observations()), toolSpecs(agent)));
            modelMs = elapsedMs(asked);
            next.addTokens(reply.inputTokens(), reply.outputTokens());
            recordUsage(run, reply.inputTokens(), reply.outputTokens());
            outcome = reply.toolCalls().isEmpty() ? new StepOutcome.Respond() : decideCalls(run, agent, reply.toolCalls(), next, guard);
        } else {
            outcome = new StepOutcome.Respond();
        }
        commit(next.build().withStep(new StepRecord(0, "plan", outcome.wireName(), elapsedMs(started), clock.instant(),
                detail(outcome), reply == null ? null : reply.inputTokens(), reply == null ? null : reply.outputTokens(),
                modelMs, guard.close()), clock.instant()));
        return at.next(outcome.wireName());
    }

    /**
     * Turns the model's proposed calls into what may run: unknown tools and invalid arguments become observations
     * the model sees next turn; a call repeated {@value #LOOP_LIMIT} times in a row halts the run; a call policy asks
     * about stops the segment with a review holding its exact payload; the rest run at the next Act.
     */
    private StepOutcome decideCalls(RunRecord run, AgentTemplate agent, List<ToolCall> proposed, RunRecord.Builder next,
            Checkpoints.Session guard) {
        List<ToolCall> allowed = new ArrayList<>();
        int planStep = run.steps().size(); // the index of the plan step being decided, which authorizes what it allows
        for (ToolCall raw : proposed) {
            ToolCall call = raw.id().isBlank() ? new ToolCall("call_" + planStep + "_" + allowed.size(), raw.tool(), raw.arguments()) : raw;
            if (repeats(run.observations(), call) >= LOOP_LIMIT - 1) {
                return new StepOutcome.Halt("the agent called " + call.tool() + " with the same arguments " + LOOP_LIMIT + " times in a row");
            }
            Optional<Tool> tool = toolsOf(agent).stream().filter(t -> t.spec().name().equals(call.tool())).findFirst();
            if (tool.isEmpty()) {
                next.observe(observed(call, error("unknown_tool", "this agent has no tool named " + call.tool())));
                continue;
            }
            // The model works with placeholders; schema and policy see the values the tool would really get.
            JsonNode resolved = guard.rehydrate(call.arguments());
            List<String> violations = new ArgumentValidator(tool.get().spec().argumentsSchema()).violations(resolved);
            if (!violations.isEmpty()) {
                next.observe(observed(call, error("invalid_arguments", String.join("; ", violations))));
                continue;
            }
            Checkpoints.Checked checked = guard.check(Stage.TOOL_ARGUMENTS, call.id(), Json.write(call.arguments()));
            PolicyDecision policy = decidePolicy(run, tool.get().spec(), resolved);
            guard.recordDecision(Stage.TOOL_ARGUMENTS, call.id(), policyVerdict(policy));
            if (checked.denied() || policy.effect() == PolicyDecision.Effect.DENY) {
                String why = checked.denied() ? "a guardrail refused the call: " + ((Verdict.Deny) checked.verdict()).reason()
                        : "tenant policy rule '" + policy.rule() + "' denies this call: " + policy.reason();
                next.observe(observed(call, error("denied", why)));
                continue;
            }
            if (checked.asks() || policy.effect() == PolicyDecision.Effect.ASK) {
                // The reviewer sees and approves the exact payload that will run. Calls allowed in the same turn
                // run after the decision, together with the approved one.
                String why = policy.effect() == PolicyDecision.Effect.ASK
                        ? "tenant policy rule '" + policy.rule() + "': " + policy.reason()
                        : "a guardrail flagged the arguments: " + ((Verdict.Ask) checked.verdict()).reason();
                ToolCall exact = new ToolCall(call.id(), call.tool(), resolved);
                String reviewId = requestReview(run, planStep, exact, tool.get().spec(), why);
                next.status(RunStatus.WAITING_FOR_REVIEW).reviewId(reviewId).pendingCalls(allowed);
                return new StepOutcome.AwaitApproval(reviewId);
            }
            allowed.add(call.authorizedBy(planStep));
        }
        next.pendingCalls(allowed);
        return new StepOutcome.Act(allowed);
    }

    /**
     * Creates the pending review for {@code call}, proposed or run at step {@code step}. The review id derives from
     * the run, step and call, so a retried step finds the review it created before instead of making a second one.
     */
    private String requestReview(RunRecord run, int step, ToolCall call, dev.steward.connectors.ToolSpec spec, String reason) {
        String id = ReviewRecord.idFor(run.tenant().value() + "/" + run.id().value() + "/" + step + "/" + call.id());
        reviews.createIfAbsent(new ReviewRecord(run.tenant(), id, run.id(), run.agent(), step, call.id(), call.tool(),
                spec.sideEffect().name(), call.arguments(), PayloadHash.of(call.tool(), call.arguments()).value(),
                spec.argumentsSchema(), reason, ReviewStatus.PENDING, null, clock.instant(), clock.instant().plus(REVIEW_TTL)));
        return id;
    }

    /**
     * The tenant's policy decision for one call, over the arguments the tool would really get. The current version
     * is read at every decision, so a tightened policy applies to the next call; a stored version that no longer
     * compiles denies (never falls back to something looser).
     */
    private PolicyDecision decidePolicy(RunRecord run, dev.steward.connectors.ToolSpec spec, JsonNode arguments) {
        TenantPolicy policy;
        try {
            policy = policyStore.current(run.tenant())
                    .map(v -> compiledPolicies.get(v.tenant(), v.version(), v.source(), v.emailDomains()))
                    .orElseGet(() -> compiledPolicies.baseline(run.tenant()));
        } catch (InvalidPolicyException e) {
            return new PolicyDecision(PolicyDecision.Effect.DENY, PolicyDecision.EVALUATION_ERROR,
                    "the tenant's stored policy does not compile any more: " + e.getMessage());
        }
        return policyEngine.decide(policy, new ToolRequest(run.tenant(), run.agent(), spec.name(),
                ToolRequest.SideEffect.valueOf(spec.sideEffect().name()), arguments));
    }

    /** A policy decision as a verdict on the step, naming the rule. */
    private static Verdict policyVerdict(PolicyDecision d) {
        Finding f = Finding.of("policy", d.effect().name(), 1.0, "rule " + d.rule() + ": " + d.reason());
        return switch (d.effect()) {
            case ALLOW -> Verdict.allow();
            case ASK -> new Verdict.Ask(d.reason(), List.of(f));
            case DENY -> new Verdict.Deny(d.reason(), List.of(f));
        };
    }

    private static long repeats(List<Observation> observations, ToolCall call) {
        long n = 0;
        for (int i = observations.size() - 1; i >= 0; i--) {
            Observation o = observations.get(i);
            if (!o.tool().equals(call.tool()) || !o.arguments().equals(call.arguments())) {
                break;
            }
            n++;
        }
        return n;
    }

    /** Model tokens a tenant used today, and its budget: its own, else the deployment's. */
    private record DailyBudget(long used, long limit) {
        boolean spent() {
            return used >= limit;
        }
    }

    /**
     * Today's tenant usage and budget. Fails closed: if the counter or the tenant cannot be read, the exception fails
     * the step (retried as transient by the state machine, then the run fails) rather than letting the run spend
     * unmetered.
     */
    private DailyBudget dailyBudget(TenantId tenant) {
        long limit = tenants.limit(tenant, TenantLimit.DAILY_TOKENS, tenantDailyTokens);
        return new DailyBudget(usage.today(tenant, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)).tokens(), limit);
    }

    /** The prefetched value, its failure rethrown as is (the state machine's Retry matches exception class names). */
    private static <T> T joined(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private void recordUsage(RunRecord run, int in, int out) {
        if (in == 0 && out == 0) {
            return;
        }
        usage.add(run.tenant(), run.agent(), LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC), in, out);
    }

    /** Seconds since this segment began: a run resumed after review gets a fresh time budget for its new segment. */
    private long segmentSeconds(RunRecord run) {
        Instant start = run.createdAt();
        for (StepRecord s : run.steps()) {
            if (s.step().equals("review")) {
                start = s.at();
            }
        }
        return Duration.between(start, clock.instant()).toSeconds();
    }

    /** The agent's choice (block or flag) when the verdict is about toxic language; null for any other verdict. */
    private static AgentTemplate.Guardrails.ToxicityMode toxicityChoice(AgentTemplate agent, Verdict verdict) {
        boolean toxic = verdict.findings().stream().anyMatch(f -> f.category().equals("TOXICITY"));
        return toxic ? agent.guardrails().toxicity() : null;
    }

    /**
     * Adds the run's guardrail verdicts other than ALLOW to the day's counters, once, when the run ends (one write
     * per run instead of one per step). Called after the final commit: a crash in between under-counts, never
     * double-counts.
     */
    private void countVerdicts(RunRecord run) {
        usage.countVerdicts(run, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
    }

    /** A checked tool result: JSON again when it still is, else the (quarantined) text itself. */
    private static JsonNode asJson(String text) {
        try {
            return Json.tree(text);
        } catch (RuntimeException notJson) {
            return com.fasterxml.jackson.databind.node.TextNode.valueOf(text);
        }
    }

    /** The observation of a call that did not run, its result cut like a tool's ({@link ResultCap}). */
    private static Observation observed(ToolCall call, JsonNode result) {
        return new Observation(call.id(), call.tool(), call.arguments(), ResultCap.cap(result, RunSize.TOOL_RESULT_BYTES));
    }

    private static JsonNode error(String code, String message) {
        return Json.object().put("status", "error").put("code", code).put("message", message);
    }

    private List<Tool> toolsOf(AgentTemplate agent) {
        return agent.tools().stream().map(toolbox::find).flatMap(Optional::stream).toList();
    }

    private List<ToolSpec> toolSpecs(AgentTemplate agent) {
        return toolsOf(agent).stream()
                .map(t -> new ToolSpec(t.spec().name(), t.spec().description(), t.spec().argumentsSchema()))
                .toList();
    }

    public RunPointer retrieve(RunPointer at) {
        long started = System.nanoTime();
        RunRecord run = load(at);
        AgentTemplate agent = agentOf(run);
        Checkpoints.Session guard = guardFor(run);
        // The search sees the real request (names are good search terms); the model only ever sees placeholders.
        // The agent's pinned filter and the run's own both hold: a run can narrow what its agent sees, never widen it.
        RetrievalFilter filter = agent.retrieval().filter().and(run.filters());
        List<RetrievedChunk> retrieved = knowledge.get().retrieve(run.tenant(), guard.rehydrate(run.input()), agent.topK(), filter);
        List<RetrievedChunk> found = RunSize.bounded(retrieved);
        List<RetrievedChunk> checked = new ArrayList<>(found.size());
        for (RetrievedChunk c : found) {
            // Document text is data: PII is redacted, an injection is quarantined, never dropped silently.
            Checkpoints.Checked r = guard.check(Stage.RETRIEVED_CHUNK, c.chunkId(), c.text());
            checked.add(r.text().equals(c.text()) ? c : c.withText(r.text()));
        }
        commit(run.withSources(checked, clock.instant()).withStep(new StepRecord(0, "retrieve", found.size() + " chunks",
                elapsedMs(started), clock.instant(), found.size() == retrieved.size() ? null
                        : (retrieved.size() - found.size()) + " lower-ranked chunk(s) left out: the run's sources budget is full", null, null, null, guard.close()), clock.instant()));
        return at.next(null);
    }

    /**
     * Runs the calls that policy allowed or a person approved. A call's idempotency key derives from the step that
     * authorized it, which is the same when this step is retried or the run is resumed after a crash, so a finished
     * action is never repeated. An action whose earlier attempt left its outcome unknown is not repeated either: a tool
     * that can look at the vendor ({@link Reconcilable}) is asked first, and an action it finds done is recorded as done;
     * otherwise it becomes a review (saying what the look found), and the run waits for a person to say whether to run
     * it again. An approved re-run is looked for once more just before it runs. Calls after a review in the same turn
     * stay pending and run after the decision.
     */
    public RunPointer act(RunPointer at) {
        long started = System.nanoTime();
        RunRecord run = load(at);
        RunRecord.Builder next = run.next(clock.instant()).pendingCalls(List.of());
        int step = run.steps().size();
        List<ToolCall> calls = run.pendingCalls();
        int done = 0;
        String outcome = calls.isEmpty() ? "NO_TOOLS" : calls.size() + " call(s)";
        String detail = null;
        Checkpoints.Session guard = guardFor(run);
        for (ToolCall call : calls) {
            if (RunSize.full(next.build())) {
                // The next plan halts; calls not made are recorded as such, so the record shows what was left undone.
                next.observe(observed(call, error("not_run", "the run's record reached the store's size limit; the call was not made")));
                done++;
                continue;
            }
            int authorizedAt = call.authorizedAt() == null ? step : call.authorizedAt();
            // Placeholders become the real values only here, as the call leaves for the tool.
            ToolCall real = new ToolCall(call.id(), call.tool(), guard.rehydrate(call.arguments()), call.authorizedAt());
            ToolContext context = ToolContext.of(run.tenant(), run.id(), authorizedAt, real);
            Optional<Tool> named = toolbox.find(call.tool());
            Optional<Reconcilable> checkable = named.filter(Reconcilable.class::isInstance).map(Reconcilable.class::cast);
            // An approved re-run of a call in doubt: the earlier attempt may have taken effect since the review was made.
            Optional<Reconciliation> before = checkable.flatMap(c -> doubtedSince(run, call).map(since -> reconcile(c, context, real, since)));
            ToolResult result = before.orElse(null) instanceof Reconciliation.Found found ? found.result() : toolbox.execute(context, real);
            String doubt = null;
            if (result instanceof ToolResult.NeedsReview unknown) {
                Reconciliation looked = checkable.map(c -> reconcile(c, context, real, unknown.since()))
                        .orElseGet(() -> new Reconciliation.Unknown("the tool has no way to check"));
                switch (looked) {
                    case Reconciliation.Found found -> result = found.result();
                    case Reconciliation.Absent absent -> doubt = unknown.reason() + " " + absent.evidence()
                            + " The earlier attempt most likely did not take effect: approve to run the call once; reject if it must not happen.";
                    case Reconciliation.Unknown why -> doubt = unknown.reason() + (checkable.isPresent() ? " Looking for it failed: " + why.why() + "." : "")
                            + " Approve to run the call again (it may then happen twice); reject if it already happened or must not.";
                }
            }
            // Cut first, then checked: the guardrails see exactly what the run keeps and the model reads (a quarantine
            // block wraps the cut text whole), and their cost is bounded by the cut too.
            JsonNode kept = ResultCap.cap(result.observation(), RunSize.TOOL_RESULT_BYTES);
            Checkpoints.Checked checked = guard.check(Stage.TOOL_RESULT, call.id(), Json.write(kept));
            next.observe(new Observation(call.id(), call.tool(), Json.tree(guard.redact(Json.write(call.arguments()))), asJson(checked.text())));
            done++;
            if (doubt != null) {
                Tool tool = named.orElseThrow(() -> new PermanentException("tool " + call.tool() + " disappeared"));
                String reviewId = requestReview(run, step, call, tool.spec(), doubt);
                next.status(RunStatus.WAITING_FOR_REVIEW).reviewId(reviewId).pendingCalls(calls.subList(done, calls.size()));
                outcome = OUTCOME_UNKNOWN;
                detail = "review " + reviewId;
                break;
            }
        }
        commit(next.build().withStep(new StepRecord(0, "act", outcome, elapsedMs(started), clock.instant(), detail, null, null,
                null, guard.close()), clock.instant()));
        return at.next(null);
    }

    /**
     * When {@code call} is the re-run a person approved after its earlier attempt's outcome was unknown: a time no later
     * than that attempt's start (the step before the Act that found it in doubt). Recognised from the run's steps: the
     * call was authorized by a review step, and the last Act before it, with no other review between, ended
     * {@code OUTCOME_UNKNOWN} (an Act makes a review for nothing else, and a run waiting for one makes no other).
     */
    private static Optional<Instant> doubtedSince(RunRecord run, ToolCall call) {
        List<StepRecord> steps = run.steps();
        Integer at = call.authorizedAt();
        if (at == null || at >= steps.size() || !steps.get(at).step().equals("review")) {
            return Optional.empty();
        }
        for (int i = at - 1; i > 0; i--) {
            String kind = steps.get(i).step();
            if (kind.equals("review")) {
                return Optional.empty();
            }
            if (kind.equals("act")) {
                return OUTCOME_UNKNOWN.equals(steps.get(i).outcome()) ? Optional.of(steps.get(i - 1).at()) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * What the tool finds at the vendor about the call. Best effort: a check that throws despite its contract falls back
     * to {@link Reconciliation.Unknown} (today's review), because a failed look must never fail the step or post again.
     */
    private static Reconciliation reconcile(Reconcilable tool, ToolContext context, ToolCall call, Instant since) {
        try {
            return tool.reconcile(context, call.arguments(), since);
        } catch (RuntimeException e) {
            LOG.log(java.util.logging.Level.WARNING, "checking the outcome of " + call.tool() + " call " + call.id() + " failed", e);
            return new Reconciliation.Unknown("the check failed (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * The extractive answer: a quarantined chunk is quoted from its content, never its planted requests or attack
     * wording ({@link Quarantine#quotable}); a model would be told the block is data, quoting has no such reader.
     */
    private ObjectNode offlineAnswer(RunRecord run) {
        Set<String> quarantined = new HashSet<>();
        List<RetrievedChunk> readable = new ArrayList<>();
        for (RetrievedChunk source : run.sources()) {
            if (Quarantine.isWrapped(source.text())) {
                quarantined.add(source.chunkId());
                readable.add(source.withText(Quarantine.content(source.text())));
            } else {
                readable.add(source);
            }
        }
        return offline.respond(run.input(), readable,
                (chunk, sentence) -> !quarantined.contains(chunk.chunkId()) || Quarantine.quotable(sentence));
    }

    public RunPointer respond(RunPointer at) {
        long started = System.nanoTime();
        RunRecord run = load(at);
        AgentTemplate agent = agentOf(run);
        ObjectNode answer;
        String detail = null;
        long[] tokens = new long[3]; // in, out, model milliseconds
        if ("HALT".equals(at.outcome())) {
            String why = run.steps().isEmpty() ? "halted" : Optional.ofNullable(run.steps().getLast().detail()).orElse("halted");
            answer = Json.object().put("answer", "The run stopped before answering: " + why + ".");
            answer.putArray("citations");
            answer.put("model", model.map(ChatModel::id).orElse(OfflineExtractiveResponder.MODEL));
        } else if (model.isPresent()) {
            answer = askModel(model.get(), agent, run, tokens);
            detail = "model " + model.get().id();
        } else {
            answer = offlineAnswer(run);
            detail = "no model configured: extractive answer";
        }
        Checkpoints.Session guard = guardFor(run);
        String outcome = "ANSWERED";
        // A halted run's answer is Steward's own sentence; a model's or extractive answer is checked before delivery.
        if (!"HALT".equals(at.outcome())) {
            Checkpoints.Checked checked = guard.check(Stage.ANSWER, "answer", answer.path("answer").asText());
            boolean flagOnly = toxicityChoice(agent, checked.verdict()) == AgentTemplate.Guardrails.ToxicityMode.FLAG;
            if (checked.denied() && !flagOnly) {
                answer.put("answer", "The answer was withheld: " + ((Verdict.Deny) checked.verdict()).reason() + ".");
                answer.putArray("citations");
                guard.action(Stage.ANSWER, "WITHHELD");
                outcome = "WITHHELD";
            } else {
                // Delivered in its checked form (personal data as placeholders); a flag is recorded, not acted on.
                answer.put("answer", checked.text());
                if (checked.denied() || checked.asks()) {
                    guard.action(Stage.ANSWER, "FLAGGED");
                }
            }
        }
        List<String> errors = JsonSchemaCheck.errors(agent.outputSchema(), answer);
        if (!errors.isEmpty()) {
            throw new PermanentException("answer does not match the " + agent.name() + " output schema: " + String.join("; ", errors));
        }
        RunRecord answered = run.next(clock.instant()).answer(answer).addTokens(tokens[0], tokens[1]).build();
        commit(answered.withStep(new StepRecord(0, "respond", outcome, elapsedMs(started), clock.instant(), detail,
                model.isPresent() ? (int) tokens[0] : null, model.isPresent() ? (int) tokens[1] : null,
                model.isPresent() ? tokens[2] : null, guard.close()), clock.instant()));
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
        RunRecord ended = run.withAnswer(gated.answer(), clock.instant()).withStatus(end, clock.instant())
                .withStep("verify", gated.removed() == 0 ? "PASSED" : "CITATIONS_REMOVED", elapsedMs(started), clock.instant(),
                        gated.removed() == 0 ? null : gated.removed() + " citation(s) did not resolve to retrieved text");
        commit(ended);
        countVerdicts(ended);
        return at.next(end.name());
    }

    /**
     * Records why the run failed; called by the state machine's catch-all. A step that lost the run to another writer
     * ({@link ConcurrentChangeException}) did not fail the run: it is left as the winner left it.
     */
    public RunPointer fail(RunPointer at, String error, String cause) {
        RunRecord run = load(at);
        if (run.status().terminal()) {
            return at.next("FAILED");
        }
        if (ConcurrentChangeException.class.getName().equals(error)) {
            // The step lost a race to another writer of the run (another execution of it, a resume): the winner's
            // state stands and this execution just ends. Were nothing advancing the run, the sweeper resumes it.
            LOG.info("run " + run.id() + ": a step lost a race to another writer; the run is left as that writer left it");
            return at.next("FAILED");
        }
        String reason = describe(error, cause);
        RunRecord failed = run.failed(reason, clock.instant()).withStep("fail", "FAILED", 0, clock.instant(), reason);
        commit(failed);
        countVerdicts(failed);
        return at.next("FAILED");
    }

    private ObjectNode askModel(ChatModel chat, AgentTemplate agent, RunRecord run, long[] tokens) {
        String system = agent.instructions() + "\n\n" + Prompts.ANSWER_FORMAT;
        String user = Prompts.question(run.input(), run.sources(), run.observations());
        String lastErrors = null;
        for (int attempt = 0; attempt <= MAX_REASKS; attempt++) {
            String prompt = lastErrors == null ? user : user + "\n\nYour previous reply was invalid: " + lastErrors + "\nReply again with valid JSON only.";
            long asked = System.nanoTime();
            ModelReply reply = chat.chat(new ModelRequest(system, prompt));
            tokens[2] += elapsedMs(asked);
            tokens[0] += reply.inputTokens();
            tokens[1] += reply.outputTokens();
            recordUsage(run, reply.inputTokens(), reply.outputTokens());
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

    /** The step's checkpoints; the run's vault is read only if the run's stored state refers to placeholders. */
    private Checkpoints.Session guardFor(RunRecord run) {
        return checkpoints.open(vaults, run.tenant(), run.id(), !PiiVault.mentionsPlaceholder(Json.write(run)));
    }

    private AgentTemplate agentOf(RunRecord run) {
        return agents.find(run.tenant(), run.agent())
                .orElseThrow(() -> new PermanentException("agent '" + run.agent() + "' no longer exists in tenant " + run.tenant()));
    }

    /**
     * Writes the step's new state. A state over the store's item limit (which the bounds in {@link RunSize} should
     * never let happen) is refused by the store with its size, so the run ends FAILED saying why.
     */
    private void commit(RunRecord run) {
        // Optimistic lock: a concurrent writer (a duplicate execution, a resume) makes this step fail with a
        // ConcurrentChangeException, which ends this execution without failing the run (see fail).
        RunRecord stored = runs.update(run);
        try {
            observer.committed(stored);
        } catch (RuntimeException e) {
            LOG.log(java.util.logging.Level.WARNING, "the step observer failed for run " + run.id() + "; the step stands", e);
        }
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
