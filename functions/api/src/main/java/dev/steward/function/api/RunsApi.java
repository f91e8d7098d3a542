package dev.steward.function.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.core.agent.AgentTemplate;
import dev.steward.core.error.ApiException;
import dev.steward.core.json.Json;
import dev.steward.core.knowledge.RetrievalFilter;
import dev.steward.store.agent.AgentCatalog;
import dev.steward.store.tenant.TenantLimit;
import dev.steward.core.run.RunId;
import dev.steward.core.run.RunPointer;
import dev.steward.core.run.RunRecord;
import dev.steward.core.run.RunStatus;
import dev.steward.core.tenant.Principal;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.Listing;
import dev.steward.store.StoreException;
import dev.steward.store.run.RunSummary;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Agents and runs. Starting a run redacts its input's personal data ({@link InputRedaction}), stores it as QUEUED,
 * then starts one state-machine execution named after it. Runs are read one at a time or listed a page at a time.
 */
final class RunsApi {
    static final int MAX_INPUT_CHARS = 8_000;
    static final int DEFAULT_LIST_LIMIT = 20;
    static final int MAX_LIST_LIMIT = 100;
    private static final Logger LOG = Logger.getLogger(RunsApi.class.getName());
    private final ApiConfig config;
    /** Run starts check that the agent exists; templates are read through the same cache as the loop's. */
    private final AgentCatalog agents;
    private final InputRedaction inputRedaction;

    RunsApi(ApiConfig config) {
        this.config = config;
        this.agents = new AgentCatalog(config.stores().agents(), AgentCatalog.ttlFrom(System.getenv()));
        this.inputRedaction = new InputRedaction(config.guardrails(), config.stores().vaults());
    }

    /** What a run's start loads on first use (the PII recognizers), loaded now: for priming before a snapshot. */
    void prime() {
        inputRedaction.prime();
    }

    ObjectNode listAgents(Principal who) {
        ObjectNode out = Json.object();
        ArrayNode agents = out.putArray("agents");
        config.stores().agents().list(who.tenant())
                .forEach(a -> agents.addObject().put("name", a.name()).put("description", a.description()));
        return out;
    }

    ObjectNode start(Principal who, JsonNode body) {
        if (!body.isObject()) {
            throw ApiException.badRequest("invalid_request", "the body must be a JSON object with 'agent' and 'input'");
        }
        String agent = requiredText(body, "agent");
        String input = requiredText(body, "input");
        if (input.length() > MAX_INPUT_CHARS) {
            throw ApiException.badRequest("invalid_request", "'input' has " + input.length() + " characters; the limit is " + MAX_INPUT_CHARS);
        }
        RetrievalFilter filters = filters(body);
        AgentTemplate template = agents.find(who.tenant(), agent)
                .orElseThrow(() -> new ApiException(404, "unknown_agent", "agent '" + agent + "' does not exist in this tenant"));
        RetrievalFilter pinned = template.retrieval().filter();
        if (pinned.clauses().size() + filters.clauses().size() > RetrievalFilter.MAX_CLAUSES) {
            // the retrieve step applies both; refused here, not as a failed run later
            throw ApiException.badRequest("invalid_request", "'filters' has " + filters.clauses().size() + " conditions and agent '"
                    + agent + "' pins " + pinned.clauses().size() + "; together at most " + RetrievalFilter.MAX_CLAUSES);
        }
        admitStart(who.tenant());
        RunRecord run = begin(who.tenant(), RunId.random(), agent, input, filters, OnStartFailure.FAIL_RUN)
                .orElseThrow(() -> new IllegalStateException("a random run id was already taken"));
        return Json.object().put("runId", run.id().value()).put("status", run.status().name());
    }

    /**
     * Counts a valid start against the tenant's runs per minute ({@link TenantLimit#RUNS_PER_MINUTE}: its own, else the
     * deployment's); 429 {@code rate_limited} with the seconds to the next minute when the minute is full. A refused
     * request has not been counted, nor has an invalid one (checked before).
     */
    private void admitStart(TenantId tenant) {
        long perMinute = config.stores().tenants().limit(tenant, TenantLimit.RUNS_PER_MINUTE, config.tenantLimits().get(TenantLimit.RUNS_PER_MINUTE));
        java.time.Instant now = config.clock().instant();
        if (!config.stores().usage().tryStartRun(tenant, now, perMinute)) {
            long wait = 60 - now.getEpochSecond() % 60;
            throw ApiException.tooManyRequests("rate_limited", perMinute == 0
                    ? "this tenant may not start runs through the API (its limit is 0 runs a minute); ask the operator"
                    : "this tenant may start " + perMinute + " runs a minute through the API and has started them; retry in " + wait + " s", wait);
        }
    }

    /** What a run whose execution cannot be started becomes. */
    enum OnStartFailure {
        /** Stored FAILED, its vault deleted, and the caller answered 503 to try again (the HTTP API: a person waits). */
        FAIL_RUN,
        /** Left QUEUED for the sweeper to start (webhooks: the event is stored and must not be lost or refused). */
        LEAVE_QUEUED
    }

    /**
     * Starts a run of an existing agent with the given id: redacts the input ({@link InputRedaction}), stores the run
     * QUEUED with the {@code filters} its retrievals are restricted by, and starts its first execution.
     *
     * @return empty when a run with this id already exists (a redelivered webhook event); nothing is changed then
     */
    Optional<RunRecord> begin(TenantId tenant, RunId id, String agent, String input, RetrievalFilter filters,
            OnStartFailure onStartFailure) {
        var redacted = inputRedaction.redact(tenant, id, input);
        if (redacted.isEmpty()) {
            return Optional.empty();
        }
        RunRecord run = RunRecord.queued(tenant, id, agent, redacted.get().text(), redacted.get().check(), filters,
                config.clock().instant());
        try {
            config.stores().runs().create(run);
        } catch (StoreException e) {
            if (config.stores().runs().find(tenant, id).isPresent()) {
                return Optional.empty();
            }
            throw e;
        }
        try {
            startSegment(config, tenant.value(), id, 0);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not start the execution of " + id, e);
            if (onStartFailure == OnStartFailure.LEAVE_QUEUED) {
                return Optional.of(run); // the sweeper starts it once it is stale
            }
            RunRecord stored = config.stores().runs().get(tenant, id);
            config.stores().runs().update(stored.failed("the agent loop could not be started: " + e.getMessage(), config.clock().instant()));
            config.stores().vaults().delete(tenant, id); // nothing will re-hydrate this run's placeholders
            throw new ApiException(503, "orchestrator_unavailable", "the run could not be started; try again");
        }
        return Optional.of(run);
    }

    /** True when the tenant has an agent of that name (through the same cache as run starts). */
    boolean agentExists(TenantId tenant, String agent) {
        return agents.find(tenant, agent).isPresent();
    }

    /**
     * A page of the caller's tenant's runs, newest first ({@link dev.steward.store.run.RunStore#list}): any key of the
     * tenant may list, as any may read one run. Each run is summarised (no steps, sources or answer); its input
     * preview comes from the stored input, which was redacted before it was stored.
     */
    ObjectNode list(Principal who, String limitParam, String cursor, String statusParam, String agent) {
        int limit = limit(limitParam);
        RunStatus status = status(statusParam);
        if (agent != null && agent.isBlank()) {
            throw ApiException.badRequest("invalid_request", "'agent' must not be empty");
        }
        Listing.Page<RunSummary> page = pageAfter(cursor, "run", c -> config.stores().runs().list(who.tenant(), limit, c, status, agent));
        ObjectNode out = Json.object();
        ArrayNode runs = out.putArray("runs");
        for (RunSummary run : page.items()) {
            ObjectNode item = runs.addObject()
                    .put("runId", run.id().value())
                    .put("agent", run.agent())
                    .put("status", run.status().name())
                    .put("inputPreview", run.inputPreview())
                    .put("createdAt", run.createdAt().toString())
                    .put("updatedAt", run.updatedAt().toString());
            if (run.reviewId() != null) {
                item.put("reviewId", run.reviewId());
            }
        }
        out.put("nextCursor", page.nextCursor());
        return out;
    }

    /**
     * The page {@code read} gives after {@code cursor} (null or empty: from the newest); 400 naming {@code cursor} when
     * the listing did not give it out.
     */
    static <T> Listing.Page<T> pageAfter(String cursor, String item, java.util.function.Function<String, Listing.Page<T>> read) {
        try {
            return read.apply(cursor == null || cursor.isEmpty() ? null : cursor);
        } catch (Listing.InvalidCursorException e) {
            throw ApiException.badRequest("invalid_request", "'cursor' is not one this listing gave out (" + e.getMessage()
                    + "); omit it to start from the newest " + item);
        }
    }

    static int limit(String param) {
        if (param == null) {
            return DEFAULT_LIST_LIMIT;
        }
        try {
            int limit = Integer.parseInt(param);
            if (limit >= 1 && limit <= MAX_LIST_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw ApiException.badRequest("invalid_request", "'limit' must be a whole number from 1 to " + MAX_LIST_LIMIT + ", was '" + param + "'");
    }

    private static RunStatus status(String param) {
        if (param == null) {
            return null;
        }
        try {
            return RunStatus.valueOf(param.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_request", "unknown 'status' '" + param + "': use one of "
                    + Arrays.stream(RunStatus.values()).map(s -> s.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
        }
    }

    ObjectNode get(Principal who, String id) {
        if (!RunId.isValid(id)) {
            throw ApiException.notFound("run " + id);
        }
        RunRecord run = config.stores().runs().find(who.tenant(), new RunId(id))
                .orElseThrow(() -> ApiException.notFound("run " + id));
        ObjectNode view = Json.object()
                .put("runId", run.id().value())
                .put("agent", run.agent())
                .put("input", run.input())
                .put("status", run.status().name());
        if (run.answer() != null && run.status().terminal()) {
            view.set("answer", run.answer());
        }
        if (run.error() != null) {
            view.put("error", run.error());
        }
        if (!run.filters().isEmpty()) {
            view.set("filters", run.filters().toJson());
        }
        if (run.reviewId() != null) {
            view.put("reviewId", run.reviewId());
        }
        view.put("tokensIn", run.tokensIn()).put("tokensOut", run.tokensOut());
        view.set("observations", Json.mapper().valueToTree(run.observations()));
        view.set("sources", Json.mapper().valueToTree(run.sources()));
        view.set("steps", Json.mapper().valueToTree(run.steps()));
        view.put("createdAt", run.createdAt().toString()).put("updatedAt", run.updatedAt().toString());
        return view;
    }

    /** Starts the first execution of the agent loop for a run segment. */
    static void startSegment(ApiConfig config, String tenant, RunId id, int segment) {
        startSegment(config, tenant, id, segment, 0);
    }

    /**
     * Starts an execution of a run segment; {@code restart} counts the sweeper's restarts of that segment. The name
     * ({@link #executionName}) makes a duplicate start fail rather than run the segment twice.
     */
    static void startSegment(ApiConfig config, String tenant, RunId id, int segment, int restart) {
        RunPointer pointer = new RunPointer(tenant, id.value(), segment, 0, null);
        config.sfn().startExecution(b -> b.stateMachineArn(config.stateMachineArn())
                .name(executionName(id, segment, restart))
                .input(Json.write(pointer)));
    }

    /** {@code <run>-<segment>} for a segment's first execution, {@code <run>-<segment>-r<n>} for its restarts. */
    static String executionName(RunId id, int segment, int restart) {
        return id.value() + "-" + segment + (restart == 0 ? "" : "-r" + restart);
    }

    /** The optional {@code filters} of a start request ({@link RetrievalFilter}'s JSON form); none when absent. */
    private static RetrievalFilter filters(JsonNode body) {
        try {
            return RetrievalFilter.fromJson(body.get("filters"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_request", "'filters': " + e.getMessage());
        }
    }

    /** The field as a stripped, non-empty string; 400 naming the field otherwise. */
    static String requiredText(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            throw ApiException.badRequest("invalid_request", "'" + field + "' is required");
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw ApiException.badRequest("invalid_request", "'" + field + "' must be a non-empty string");
        }
        return v.asText().strip();
    }
}
