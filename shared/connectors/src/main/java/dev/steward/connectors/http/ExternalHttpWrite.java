package dev.steward.connectors.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.connectors.ToolContext;
import dev.steward.connectors.ToolResult;
import dev.steward.connectors.connection.Vendor;
import dev.steward.core.error.TransientException;
import dev.steward.core.json.Json;
import dev.steward.store.StoreException;
import dev.steward.store.idempotency.BeginResult;
import dev.steward.store.idempotency.IdempotencyKey;
import dev.steward.store.idempotency.IdempotencyRecord;
import dev.steward.store.idempotency.IdempotencyStore;
import dev.steward.store.idempotency.PayloadHash;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One effectively-once write to a vendor's JSON API over the JDK's HTTP client, with the protocol of
 * {@link IdempotencyStore}: the call's key is recorded before the request leaves, and its outcome once the vendor
 * has answered 2xx. The tools of the HTTP connectors (Zendesk, HubSpot, Slack, Google Calendar) differ only in the request and in what they
 * keep of the answer; everything about retries lives here.
 *
 * <h2>What each answer means</h2>
 * <ul>
 *   <li>2xx: the write happened. The outcome is recorded and returned; a retry of the call replays it. (Unless the
 *       vendor reports failures inside a 2xx and the tool says so: {@link #sendJudging}.)</li>
 *   <li>Another attempt of the call finished: its outcome, {@code replayed}, nothing sent. Another attempt began
 *       and recorded nothing (a crash, a lost answer): {@link ToolResult.NeedsReview}, nothing sent.</li>
 *   <li>The vendor could not be reached (connection refused, connect timeout, unknown host): nothing was sent, the
 *       record is aborted and a {@link TransientException} asks for a retry, which sends.</li>
 *   <li>429 or 503: the vendor turned the request away without acting on it. A {@code Retry-After} of at most
 *       {@link VendorHttp#MAX_INLINE_WAIT} is waited out and the request sent again (twice at most); otherwise the record is
 *       aborted and a {@link TransientException} (its message gives the vendor's {@code Retry-After}) asks for a
 *       retry, which sends; a rate limit (429, or 503 with {@code Retry-After}) is a
 *       {@link dev.steward.core.error.RateLimitedException}, retried later than other transient failures.</li>
 *   <li>Any other 5xx, a timeout while waiting for the answer, a connection lost after the request was sent: the
 *       vendor may have acted. The record stays in progress and a {@link TransientException} is thrown, so the
 *       retry finds the attempt in progress and goes to review instead of posting a second time.</li>
 *   <li>409 from a vendor that dedupes by an id the request carries ({@link Duplicate}): the vendor is asked what it holds
 *       under that id; when it is this call's effect, that is recorded and returned as the outcome ({@code replayed}).</li>
 *   <li>4xx (and 3xx, which is never followed: a redirect could lead anywhere): the vendor refused and did nothing.
 *       Record aborted, {@link ToolResult.Failed} with the vendor's message for the model: {@code unauthorized}
 *       (401, 403), {@code not_found} (404) or {@code rejected}.</li>
 * </ul>
 * Thread-safe; the retried exception is {@link TransientException} itself, whose class name the state machine's
 * Retry matches.
 */
public final class ExternalHttpWrite {

    /**
     * For a vendor that dedupes by an id the client chose (Google Calendar's event id): what it holds under that id when
     * it refuses a request as a duplicate (HTTP 409).
     */
    @FunctionalInterface
    public interface Duplicate {
        /**
         * The outcome of the earlier attempt of this call that the vendor already carried out, read from the vendor;
         * empty when what it holds under the id is not this call's. Only reads.
         *
         * @throws TransientException when the vendor cannot be read; the record then stays in progress
         */
        Optional<ObjectNode> earlier(VendorRequest request, JsonNode answer);
    }

    /** A vendor that takes no client-chosen id: a 409 is a refusal like any 4xx. */
    private static final Duplicate NO_DEDUPE = (request, answer) -> Optional.empty();
    private final VendorHttp http;
    private final IdempotencyStore idempotency;
    private final Clock clock;

    public ExternalHttpWrite(IdempotencyStore idempotency, Clock clock, Duration timeout) {
        this.idempotency = Objects.requireNonNull(idempotency, "idempotency");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.http = new VendorHttp(clock, timeout);
    }

    /**
     * Sends {@code request} once for the call {@code context} identifies, unless an attempt of it already ran.
     *
     * @param tool the tool's name, hashed with {@code arguments} so that a key reused with other arguments is caught
     * @param outcome what to keep of the vendor's 2xx answer (its parsed JSON body, or a missing node)
     */
    public ToolResult send(ToolContext context, String tool, JsonNode arguments, VendorRequest request,
            Function<JsonNode, ObjectNode> outcome) {
        return sendJudging(context, tool, arguments, request, answer -> new WriteAnswer.Done(outcome.apply(answer)), NO_DEDUPE);
    }

    /**
     * As {@link #send(ToolContext, String, JsonNode, VendorRequest, Function)}, to a vendor that dedupes by an id the
     * request carries: a 409 is looked up through {@code duplicate}, and when the vendor holds this call's effect, that is
     * recorded as the call's outcome ({@code replayed}: an earlier attempt did the work) instead of a refusal.
     */
    public ToolResult send(ToolContext context, String tool, JsonNode arguments, VendorRequest request,
            Function<JsonNode, ObjectNode> outcome, Duplicate duplicate) {
        return sendJudging(context, tool, arguments, request, answer -> new WriteAnswer.Done(outcome.apply(answer)),
                Objects.requireNonNull(duplicate, "duplicate"));
    }

    /**
     * As {@link #send}, for a vendor whose 2xx answer may still be a failure (Slack's {@code "ok": false}): {@code judge}
     * reads the parsed 2xx body and says what it means. {@link WriteAnswer.Done} is recorded as a 2xx is; a
     * {@link WriteAnswer.Refused} or {@link WriteAnswer.TurnedAway} aborts the record (nothing was done) and returns the
     * failure or throws the retry; a {@link WriteAnswer.InDoubt} leaves the record in progress, as a 5xx does.
     */
    public ToolResult sendJudging(ToolContext context, String tool, JsonNode arguments, VendorRequest request,
            Function<JsonNode, WriteAnswer> judge) {
        return sendJudging(context, tool, arguments, request, judge, NO_DEDUPE);
    }

    private ToolResult sendJudging(ToolContext context, String tool, JsonNode arguments, VendorRequest request,
            Function<JsonNode, WriteAnswer> judge, Duplicate duplicate) {
        IdempotencyKey key = context.idempotencyKey();
        BeginResult begun = idempotency.begin(context.tenant(), key, PayloadHash.of(tool, arguments), clock.instant());
        return switch (begun) {
            case BeginResult.Started started -> exchange(context, key, request, judge, duplicate);
            case BeginResult.AlreadyCompleted done -> new ToolResult.Success(done.outcome(), true);
            case BeginResult.InProgress pending -> unfinished(key, pending.since(), tool, request.vendor());
        };
    }

    /**
     * What an earlier attempt of the call left, when there is one: its outcome ({@code replayed}), or a review when it
     * never recorded one. For a call that cannot be sent now (its tenant's connection was removed since), so that a
     * retry still reports the write it made, or the doubt about it, rather than "not connected".
     */
    public Optional<ToolResult> earlierAttempt(ToolContext context, String tool, Vendor vendor) {
        IdempotencyKey key = context.idempotencyKey();
        return idempotency.find(context.tenant(), key).map(r -> r.status() == IdempotencyRecord.Status.COMPLETED
                ? new ToolResult.Success(r.outcome(), true)
                : unfinished(key, r.startedAt(), tool, vendor));
    }

    /**
     * Records the call {@code context} identifies as done with {@code outcome}, which the vendor's own records show an
     * earlier attempt achieved (see {@link dev.steward.connectors.Reconcilable}); nothing is sent. The call's record is
     * begun if absent and completed if in progress; a record another attempt completed meanwhile wins, and its outcome
     * is returned. Always {@code replayed}: an earlier attempt did the work.
     */
    public ToolResult.Success settle(ToolContext context, String tool, JsonNode arguments, ObjectNode outcome) {
        IdempotencyKey key = context.idempotencyKey();
        JsonNode kept = Json.tree(Json.write(outcome));
        BeginResult begun = idempotency.begin(context.tenant(), key, PayloadHash.of(tool, arguments), clock.instant());
        if (begun instanceof BeginResult.AlreadyCompleted done) {
            return new ToolResult.Success(done.outcome(), true);
        }
        try {
            idempotency.complete(context.tenant(), key, kept, clock.instant());
        } catch (StoreException completedMeanwhile) {
            return idempotency.find(context.tenant(), key).filter(r -> r.status() == IdempotencyRecord.Status.COMPLETED)
                    .map(r -> new ToolResult.Success(r.outcome(), true)).orElseThrow(() -> completedMeanwhile);
        }
        return new ToolResult.Success(kept, true);
    }

    private static ToolResult.NeedsReview unfinished(IdempotencyKey key, java.time.Instant since, String tool, Vendor vendor) {
        return new ToolResult.NeedsReview(key, since, "An earlier attempt of this " + tool + " call started at " + since
                + " and did not record whether " + vendor.label() + " carried it out, so it was not sent again. A person must check "
                + vendor.label() + " and decide.");
    }

    private ToolResult exchange(ToolContext context, IdempotencyKey key, VendorRequest request, Function<JsonNode, WriteAnswer> judge,
            Duplicate duplicate) {
        HttpResponse<String> response;
        try {
            // the same record covers the inline waits: a turned-away request did nothing
            response = http.waitingOutShortRetryAfter(() -> post(context, key, request));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort(context, key, e);
            throw new TransientException("interrupted while waiting out " + request.vendor().label() + "'s rate limit; nothing was done", e);
        }
        return answer(context, key, request, judge, duplicate, response);
    }

    private HttpResponse<String> post(ToolContext context, IdempotencyKey key, VendorRequest request) {
        try {
            return http.send(request);
        } catch (IOException e) {
            if (VendorHttp.neverSent(e)) {
                abort(context, key, e);
                throw new TransientException("could not reach " + request.vendor().label() + " at " + request.uri().getHost()
                        + " (nothing was sent, a retry may send): " + e, e);
            }
            throw unknown(request, key, e.toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unknown(request, key, "interrupted while waiting for the answer", e);
        }
    }

    private ToolResult answer(ToolContext context, IdempotencyKey key, VendorRequest request, Function<JsonNode, WriteAnswer> judge,
            Duplicate duplicate, HttpResponse<String> response) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return switch (judge.apply(VendorHttp.parse(response.body()))) {
                case WriteAnswer.Done done -> done(context, key, done.outcome());
                case WriteAnswer.Refused refused -> {
                    abort(context, key, null);
                    yield refused.failure();
                }
                case WriteAnswer.TurnedAway away -> {
                    abort(context, key, null);
                    throw away.retry();
                }
                case WriteAnswer.InDoubt doubt -> throw unknown(request, key, doubt.what(), null);
            };
        }
        if (status == 409) {
            // A vendor read that fails leaves the record in progress: the vendor holds something under the id.
            Optional<ObjectNode> earlier = duplicate.earlier(request, VendorHttp.parse(response.body()));
            if (earlier.isPresent()) {
                return new ToolResult.Success(completed(context, key, earlier.get()), true);
            }
        }
        if (VendorHttp.turnedAway(status)) {
            abort(context, key, null);
            throw VendorHttp.turnedAwayFailure(request, response);
        }
        if (status >= 500) {
            throw unknown(request, key, "HTTP " + status + ": " + VendorHttp.detail(response.body()), null);
        }
        abort(context, key, null);
        return VendorHttp.refused(request, response);
    }

    /** The vendor acted: its outcome, with the time, is recorded before anything else and returned. */
    private ToolResult.Success done(ToolContext context, IdempotencyKey key, ObjectNode answer) {
        answer.put("at", clock.instant().toString());
        return new ToolResult.Success(completed(context, key, answer), false);
    }

    /**
     * Records what the vendor did as the call's outcome, before anything else: if this write fails the record stays in
     * progress and the retry goes to review, never to a second post. Returned as the store gives it back, so the first
     * result and every replay of it are equal to the last number.
     */
    private JsonNode completed(ToolContext context, IdempotencyKey key, ObjectNode outcome) {
        JsonNode kept = Json.tree(Json.write(outcome));
        idempotency.complete(context.tenant(), key, kept, clock.instant());
        return kept;
    }

    /** The vendor may have acted: the record stays in progress, so the retry this asks for goes to review. */
    private static TransientException unknown(VendorRequest request, IdempotencyKey key, String what, Throwable cause) {
        return new TransientException(request.vendor().label() + " did not confirm the request (" + what + "); whether it was carried out is "
                + "unknown, so idempotency record " + key + " stays in progress and a retry of this call returns needs_review "
                + "instead of sending again", cause);
    }

    private void abort(ToolContext context, IdempotencyKey key, Exception failure) {
        try {
            idempotency.abort(context.tenant(), key);
        } catch (RuntimeException abortFailed) {
            // The record stays in progress: a retry goes to review, which is still safe.
            if (failure != null) {
                failure.addSuppressed(abortFailed);
            }
        }
    }
}
