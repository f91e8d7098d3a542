package dev.steward.core.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.knowledge.RetrievalFilter;
import dev.steward.core.knowledge.RetrievedChunk;
import dev.steward.core.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A run's stored state: what was asked, what was retrieved, the tool calls proposed and observed, the steps taken and
 * the answer. Steps read it, decide, and write a new version; {@code version} guards against two writers (optimistic
 * locking in the store). {@code pendingCalls} are tool calls allowed to run at the next Act (already approved where
 * policy asked); {@code reviewId} names the review a waiting run waits for. {@code inputCheck} is what the API's
 * redaction found in the input before the run was first stored (null when it found nothing): the first plan step
 * records it as that step's input verdict, so the input's personal data is never stored, not even for a moment.
 * {@code filters} restrict what the run may retrieve (from its start request; the agent's pinned filter is applied
 * with them, as a conjunction); {@link RetrievalFilter#NONE} when none were given.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunRecord(
        TenantId tenant,
        RunId id,
        String agent,
        String input,
        GuardVerdict inputCheck,
        RetrievalFilter filters,
        RunStatus status,
        List<RetrievedChunk> sources,
        List<Observation> observations,
        List<ToolCall> pendingCalls,
        String reviewId,
        int segment,
        long tokensIn,
        long tokensOut,
        JsonNode answer,
        List<StepRecord> steps,
        String error,
        Instant createdAt,
        Instant updatedAt,
        long version) {

    public RunRecord {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(status, "status");
        filters = filters == null ? RetrievalFilter.NONE : filters;
        sources = sources == null ? List.of() : List.copyOf(sources);
        observations = observations == null ? List.of() : List.copyOf(observations);
        pendingCalls = pendingCalls == null ? List.of() : List.copyOf(pendingCalls);
        steps = steps == null ? List.of() : List.copyOf(steps);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    public static RunRecord queued(TenantId tenant, RunId id, String agent, String input, Instant now) {
        return queued(tenant, id, agent, input, null, now);
    }

    /** A new run whose {@code input} was already redacted at the door, {@code inputCheck} saying what was found. */
    public static RunRecord queued(TenantId tenant, RunId id, String agent, String input, GuardVerdict inputCheck, Instant now) {
        return queued(tenant, id, agent, input, inputCheck, RetrievalFilter.NONE, now);
    }

    /** A new run as above whose retrieval is restricted by {@code filters}. */
    public static RunRecord queued(TenantId tenant, RunId id, String agent, String input, GuardVerdict inputCheck,
            RetrievalFilter filters, Instant now) {
        return new RunRecord(tenant, id, agent, input, inputCheck, filters, RunStatus.QUEUED, List.of(), List.of(), List.of(), null, 0, 0, 0,
                null, List.of(), null, now, now, 0);
    }

    /** A mutable copy for building the next state. */
    public Builder next(Instant now) {
        return new Builder(this, now);
    }

    public RunRecord withStatus(RunStatus newStatus, Instant now) {
        return next(now).status(newStatus).build();
    }

    public RunRecord withSources(List<RetrievedChunk> newSources, Instant now) {
        return next(now).sources(newSources).build();
    }

    public RunRecord withAnswer(JsonNode newAnswer, Instant now) {
        return next(now).answer(newAnswer).build();
    }

    public RunRecord failed(String reason, Instant now) {
        return next(now).status(RunStatus.FAILED).error(reason).reviewId(null).build();
    }

    public RunRecord withStep(String step, String outcome, long durationMs, Instant now, String detail) {
        return withStep(new StepRecord(steps.size(), step, outcome, durationMs, now, detail, null, null), now);
    }

    public RunRecord withStep(StepRecord record, Instant now) {
        List<StepRecord> more = new ArrayList<>(steps);
        more.add(new StepRecord(steps.size(), record.step(), record.outcome(), record.durationMs(), record.at(), record.detail(),
                record.tokensIn(), record.tokensOut(), record.modelMs(), record.verdicts()));
        return next(now).steps(more).build();
    }

    /** The same state as stored at {@code newVersion}; only the store calls this. */
    public RunRecord atVersion(long newVersion) {
        return new RunRecord(tenant, id, agent, input, inputCheck, filters, status, sources, observations, pendingCalls, reviewId, segment,
                tokensIn, tokensOut, answer, steps, error, createdAt, updatedAt, newVersion);
    }

    public boolean hasRetrieved() {
        return steps.stream().anyMatch(s -> s.step().equals("retrieve"));
    }

    /** Builds the next version of a run; unchanged fields carry over. */
    public static final class Builder {
        private final RunRecord from;
        private String input;
        private RunStatus status;
        private List<RetrievedChunk> sources;
        private List<Observation> observations;
        private List<ToolCall> pendingCalls;
        private String reviewId;
        private int segment;
        private long tokensIn;
        private long tokensOut;
        private JsonNode answer;
        private List<StepRecord> steps;
        private String error;
        private final Instant now;

        private Builder(RunRecord r, Instant now) {
            this.from = r;
            this.input = r.input;
            this.status = r.status;
            this.sources = r.sources;
            this.observations = r.observations;
            this.pendingCalls = r.pendingCalls;
            this.reviewId = r.reviewId;
            this.segment = r.segment;
            this.tokensIn = r.tokensIn;
            this.tokensOut = r.tokensOut;
            this.answer = r.answer;
            this.steps = r.steps;
            this.error = r.error;
            this.now = now;
        }

        /** The request as the loop works with it (personal data replaced by placeholders once checked). */
        public Builder input(String v) { input = java.util.Objects.requireNonNull(v, "input"); return this; }
        public Builder status(RunStatus v) { status = v; return this; }
        public Builder sources(List<RetrievedChunk> v) { sources = v; return this; }
        public Builder pendingCalls(List<ToolCall> v) { pendingCalls = v; return this; }
        public Builder reviewId(String v) { reviewId = v; return this; }
        public Builder segment(int v) { segment = v; return this; }
        public Builder answer(JsonNode v) { answer = v; return this; }
        public Builder steps(List<StepRecord> v) { steps = v; return this; }
        public Builder error(String v) { error = v; return this; }

        public Builder observe(Observation o) {
            List<Observation> more = new ArrayList<>(observations);
            more.add(o);
            observations = more;
            return this;
        }

        public Builder addTokens(long in, long out) {
            tokensIn += in;
            tokensOut += out;
            return this;
        }

        public RunRecord build() {
            return new RunRecord(from.tenant, from.id, from.agent, input, from.inputCheck, from.filters, status, sources, observations, pendingCalls,
                    reviewId, segment, tokensIn, tokensOut, answer, steps, error, from.createdAt, now, from.version);
        }
    }
}
