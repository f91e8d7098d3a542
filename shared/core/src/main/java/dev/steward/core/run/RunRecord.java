package dev.steward.core.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.knowledge.RetrievedChunk;
import dev.steward.core.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A run's stored state: what was asked, what was retrieved, the steps taken and the answer. Steps read it, decide,
 * and write a new version; {@code version} guards against two writers (optimistic locking in the store).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunRecord(
        TenantId tenant,
        RunId id,
        String agent,
        String input,
        RunStatus status,
        List<RetrievedChunk> sources,
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
        sources = sources == null ? List.of() : List.copyOf(sources);
        steps = steps == null ? List.of() : List.copyOf(steps);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    public static RunRecord queued(TenantId tenant, RunId id, String agent, String input, Instant now) {
        return new RunRecord(tenant, id, agent, input, RunStatus.QUEUED, List.of(), null, List.of(), null, now, now, 0);
    }

    public RunRecord withStatus(RunStatus newStatus, Instant now) {
        return new RunRecord(tenant, id, agent, input, newStatus, sources, answer, steps, error, createdAt, now, version);
    }

    public RunRecord withSources(List<RetrievedChunk> newSources, Instant now) {
        return new RunRecord(tenant, id, agent, input, status, newSources, answer, steps, error, createdAt, now, version);
    }

    public RunRecord withAnswer(JsonNode newAnswer, Instant now) {
        return new RunRecord(tenant, id, agent, input, status, sources, newAnswer, steps, error, createdAt, now, version);
    }

    public RunRecord failed(String reason, Instant now) {
        return new RunRecord(tenant, id, agent, input, RunStatus.FAILED, sources, answer, steps, reason, createdAt, now, version);
    }

    public RunRecord withStep(String step, String outcome, long durationMs, Instant now, String detail) {
        List<StepRecord> more = new ArrayList<>(steps);
        more.add(new StepRecord(steps.size(), step, outcome, durationMs, now, detail));
        return new RunRecord(tenant, id, agent, input, status, sources, answer, more, error, createdAt, now, version);
    }

    /** The same state as stored at {@code newVersion}; only the store calls this. */
    public RunRecord atVersion(long newVersion) {
        return new RunRecord(tenant, id, agent, input, status, sources, answer, steps, error, createdAt, updatedAt, newVersion);
    }

    public boolean hasRetrieved() {
        return steps.stream().anyMatch(s -> s.step().equals("retrieve"));
    }
}
