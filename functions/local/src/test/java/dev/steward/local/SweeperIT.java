package dev.steward.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.core.json.Json;
import dev.steward.core.knowledge.DocumentId;
import dev.steward.core.knowledge.DocumentStatus;
import dev.steward.store.document.DocumentRecord;
import dev.steward.core.run.RunId;
import dev.steward.core.run.RunRecord;
import java.util.List;
import dev.steward.core.run.GuardVerdict;
import dev.steward.core.run.StepRecord;
import dev.steward.core.run.RunStatus;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.review.ReviewRecord;
import dev.steward.store.review.ReviewStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crash recovery: runs left behind by a dead execution are resumed; runs whose review expired are closed. */
class SweeperIT {
    private static final Path HOME = Path.of(System.getProperty("steward.home", "../..")).toAbsolutePath().normalize();
    private static final TenantId TENANT = TenantId.of("demo");

    @TempDir
    static Path dataDir;

    static LocalPlatform platform;

    @BeforeAll
    static void start() throws Exception {
        platform = LocalPlatform.start(new LocalConfig(HOME, dataDir, 0, 1 << 20, Path.of(System.getProperty("steward.s3proxy.jar")), true,
                Map.of("STEWARD_SWEEP_SECONDS", "3600", "STEWARD_SWEEP_STALE_SECONDS", "30")));
        new LocalClient(platform.uri(), platform.operatorToken(), "demo").awaitDocumentsSettled(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    /** A run as a crash leaves it: RUNNING, last written {@code age} ago, with no execution behind it. */
    private static RunRecord orphan(Duration age) {
        Instant then = Instant.now().minus(age);
        RunRecord run = RunRecord.queued(TENANT, RunId.random(), "knowledge-assistant", "How long do refunds take?", then)
                .withStatus(RunStatus.RUNNING, then);
        platform.stores().runs().create(run);
        return run;
    }

    private static RunRecord await(RunId id, RunStatus status) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        RunRecord run = platform.stores().runs().get(TENANT, id);
        while (run.status() != status && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            run = platform.stores().runs().get(TENANT, id);
        }
        return run;
    }

    @Test
    void aStaleRunWithoutAnExecutionIsResumedAndFinishes() throws Exception {
        RunRecord stale = orphan(Duration.ofSeconds(60)); // stale (30 s) yet inside the 300 s time budget
        RunRecord fresh = orphan(Duration.ZERO);

        RunSweeperResult sweep = RunSweeperResult.of(platform.sweepNow());

        assertThat(sweep.resumed()).isGreaterThanOrEqualTo(1);
        RunRecord done = await(stale.id(), RunStatus.SUCCEEDED);
        assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(done.steps()).first().satisfies(s -> {
            assertThat(s.step()).isEqualTo("sweep");
            assertThat(s.outcome()).isEqualTo("RESUMED");
        });
        assertThat(done.answer().path("citations")).isNotEmpty();
        // Recently written runs are left alone: their execution may still be working.
        assertThat(platform.stores().runs().get(TENANT, fresh.id()).steps()).isEmpty();
        // A second sweep does not restart the finished run.
        platform.sweepNow();
        assertThat(platform.stores().runs().get(TENANT, stale.id()).steps().stream().filter(s -> s.step().equals("sweep")).count())
                .isEqualTo(1);
    }

    @Test
    void aPermanentStepErrorIsCaughtByTheStateMachineAndRecordedOnTheRun() throws Exception {
        Instant then = Instant.now().minus(Duration.ofSeconds(60));
        RunRecord ghost = RunRecord.queued(TENANT, RunId.random(), "ghost-agent", "anything", then).withStatus(RunStatus.RUNNING, then);
        platform.stores().runs().create(ghost);

        platform.sweepNow();

        RunRecord failed = await(ghost.id(), RunStatus.FAILED);
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        // The Catch passed Lambda's error JSON as Cause; the reason recorded is its message, not the JSON.
        assertThat(failed.error()).isEqualTo("agent 'ghost-agent' no longer exists in tenant demo");
        assertThat(failed.steps()).extracting(s -> s.step()).containsExactly("sweep", "fail");
    }

    @Test
    void aRunWhoseReviewExpiredEndsHaltedAndSaysWhy() {
        Instant past = Instant.now().minus(Duration.ofDays(4));
        RunRecord run = RunRecord.queued(TENANT, RunId.random(), "support-agent", "email someone", past);
        String reviewId = ReviewRecord.newId();
        platform.stores().reviews().create(new ReviewRecord(TENANT, reviewId, run.id(), "support-agent", 2, "call_1", "send_email",
                "EXTERNAL_WRITE", Json.tree("{\"to\":[\"a@example.com\"],\"subject\":\"s\",\"body\":\"b\"}"), "0".repeat(64), null,
                "external side effects", ReviewStatus.PENDING, null, past, past.plus(Duration.ofDays(3))));
        // the plan step that asked for the review recorded the policy's ASK
        StepRecord plan = new StepRecord(0, "plan", "AWAIT_APPROVAL", 3, past, null, null, null).withVerdicts(List.of(
                new GuardVerdict("TOOL_ARGUMENTS", "ASK", null, List.of())));
        platform.stores().runs().create(run.next(past).status(RunStatus.WAITING_FOR_REVIEW).reviewId(reviewId).build().withStep(plan, past));
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        long asksBefore = platform.stores().usage().ofAgent(TENANT, "support-agent", today).verdicts().getOrDefault("TOOL_ARGUMENTS.ASK", 0L);

        platform.sweepNow();

        // a run that ends by an expired review is counted like any other that ends
        assertThat(platform.stores().usage().ofAgent(TENANT, "support-agent", today).verdicts().getOrDefault("TOOL_ARGUMENTS.ASK", 0L))
                .isEqualTo(asksBefore + 1);
        RunRecord closed = platform.stores().runs().get(TENANT, run.id());
        assertThat(closed.status()).isEqualTo(RunStatus.HALTED);
        assertThat(closed.answer().path("answer").asText()).contains("expired").contains("nothing was done");
        assertThat(platform.stores().reviews().find(TENANT, reviewId).orElseThrow().status()).isEqualTo(ReviewStatus.EXPIRED);
    }

    @Test
    void aDecisionWhoseResumeWasCutOffIsCarriedOutByTheSweeper() throws Exception {
        Instant now = Instant.now();
        RunRecord run = RunRecord.queued(TENANT, RunId.random(), "knowledge-assistant", "How long do refunds take?", now);
        String reviewId = ReviewRecord.newId();
        ReviewRecord pending = new ReviewRecord(TENANT, reviewId, run.id(), "knowledge-assistant", 2, "call_1", "send_email",
                "EXTERNAL_WRITE", Json.tree("{\"to\":[\"a@example.com\"],\"subject\":\"s\",\"body\":\"b\"}"), "0".repeat(64), null,
                "external side effects", ReviewStatus.PENDING, null, now, now.plus(Duration.ofDays(3)));
        platform.stores().reviews().create(pending);
        platform.stores().runs().create(run.next(now).status(RunStatus.WAITING_FOR_REVIEW).reviewId(reviewId).build());
        // The decision is stored, then the process dies before the run is resumed.
        platform.stores().reviews().decide(pending, ReviewStatus.REJECTED,
                new ReviewRecord.Decision("reject", null, "not now", "reviewer-1", now), now);

        assertThat(platform.sweepNow().resumed()).isGreaterThanOrEqualTo(1);

        RunRecord done = await(run.id(), RunStatus.SUCCEEDED);
        assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(done.steps()).first().satisfies(s -> assertThat(s.step()).isEqualTo("review"));
        assertThat(done.observations()).singleElement().satisfies(o -> assertThat(o.result().path("status").asText()).isEqualTo("rejected"));
        // Sweeping again finds nothing more to do for it.
        platform.sweepNow();
        assertThat(platform.stores().runs().get(TENANT, run.id()).steps().stream().filter(s -> s.step().equals("review")).count()).isEqualTo(1);
    }

    /** A QUEUED upload recorded {@code age} ago, with or without its bytes in the bucket (put without an ingest event). */
    private static DocumentRecord upload(String name, Duration age, boolean bytesArrived) {
        DocumentId id = DocumentId.random();
        String key = "tenants/demo/documents/" + id.value() + "/" + name;
        byte[] bytes = ("The " + name + " text.").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        DocumentRecord d = DocumentRecord.queued(TENANT, id, name, bytes.length, key, DocumentRecord.contentHashOf(bytes), null,
                Instant.now().minus(age));
        platform.stores().documents().put(d);
        if (bytesArrived) {
            try (var raw = platform.objects().client()) {
                raw.putObject(b -> b.bucket(LocalPlatform.BUCKET).key(key), software.amazon.awssdk.core.sync.RequestBody.fromBytes(bytes));
            }
        }
        return d;
    }

    @Test
    void anUploadWhoseBytesNeverCameIsFailedOnceItsUrlCannotBeUsedAnyMore() {
        DocumentRecord abandoned = upload("abandoned.txt", Duration.ofHours(1), false);
        DocumentRecord recent = upload("recent.txt", Duration.ofMinutes(5), false);
        DocumentRecord waiting = upload("waiting.txt", Duration.ofHours(1), true);

        assertThat(platform.sweepNow().abandonedUploads()).isEqualTo(1);

        DocumentRecord failed = platform.stores().documents().find(TENANT, abandoned.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(DocumentStatus.FAILED);
        assertThat(failed.reason()).contains("never arrived").contains("upload it again");
        // still within the upload URL's lifetime, or its bytes are there for the ingest queue: left as they are
        assertThat(platform.stores().documents().find(TENANT, recent.id()).orElseThrow().status()).isEqualTo(DocumentStatus.QUEUED);
        assertThat(platform.stores().documents().find(TENANT, waiting.id()).orElseThrow().status()).isEqualTo(DocumentStatus.QUEUED);
        assertThat(platform.sweepNow().abandonedUploads()).isZero();
    }

    record RunSweeperResult(int examined, int resumed, int expired) {
        static RunSweeperResult of(dev.steward.function.api.RunSweeper.Sweep s) {
            return new RunSweeperResult(s.examined(), s.resumed(), s.expired());
        }
    }
}
