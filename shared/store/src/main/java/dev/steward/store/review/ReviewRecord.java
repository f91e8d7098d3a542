package dev.steward.store.review;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.run.RunId;
import dev.steward.core.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A proposed tool call waiting for (or having had) a human decision. {@code payload} is the exact argument object
 * that will run on approval, {@code payloadHash} its SHA-256 over canonical JSON, {@code argumentsSchema} the tool's
 * argument schema (an edited payload must satisfy it). {@code decision} is set once, by the one decision that won.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReviewRecord(
        TenantId tenant,
        String id,
        RunId run,
        String agent,
        int step,
        String callId,
        String tool,
        String sideEffect,
        JsonNode payload,
        String payloadHash,
        JsonNode argumentsSchema,
        String reason,
        ReviewStatus status,
        Decision decision,
        Instant createdAt,
        Instant expiresAt) {
    private static final Pattern ID = Pattern.compile("rev_[A-Za-z0-9]{8,40}");

    public ReviewRecord {
        Objects.requireNonNull(tenant, "tenant");
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("invalid review id '" + id + "'");
        }
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(payloadHash, "payloadHash");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public static String newId() {
        return "rev_" + UUID.randomUUID().toString().replace("-", "");
    }

    /** A review id derived from {@code seed}: the same seed always gives the same id. */
    public static String idFor(String seed) {
        return "rev_" + UUID.nameUUIDFromBytes(seed.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString().replace("-", "");
    }

    public static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** The decision taken: who, when, and (for edit) the payload that replaces the proposed one. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Decision(String decision, JsonNode payload, String comment, String by, Instant at) {
        public Decision {
            Objects.requireNonNull(decision, "decision");
            Objects.requireNonNull(by, "by");
            Objects.requireNonNull(at, "at");
        }
    }

    public ReviewRecord decided(ReviewStatus newStatus, Decision d) {
        return new ReviewRecord(tenant, id, run, agent, step, callId, tool, sideEffect, payload, payloadHash, argumentsSchema,
                reason, newStatus, d, createdAt, expiresAt);
    }

    /** Pending past its expiry reads as expired, even before anything rewrites it. */
    public ReviewStatus effectiveStatus(Instant now) {
        return status == ReviewStatus.PENDING && now.isAfter(expiresAt) ? ReviewStatus.EXPIRED : status;
    }
}
