package dev.steward.function.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.core.json.Json;
import dev.steward.core.run.RunRecord;
import dev.steward.core.run.RunStatus;
import dev.steward.core.run.StepRecord;
import dev.steward.store.StoreException;
import dev.steward.store.review.ReviewRecord;
import dev.steward.store.review.ReviewStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.LocalDate;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import dev.steward.store.document.DocumentRecord;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * Crash recovery, run on a schedule (EventBridge on AWS, a timer in local mode). A run left RUNNING or QUEUED whose
 * state has not changed for {@code staleAfter} and whose execution is not running any more (it crashed, or local mode
 * was killed) gets a new execution of the same segment; the loop resumes from the stored state, and effectively-once
 * tool calls make a repeated Act safe. A run still waiting on a review that was decided (the process died between the
 * decision and the resume) is resumed with that decision. A run waiting on a review that expired ends HALTED,
 * saying so. A document whose upload never completed is failed, saying so ({@link #failAbandonedUploads}).
 */
public final class RunSweeper {
    private static final Logger LOG = Logger.getLogger(RunSweeper.class.getName());
    private final ApiConfig config;
    private final Duration staleAfter;

    public RunSweeper(ApiConfig config, Duration staleAfter) {
        this.config = config;
        this.staleAfter = staleAfter;
    }

    /**
     * How long a document may stay QUEUED without its bytes before the sweeper fails it: an upload URL's lifetime
     * (15 minutes) with as much again for a slow transfer.
     */
    static final Duration UPLOAD_GRACE = Duration.ofMinutes(30);

    /** What one sweep did: runs examined, resumed and closed, and uploads failed because their bytes never came. */
    public record Sweep(int examined, int resumed, int expired, int abandonedUploads) {}

    public Sweep sweepOnce() {
        Instant now = config.clock().instant();
        int examined = 0;
        int resumed = 0;
        int expired = 0;
        for (RunRecord run : config.stores().runs().listUnfinished(1000)) {
            examined++;
            try {
                if (run.status() == RunStatus.WAITING_FOR_REVIEW) {
                    Optional<ReviewRecord> review = run.reviewId() == null ? Optional.empty() : config.stores().reviews().find(run.tenant(), run.reviewId());
                    if (review.isPresent() && review.get().status().decided()) {
                        // Decided, but the process died before the run was resumed: finish what the decision began.
                        resumed += ReviewsApi.resume(config, review.get(), now) ? 1 : 0;
                    } else {
                        expired += closeIfReviewExpired(run, review, now) ? 1 : 0;
                    }
                } else if (Duration.between(run.updatedAt(), now).compareTo(staleAfter) >= 0 && !executionRunning(run)) {
                    resume(run, now);
                    resumed++;
                }
            } catch (StoreException raced) {
                LOG.info("run " + run.id() + " changed while sweeping; next sweep looks again");
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "sweeping run " + run.id() + " failed", e);
            }
        }
        return new Sweep(examined, resumed, expired, failAbandonedUploads(now));
    }

    /**
     * Fails the documents whose upload never completed: QUEUED for longer than {@link #UPLOAD_GRACE} while the bucket
     * holds no object for them, or only one older than the record (a replacement whose new bytes never came). Their
     * upload URL has expired, so nothing can arrive any more; without this they would stay QUEUED for ever. A
     * document whose object is there waits for the ingest queue (or its DLQ, which has an alarm) as before.
     */
    private int failAbandonedUploads(Instant now) {
        int failed = 0;
        for (DocumentRecord d : config.stores().documents().listQueued(1000)) {
            if (Duration.between(d.updatedAt(), now).compareTo(UPLOAD_GRACE) < 0) {
                break; // listed longest waiting first
            }
            try {
                Optional<Instant> stored = storedAt(d.objectKey());
                String why = stored.isEmpty()
                        ? "the file never arrived: nothing was stored within " + UPLOAD_GRACE.toMinutes() + " minutes of the upload; upload it again"
                        : stored.get().isBefore(d.updatedAt().minusSeconds(60))
                                ? "the new version never arrived within " + UPLOAD_GRACE.toMinutes() + " minutes of the upload; upload it again"
                                : null;
                if (why != null && config.stores().documents().updateIfUnchanged(d.failed(why, now), d)) {
                    failed++;
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "checking the upload of document " + d.id() + " failed", e);
            }
        }
        return failed;
    }

    /** When the object at {@code key} was last written; empty when there is none. */
    private Optional<Instant> storedAt(String key) {
        try {
            return Optional.of(config.s3().headObject(b -> b.bucket(config.bucket()).key(key)).lastModified());
        } catch (NoSuchKeyException missing) {
            return Optional.empty();
        }
    }

    private boolean closeIfReviewExpired(RunRecord run, Optional<ReviewRecord> review, Instant now) {
        if (review.isEmpty() || review.get().effectiveStatus(now) != ReviewStatus.EXPIRED) {
            return false;
        }
        if (review.get().status() == ReviewStatus.PENDING && !config.stores().reviews().expire(review.get(), now)) {
            return false; // decided at the last moment: that decision resumes the run
        }
        ObjectNode answer = Json.object().put("answer", "The run stopped: the approval request for " + review.get().tool()
                + " expired at " + review.get().expiresAt() + " without a decision, so nothing was done.");
        answer.putArray("citations");
        answer.put("model", "none");
        RunRecord halted = config.stores().runs().update(run.next(now).status(RunStatus.HALTED).reviewId(null).answer(answer).build()
                .withStep(new StepRecord(0, "sweep", "REVIEW_EXPIRED", 0, now, review.get().id(), null, null), now));
        config.stores().usage().countVerdicts(halted, LocalDate.ofInstant(now, ZoneOffset.UTC));
        return true;
    }

    private boolean executionRunning(RunRecord run) {
        String arn = config.stateMachineArn().replace(":stateMachine:", ":execution:") + ":"
                + RunsApi.executionName(run.id(), run.segment(), restarts(run));
        try {
            return config.sfn().describeExecution(b -> b.executionArn(arn)).status() == ExecutionStatus.RUNNING;
        } catch (ExecutionDoesNotExistException gone) {
            return false;
        }
    }

    private void resume(RunRecord run, Instant now) {
        int restart = restarts(run) + 1;
        RunRecord marked = config.stores().runs().update(run.withStep(
                new StepRecord(0, "sweep", "RESUMED", 0, now, "no live execution for " + staleAfter.toSeconds() + " s; restart " + restart, null, null), now));
        RunsApi.startSegment(config, marked.tenant().value(), marked.id(), marked.segment(), restart);
        LOG.info("resumed run " + run.id() + " (segment " + run.segment() + ", restart " + restart + ")");
    }

    /** Restarts already made in the run's current segment. */
    private static int restarts(RunRecord run) {
        int n = 0;
        for (StepRecord s : run.steps()) {
            if (s.step().equals("review")) {
                n = 0;
            } else if (s.step().equals("sweep") && "RESUMED".equals(s.outcome())) {
                n++;
            }
        }
        return n;
    }
}
