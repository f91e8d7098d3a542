package dev.steward.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import dev.steward.core.json.Json;
import jakarta.mail.Address;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash recovery end to end: local mode runs as its own process ({@code StewardCli up}, as {@code ./steward up} starts
 * it), 20 runs are approved to send email, the process is killed with SIGKILL while the emails go out, and a
 * restart on the same data directory must bring every run to a terminal or waiting state without sending any email
 * twice (GreenMail, a real SMTP server in this JVM, counts) and without losing a run.
 */
class CrashRecoveryIT {
    private static final Path HOME = Path.of(System.getProperty("steward.home", "../..")).toAbsolutePath().normalize();
    private static final int RUNS = 20;
    private static final Set<String> SETTLED = Set.of("SUCCEEDED", "HALTED", "FAILED", "WAITING_FOR_REVIEW");

    @RegisterExtension
    static final GreenMailExtension MAIL = TestMail.server();

    @TempDir
    static Path dataDir;

    static ScriptedChatServer model;

    @BeforeAll
    static void startModel() throws Exception {
        model = new ScriptedChatServer();
    }

    @AfterAll
    static void stopModel() {
        model.close();
    }

    /** Local mode in a child JVM, started the way the launcher starts it. */
    record Child(Process process, URI uri) {
        LocalClient client(String tenant) {
            return new LocalClient(uri, LocalSecrets.operatorToken(dataDir), tenant);
        }
    }

    private static Child startChild() throws Exception {
        Path target = HOME.resolve("functions/local/target");
        String classpath = target.resolve("classes") + ":" + Files.readString(target.resolve("classpath.txt")).strip();
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector",
                "-XX:+UseSerialGC", "-Dsteward.home=" + HOME, "-Dsteward.s3proxy.jar=" + System.getProperty("steward.s3proxy.jar"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classpath,
                "dev.steward.local.StewardCli", "up", "--port", "0", "--no-seed", "--data-dir", dataDir.toString())
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.putAll(model.environment());
        env.putAll(TestMail.environment(MAIL));
        env.put("STEWARD_SWEEP_SECONDS", "1");
        env.put("STEWARD_SWEEP_STALE_SECONDS", "3");
        Process process = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Pattern url = Pattern.compile("URL:\\s+(http://\\S+)");
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            seen.add(line);
            Matcher m = url.matcher(line);
            if (m.find()) {
                // Keep draining the child's output so it never blocks on a full pipe.
                Thread.ofVirtual().start(() -> out.lines().forEach(l -> { }));
                return new Child(process, URI.create(m.group(1)));
            }
        }
        process.destroyForcibly();
        throw new AssertionError("local mode did not start; its output:\n" + String.join("\n", seen));
    }

    /** SIGKILL, as {@code kill -9} of the process group: the JVM and every process it started die at once. */
    private static void killDashNine(Child child) throws Exception {
        List<ProcessHandle> descendants = child.process().descendants().toList();
        child.process().destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        assertThat(child.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        for (ProcessHandle d : descendants) {
            d.onExit().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void killDashNineWhileEmailsGoOutLosesNoRunAndSendsNoEmailTwice() throws Exception {
        Child first = startChild();
        List<String> runIds = new ArrayList<>();
        Map<String, String> recipientOf = new HashMap<>();
        try {
            assertThat(first.client(null).createTenant("acme").ok()).isTrue();
            LocalClient acme = first.client("acme");
            for (int i = 0; i < RUNS; i++) {
                String to = "customer" + i + "@example.com";
                LocalClient.Reply started = acme.postJson("/v1/runs", Json.object().put("agent", "support-agent")
                        .put("input", "Please email " + to + " the status of their refund."));
                assertThat(started.ok()).as(started.errorMessage()).isTrue();
                String id = started.body().path("runId").asText();
                runIds.add(id);
                recipientOf.put(id, to);
            }
            Map<String, JsonNode> waiting = awaitAll(acme, runIds, Set.of("WAITING_FOR_REVIEW"), Duration.ofSeconds(180));
            assertThat(MAIL.getReceivedMessages()).isEmpty();

            // Approve all 20 at once, and kill local mode as soon as the first emails have gone out.
            ExecutorService pool = Executors.newFixedThreadPool(8);
            for (JsonNode run : waiting.values()) {
                String reviewId = run.path("reviewId").asText();
                CompletableFuture.runAsync(() -> acme.postJson("/v1/reviews/" + reviewId + "/decision",
                        Json.object().put("decision", "approve")), pool);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (MAIL.getReceivedMessages().length < 3 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            killDashNine(first);
            pool.shutdownNow();
        } finally {
            first.process().destroyForcibly();
        }
        int sentBeforeKill = MAIL.getReceivedMessages().length;
        assertThat(sentBeforeKill).as("some emails went out before the kill").isPositive();

        Child second = startChild();
        try {
            LocalClient acme = second.client("acme");
            Map<String, JsonNode> settled = awaitAll(acme, runIds, SETTLED, Duration.ofSeconds(240));

            Map<String, Integer> received = new TreeMap<>();
            for (MimeMessage m : MAIL.getReceivedMessages()) {
                for (Address a : m.getAllRecipients()) {
                    received.merge(a.toString(), 1, Integer::sum);
                }
            }
            Map<String, Integer> byStatus = new TreeMap<>();
            int unknownOutcomeReviews = 0;
            for (String id : runIds) {
                JsonNode run = settled.get(id);
                String status = run.path("status").asText();
                byStatus.merge(status, 1, Integer::sum);
                int emails = received.getOrDefault(recipientOf.get(id), 0);
                assertThat(emails).as("emails to %s (run %s, %s)", recipientOf.get(id), id, status).isLessThanOrEqualTo(1);
                if (status.equals("SUCCEEDED")) {
                    assertThat(emails).as("a finished run sent its approved email: %s", run).isEqualTo(1);
                }
                if (status.equals("WAITING_FOR_REVIEW")) {
                    JsonNode review = acme.get("/v1/reviews/" + run.path("reviewId").asText()).body();
                    assertThat(review.path("status").asText()).as(review.toString()).isEqualTo("pending");
                    unknownOutcomeReviews += review.path("reason").asText().contains("did not record") ? 1 : 0;
                }
            }
            System.out.printf("crash e2e: %d runs, %d emails before the kill, %d after restart, statuses %s, "
                            + "%d waiting on an unknown-outcome review, duplicates 0%n",
                    runIds.size(), sentBeforeKill, MAIL.getReceivedMessages().length, byStatus, unknownOutcomeReviews);
            assertThat(settled).hasSize(RUNS); // no run lost
            assertThat(byStatus).as("runs that failed, with their last steps: %s", runIds.stream().map(settled::get)
                    .filter(r -> r.path("status").asText().equals("FAILED")).map(JsonNode::toString).toList())
                    .doesNotContainKey("FAILED");
            assertThat(received.values()).allSatisfy(n -> assertThat(n).isEqualTo(1)); // no email twice
        } finally {
            second.process().destroy(); // a normal stop this time
            assertThat(second.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** Polls every run until each has one of {@code statuses}; returns the last views. */
    private static Map<String, JsonNode> awaitAll(LocalClient client, List<String> runIds, Set<String> statuses, Duration timeout)
            throws InterruptedException {
        Map<String, JsonNode> last = new HashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean all = true;
            for (String id : runIds) {
                LocalClient.Reply r = client.get("/v1/runs/" + id);
                assertThat(r.status()).as("run %s: %s", id, r.body()).isEqualTo(200);
                last.put(id, r.body());
                all &= statuses.contains(r.body().path("status").asText());
            }
            if (all) {
                return last;
            }
            if (System.nanoTime() > deadline) {
                Map<String, String> now = new TreeMap<>();
                last.forEach((id, run) -> now.put(id, run.path("status").asText()));
                throw new AssertionError("runs did not reach " + statuses + " within " + timeout.toSeconds() + " s: " + now);
            }
            Thread.sleep(250);
        }
    }
}
