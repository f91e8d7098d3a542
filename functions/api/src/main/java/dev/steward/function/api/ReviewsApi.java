package dev.steward.function.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.steward.core.error.ApiException;
import dev.steward.core.json.Json;
import dev.steward.core.run.Observation;
import dev.steward.core.run.RunRecord;
import dev.steward.core.run.RunStatus;
import dev.steward.core.run.ToolCall;
import dev.steward.core.tenant.Principal;
import dev.steward.core.tenant.Role;
import dev.steward.store.StoreException;
import dev.steward.store.audit.AuditAction;
import dev.steward.store.review.ReviewRecord;
import dev.steward.store.review.ReviewStatus;
import dev.steward.store.review.ReviewStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The review queue. A decision is one conditional write (exactly one of two concurrent decisions wins; the other
 * gets 409), then the run is moved out of WAITING_FOR_REVIEW and its next segment starts from stored state:
 * approve queues exactly the stored payload, edit queues the edited payload (kept on the review as feedback),
 * reject gives the agent the rejection as an observation.
 */
final class ReviewsApi {
    private static final Logger LOG = Logger.getLogger(ReviewsApi.class.getName());
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private final ApiConfig config;
    private final ReviewMetrics metrics;

    ReviewsApi(ApiConfig config, ReviewMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    ObjectNode list(Principal who, String status) {
        List<ReviewStatus> statuses;
        if (status == null || status.isBlank()) {
            statuses = List.of(ReviewStatus.PENDING);
        } else if (status.equals("all")) {
            statuses = Arrays.asList(ReviewStatus.values());
        } else {
            try {
                statuses = List.of(ReviewStatus.valueOf(status.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("invalid_request", "unknown status '" + status
                        + "': use pending, approved, rejected, edited, expired or all");
            }
        }
        Instant now = config.clock().instant();
        ObjectNode out = Json.object();
        ArrayNode items = out.putArray("reviews");
        // A pending review past its expiry is listed as expired, under "expired", not under "pending".
        List<ReviewStatus> stored = new ArrayList<>(statuses);
        if (statuses.contains(ReviewStatus.EXPIRED) && !stored.contains(ReviewStatus.PENDING)) {
            stored.add(ReviewStatus.PENDING);
        }
        config.stores().reviews().list(who.tenant(), stored, 200).stream()
                .filter(r -> statuses.contains(r.effectiveStatus(now)))
                .forEach(r -> items.add(view(r, now)));
        return out;
    }

    ObjectNode get(Principal who, String id) {
        return view(find(who, id), config.clock().instant());
    }

    ObjectNode decide(Principal who, String id, JsonNode body, String requestId) {
        if (who.role() == Role.MEMBER) {
            throw ApiException.forbidden("role member cannot decide reviews; use a reviewer or admin key");
        }
        ReviewRecord review = find(who, id);
        if (!body.isObject() || !body.path("decision").isTextual()) {
            throw ApiException.badRequest("invalid_request", "'decision' is required: approve, reject or edit");
        }
        String decision = body.path("decision").asText();
        String comment = body.path("comment").isTextual() ? body.path("comment").asText() : null;
        JsonNode payload = null;
        ReviewStatus outcome = switch (decision) {
            case "approve" -> ReviewStatus.APPROVED;
            case "reject" -> ReviewStatus.REJECTED;
            case "edit" -> ReviewStatus.EDITED;
            default -> throw ApiException.badRequest("invalid_request", "unknown decision '" + decision + "': use approve, reject or edit");
        };
        if (outcome == ReviewStatus.EDITED) {
            payload = body.get("payload");
            if (payload == null || !payload.isObject()) {
                throw ApiException.badRequest("invalid_request", "'edit' needs 'payload': the tool's arguments as a JSON object");
            }
            if (review.argumentsSchema() != null) {
                List<String> errors = SCHEMAS.getSchema(review.argumentsSchema()).validate(payload).stream()
                        .map(ValidationMessage::getMessage).sorted().toList();
                if (!errors.isEmpty()) {
                    throw ApiException.badRequest("invalid_request", "the edited payload does not fit the " + review.tool()
                            + " tool: " + String.join("; ", errors));
                }
            }
        }
        Instant now = config.clock().instant();
        ReviewRecord decided;
        try {
            decided = config.stores().reviews().decide(review, outcome, new ReviewRecord.Decision(decision, payload, comment, who.id(), now),
                    now, AuditApi.event(who, requestId, now, AuditAction.REVIEW_DECIDED, review.id(),
                            Map.of("decision", decision, "runId", review.run().value(), "tool", review.tool())));
        } catch (ReviewStore.AlreadyDecidedException e) {
            throw new ApiException(409, "already_decided", e.getMessage());
        }
        metrics.decided(decided);
        resume(config, decided, now);
        return view(decided, now);
    }

    /**
     * Moves the run out of waiting for {@code review} (decided) and starts its next segment; retried on a concurrent
     * run update. Called by the decision, and by the sweeper for a decision whose resume a crash cut off. Returns
     * false when the run no longer waits for this review (it was resumed already).
     */
    static boolean resume(ApiConfig config, ReviewRecord review, Instant now) {
        for (int attempt = 0; ; attempt++) {
            RunRecord run = config.stores().runs().get(review.tenant(), review.run());
            if (run.status() != RunStatus.WAITING_FOR_REVIEW || !review.id().equals(run.reviewId())) {
                LOG.fine("review " + review.id() + " decided, and run " + run.id() + " no longer waits for it (" + run.status() + ")");
                return false;
            }
            RunRecord.Builder next = run.next(now).status(RunStatus.RUNNING).reviewId(null).segment(run.segment() + 1);
            List<ToolCall> calls = new ArrayList<>(run.pendingCalls());
            int reviewStep = run.steps().size(); // the "review" step recorded below authorizes the approved call
            switch (review.status()) {
                case APPROVED -> calls.add(new ToolCall(review.callId(), review.tool(), review.payload()).authorizedBy(reviewStep));
                case EDITED -> calls.add(new ToolCall(review.callId(), review.tool(), review.decision().payload()).authorizedBy(reviewStep));
                case REJECTED -> next.observe(new Observation(review.callId(), review.tool(), review.payload(), Json.object()
                        .put("status", "rejected")
                        .put("message", "a reviewer rejected this call; do not retry it unchanged")
                        .put("comment", review.decision().comment() == null ? "" : review.decision().comment())));
                default -> throw new IllegalStateException("review " + review.id() + " is not decided");
            }
            RunRecord updated;
            try {
                updated = config.stores().runs().update(next.pendingCalls(calls).build()
                        .withStep("review", review.status().wire(), 0, now, review.decision().by()));
            } catch (StoreException conflict) {
                if (attempt < 3) {
                    continue;
                }
                throw conflict;
            }
            RunsApi.startSegment(config, review.tenant().value(), updated.id(), updated.segment());
            return true;
        }
    }

    private ReviewRecord find(Principal who, String id) {
        return config.stores().reviews().find(who.tenant(), id).orElseThrow(() -> ApiException.notFound("review " + id));
    }

    static ObjectNode view(ReviewRecord r, Instant now) {
        ObjectNode n = Json.object()
                .put("reviewId", r.id())
                .put("runId", r.run().value())
                .put("agent", r.agent())
                .put("status", r.effectiveStatus(now).wire())
                .put("tool", r.tool())
                .put("sideEffect", r.sideEffect())
                .put("payloadHash", r.payloadHash())
                .put("reason", r.reason())
                .put("createdAt", r.createdAt().toString())
                .put("expiresAt", r.expiresAt().toString());
        n.set("payload", r.payload());
        if (r.decision() != null) {
            n.set("decision", Json.mapper().valueToTree(r.decision()));
        }
        return n;
    }

}
