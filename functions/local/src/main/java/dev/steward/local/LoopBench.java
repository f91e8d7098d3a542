package dev.steward.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.agent.StepObserver;
import dev.steward.core.json.Json;
import dev.steward.core.run.RunRecord;
import dev.steward.llm.ChatModel;
import dev.steward.llm.ModelReply;
import dev.steward.llm.ModelRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Platform overhead of the agent loop: runs go through local mode exactly as in production use (API, state machine
 * runner, Lambda endpoint, store, retrieval), with a model that answers instantly, so every millisecond measured is
 * Steward's. Step time is the gap between consecutive step commits (the first from the run's creation); run time
 * is creation to the last commit.
 *
 * <p>The benchmark learns that a run has settled from the platform's step observer, not by polling the API: a
 * client's polling is the client's load (each poll is a store read competing with the runs for the cores and for
 * DynamoDB Local's single SQLite connection), not overhead of the loop. Every run is still read back through the
 * API afterwards, and its stored timestamps are what is measured.
 */
final class LoopBench {
    /** Answers at once with a valid, uncited answer: zero model latency. */
    static final class InstantModel implements ChatModel {
        @Override
        public ModelReply chat(ModelRequest request) {
            return new ModelReply("{\"answer\":\"Benchmark answer.\",\"citations\":[]}", "instant", 0, 0);
        }

        @Override
        public String id() {
            return "instant";
        }
    }

    /** {@code handlerMs}: time inside the step handlers alone; the rest of a step is transport and orchestration. */
    record Result(List<Double> stepMs, List<Double> runMs, List<Double> handlerMs, double runsPerSecond, double stepsPerRun) {}

    /**
     * @param warmup runs done first and not measured: the JIT compiles the hot paths during the first hundred or so
     *     runs (measured: run p50 55–62 ms after 10 warm-up runs, 48–55 ms after 100), and the figures are meant
     *     for a warm platform; cold starts are a separate figure
     */
    static Result run(Path home, Path s3proxyJar, int runs, int concurrency, int warmup) throws Exception {
        Path dataDir = Files.createTempDirectory("steward-bench-loop");
        SettledRuns settled = new SettledRuns();
        try (LocalPlatform platform = LocalPlatform.start(new LocalConfig(home, dataDir, 0, 1 << 20, s3proxyJar, true),
                Optional.<ChatModel>of(new InstantModel()), settled)) {
            LocalClient demo = new LocalClient(platform.uri(), platform.operatorToken(), "demo");
            demo.awaitDocumentsSettled(Duration.ofMinutes(2));
            // Warm-up: JIT, model load, first index searcher.
            for (int i = 0; i < warmup; i++) {
                settled.await(start(demo, "How long do refunds take? (warm-up " + i + ")"));
            }
            List<String> ids = Collections.synchronizedList(new ArrayList<>());
            long t0 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(concurrency);
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    String id = start(demo, "How long do refunds take to reach customers? #" + n);
                    settled.await(id);
                    ids.add(id);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            double wallS = (System.nanoTime() - t0) / 1e9;
            pool.shutdown();
            List<Double> steps = new ArrayList<>();
            List<Double> totals = new ArrayList<>();
            List<Double> handlers = new ArrayList<>();
            long stepCount = 0;
            for (String id : ids) {
                JsonNode run = demo.get("/v1/runs/" + id).body();
                if (!run.path("status").asText().equals("SUCCEEDED")) {
                    throw new IllegalStateException("benchmark run " + id + " ended " + run.path("status").asText() + ": " + run.path("error"));
                }
                Instant previous = Instant.parse(run.path("createdAt").asText());
                Instant first = previous;
                for (JsonNode step : run.path("steps")) {
                    Instant at = Instant.parse(step.path("at").asText());
                    steps.add(Duration.between(previous, at).toNanos() / 1e6);
                    handlers.add(step.path("durationMs").asDouble());
                    previous = at;
                    stepCount++;
                }
                totals.add(Duration.between(first, previous).toNanos() / 1e6);
            }
            return new Result(steps, totals, handlers, runs / wallS, stepCount / (double) runs);
        }
    }

    private static String start(LocalClient demo, String question) {
        LocalClient.Reply r = demo.postJson("/v1/runs", Json.object().put("agent", "knowledge-assistant").put("input", question));
        if (!r.ok()) {
            throw new IllegalStateException("could not start a run: " + r.errorMessage());
        }
        return r.body().path("runId").asText();
    }

    /** Completes a run's future when a step commits it in a state other than QUEUED or RUNNING. */
    private static final class SettledRuns implements StepObserver {
        private final ConcurrentHashMap<String, CompletableFuture<Void>> runs = new ConcurrentHashMap<>();

        @Override
        public void committed(RunRecord run) {
            if (run.status().settled()) {
                runs.computeIfAbsent(run.id().value(), id -> new CompletableFuture<>()).complete(null);
            }
        }

        void await(String runId) throws Exception {
            try {
                runs.computeIfAbsent(runId, id -> new CompletableFuture<>()).get(60, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new IllegalStateException("run " + runId + " did not finish in 60 s", e);
            } finally {
                runs.remove(runId);
            }
        }
    }

    static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    static ObjectNode json(Result r) {
        return Json.object()
                .put("step_p50_ms", round(percentile(r.stepMs(), 50)))
                .put("step_p99_ms", round(percentile(r.stepMs(), 99)))
                .put("run_p50_ms", round(percentile(r.runMs(), 50)))
                .put("run_p99_ms", round(percentile(r.runMs(), 99)))
                .put("runs_per_s", round(r.runsPerSecond()))
                .put("steps_per_run", round(r.stepsPerRun()))
                .put("handler_p50_ms", round(percentile(r.handlerMs(), 50)));
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
