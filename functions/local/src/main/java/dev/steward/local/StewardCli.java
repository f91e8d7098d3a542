package dev.steward.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.core.json.Json;
import dev.steward.core.tenant.Role;
import dev.steward.core.tenant.TenantId;
import dev.steward.function.api.ApiConfig;
import dev.steward.store.tenant.TenantLimit;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code steward} command line: run local mode, create tenants, ingest files, ask agents, list runs. */
@Command(name = "steward", mixinStandardHelpOptions = true, version = "steward 0.1.0",
        description = "Steward: multi-tenant AI agents. Local mode runs the whole platform on this machine.",
        subcommands = {StewardCli.Up.class, StewardCli.Tenant.class, StewardCli.Ingest.class, StewardCli.Ask.class, StewardCli.Runs.class, StewardCli.Audit.class,
                StewardCli.Webhook.class,
                StewardCli.Connection.class, StewardCli.Bench.class})
public final class StewardCli {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line as {@code ./steward} runs it. A failure the user can act on (local mode not running, a file that
     * cannot be read, a bad value) is one line on standard error and exit code 1, not a stack trace; anything else is
     * a bug and keeps its trace.
     */
    static CommandLine commandLine() {
        return new CommandLine(new StewardCli()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (e instanceof IllegalStateException || e instanceof IllegalArgumentException || e instanceof UncheckedIOException) {
                        cmd.getErr().println("steward: " + e.getMessage());
                        return 1;
                    }
                    throw e;
                });
    }

    static Path home() {
        return Path.of(System.getProperty("steward.home", ".")).toAbsolutePath().normalize();
    }

    static class DataDirOption {
        @Option(names = "--data-dir", defaultValue = ".steward", description = "local mode's data directory (default: ${DEFAULT-VALUE})")
        Path dataDir;

        Path resolved() {
            return dataDir.isAbsolute() ? dataDir : home().resolve(dataDir).normalize();
        }
    }

    @Command(name = "up", description = "Start local mode (Ctrl-C stops everything).")
    static final class Up implements Callable<Integer> {
        @CommandLine.Mixin
        DataDirOption data = new DataDirOption();

        @Option(names = "--port", defaultValue = "8787", description = "HTTP port on 127.0.0.1 (default: ${DEFAULT-VALUE})")
        int port;

        @Option(names = "--no-seed", description = "do not create the demo tenant on first start")
        boolean noSeed;

        @Override
        public Integer call() throws Exception {
            long maxUpload = Long.parseLong(System.getenv().getOrDefault("STEWARD_MAX_UPLOAD_BYTES",
                    Long.toString(ApiConfig.DEFAULT_MAX_UPLOAD_BYTES)));
            LocalConfig config = new LocalConfig(home(), data.resolved(), port, maxUpload,
                    Path.of(System.getProperty("steward.s3proxy.jar", home().resolve("functions/local/target/s3proxy/s3proxy.jar").toString())),
                    !noSeed);
            LocalPlatform platform = LocalPlatform.start(config);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                platform.close();
                stopped.countDown();
            }, "steward-shutdown"));
            System.out.println();
            System.out.println("  Steward local mode is up");
            System.out.println("  URL:          " + platform.uri());
            System.out.println("  Demo API key: " + platform.demoKey().orElse("(not available: this data dir was seeded without one)"));
            System.out.println("  Data dir:     " + config.dataDir());
            System.out.println("  Model:        " + platform.modelId().orElse("none configured: answers are offline-extractive"));
            System.out.println("  Press Ctrl-C to stop.");
            System.out.println();
            stopped.await();
            return 0;
        }
    }

    @Command(name = "tenant", description = "Manage tenants of a running local mode.", subcommands = {Tenant.Create.class, Tenant.Key.class, Tenant.Budget.class})
    static final class Tenant {
        @Command(name = "create", description = "Create a tenant and print its admin API key (shown once).")
        static final class Create implements Callable<Integer> {
            @CommandLine.Mixin
            DataDirOption data = new DataDirOption();

            @Parameters(paramLabel = "NAME", description = "tenant id: lower-case letters, digits, dashes")
            String name;

            @Override
            public Integer call() {
                if (invalidName(name)) {
                    return 2;
                }
                return printNewKey(client(data.resolved(), null).createTenant(name), "create tenant",
                        "Tenant '" + name + "' created. Its admin API key");
            }
        }

        @Command(name = "key", description = "Issue a tenant another API key with a role and print it (shown once).")
        static final class Key implements Callable<Integer> {
            @CommandLine.Mixin
            DataDirOption data = new DataDirOption();

            @Parameters(paramLabel = "NAME", description = "the tenant")
            String name;

            @Option(names = "--role", defaultValue = "member", description = "member (reads, asks, uploads), reviewer (a member who "
                    + "also decides reviews) or admin (also changes the policy, webhooks and connections) (default: ${DEFAULT-VALUE})")
            String roleName;

            @Override
            public Integer call() {
                if (invalidName(name)) {
                    return 2;
                }
                Role role;
                try {
                    role = Role.parse(roleName);
                } catch (IllegalArgumentException e) {
                    System.err.println(e.getMessage());
                    return 2;
                }
                return printNewKey(client(data.resolved(), null).createKey(name, role), "issue a key",
                        "A " + role.wire() + " API key of tenant '" + name + "'");
            }
        }

        @Command(name = "budget", description = "Show a tenant's limits (daily model tokens, API run starts per minute), or give it its "
                + "own (--daily-tokens, --runs-per-minute: a number, or 'default' for the deployment's again).")
        static final class Budget implements Callable<Integer> {
            @CommandLine.Mixin
            DataDirOption data = new DataDirOption();

            @Parameters(paramLabel = "NAME", description = "the tenant")
            String name;

            @Option(names = "--daily-tokens", paramLabel = "N|default",
                    description = "model tokens (in + out) per UTC day; past it, runs halt before their next model call (0: none)")
            String dailyTokens;

            @Option(names = "--runs-per-minute", paramLabel = "N|default",
                    description = "runs started through the API per minute; past it, a start is refused with 429 (0: none)")
            String runsPerMinute;

            @Override
            public Integer call() {
                if (invalidName(name)) {
                    return 2;
                }
                ObjectNode change = Json.object();
                for (var given : new String[][] {{"dailyTokens", dailyTokens}, {"runsPerMinute", runsPerMinute}}) {
                    if (given[1] == null) {
                        continue;
                    }
                    if (given[1].strip().equals("default")) {
                        change.putNull(given[0]);
                    } else {
                        try {
                            change.put(given[0], Long.parseLong(given[1].strip()));
                        } catch (NumberFormatException e) {
                            System.err.println("'" + given[1] + "' is not a whole number or 'default'");
                            return 2;
                        }
                    }
                }
                LocalClient client = client(data.resolved(), null);
                LocalClient.Reply reply = change.isEmpty() ? client.tenantSettings(name) : client.updateTenantSettings(name, change);
                if (failed(reply, change.isEmpty() ? "read the tenant's limits" : "change the tenant's limits")) {
                    return 1;
                }
                for (TenantLimit limit : TenantLimit.values()) {
                    JsonNode l = reply.body().path(limit.wire());
                    System.out.println(name + ": " + l.path("limit").asLong() + " " + limit.meaning() + " ("
                            + ("tenant".equals(l.path("source").asText()) ? "its own" : "the deployment's default") + ")");
                }
                return 0;
            }
        }

        /** True, after saying why on stderr, when {@code name} cannot be a tenant id. */
        private static boolean invalidName(String name) {
            if (TenantId.isValid(name)) {
                return false;
            }
            System.err.println("invalid tenant name '" + name + "': use 2-40 lower-case letters, digits or dashes, starting with a letter");
            return true;
        }

        /** Prints the new key the reply carries under {@code heading} (it is shown only now) and returns 0; 1 when it was refused. */
        private static int printNewKey(LocalClient.Reply reply, String doing, String heading) {
            if (failed(reply, doing)) {
                return 1;
            }
            System.out.println(heading + " (shown only now, store it safely):");
            System.out.println(reply.body().path("apiKey").asText());
            return 0;
        }
    }

    @Command(name = "ingest", description = "Upload files or folders to a tenant's knowledge base and wait until they are indexed "
            + "(files over 4 MB through an upload URL).")
    static final class Ingest implements Callable<Integer> {
        @CommandLine.Mixin
        DataDirOption data = new DataDirOption();

        @Option(names = "--tenant", required = true)
        String tenant;

        @Option(names = "--timeout", defaultValue = "600", description = "seconds to wait for indexing (default: ${DEFAULT-VALUE})")
        int timeoutSeconds;

        @Parameters(paramLabel = "PATH", arity = "1..*")
        List<Path> paths;

        @Override
        public Integer call() throws IOException, InterruptedException {
            LocalClient client = client(data.resolved(), tenant);
            List<Path> files = expand(paths);
            Map<String, String> failures = new LinkedHashMap<>();
            Map<String, Path> queued = new LinkedHashMap<>();
            try (ProgressBar bar = bar("Uploading", files.size())) {
                for (Path f : files) {
                    LocalClient.Reply r = client.upload(f.getFileName().toString(), Files.readAllBytes(f));
                    if (r.ok()) {
                        queued.put(r.body().path("documentId").asText(), f);
                    } else {
                        failures.put(f.toString(), r.errorMessage());
                    }
                    bar.step();
                }
            }
            long deadline = System.currentTimeMillis() + timeoutSeconds * 1000L;
            int indexed = 0;
            try (ProgressBar bar = bar("Indexing ", queued.size())) {
                List<String> pending = new ArrayList<>(queued.keySet());
                while (!pending.isEmpty() && System.currentTimeMillis() < deadline) {
                    for (var it = pending.iterator(); it.hasNext(); ) {
                        String id = it.next();
                        LocalClient.Reply r = client.get("/v1/documents/" + id);
                        String status = r.body().path("status").asText();
                        if (status.equals("INDEXED")) {
                            indexed++;
                        } else if (status.equals("FAILED")) {
                            failures.put(queued.get(id).toString(), r.body().path("reason").asText("failed"));
                        } else {
                            continue;
                        }
                        it.remove();
                        bar.step();
                    }
                    if (!pending.isEmpty()) {
                        Thread.sleep(250);
                    }
                }
                pending.forEach(id -> failures.put(queued.get(id).toString(), "not indexed within " + timeoutSeconds + " s"));
            }
            System.out.println(indexed + " indexed, " + failures.size() + " failed");
            failures.forEach((file, why) -> System.out.println("  FAILED " + file + ": " + why));
            return failures.isEmpty() ? 0 : 1;
        }

        private static List<Path> expand(List<Path> paths) throws IOException {
            List<Path> out = new ArrayList<>();
            for (Path p : paths) {
                if (Files.isDirectory(p)) {
                    try (Stream<Path> walk = Files.walk(p)) {
                        walk.filter(Files::isRegularFile)
                                .filter(f -> !f.getFileName().toString().startsWith("."))
                                .sorted().forEach(out::add);
                    }
                } else if (Files.isRegularFile(p)) {
                    out.add(p);
                } else {
                    throw new IllegalArgumentException("no such file or folder: " + p);
                }
            }
            return out;
        }

        private static ProgressBar bar(String task, int total) {
            return new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(200).continuousUpdate().build();
        }
    }

    @Command(name = "ask", description = "Ask an agent and print its JSON answer.")
    static final class Ask implements Callable<Integer> {
        @CommandLine.Mixin
        DataDirOption data = new DataDirOption();

        @Option(names = "--tenant", required = true)
        String tenant;

        @Option(names = "--agent", defaultValue = "knowledge-assistant")
        String agent;

        @Option(names = "--timeout", defaultValue = "120")
        int timeoutSeconds;

        @Parameters(paramLabel = "QUESTION")
        String question;

        @Override
        public Integer call() throws InterruptedException, com.fasterxml.jackson.core.JsonProcessingException {
            LocalClient client = client(data.resolved(), tenant);
            LocalClient.Reply started = client.postJson("/v1/runs", Json.object().put("agent", agent).put("input", question));
            if (failed(started, "start the run")) {
                return 1;
            }
            String runId = started.body().path("runId").asText();
            java.util.Optional<JsonNode> settled = client.awaitRunSettled(runId, java.time.Duration.ofSeconds(timeoutSeconds),
                    java.time.Duration.ofMillis(200));
            if (settled.isEmpty()) {
                System.err.println("run " + runId + " did not finish within " + timeoutSeconds + " s");
                return 1;
            }
            PrintWriter out = new PrintWriter(System.out, true);
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(settled.get()));
            return settled.get().path("status").asText().equals("SUCCEEDED") ? 0 : 1;
        }
    }

    @Command(name = "runs", description = "List a tenant's runs, newest first: one line per run (id, status, agent, created, input preview).")
    static final class Runs implements Callable<Integer> {
        @CommandLine.Mixin
        DataDirOption data = new DataDirOption();

        @Option(names = "--tenant", required = true)
        String tenant;

        @Option(names = "--status", description = "only runs with this status, e.g. waiting_for_review")
        String status;

        @Option(names = "--agent", description = "only runs of this agent")
        String agent;

        @CommandLine.Mixin
        PageOptions page = new PageOptions();

        @Override
        public Integer call() {
            Map<String, String> optional = new LinkedHashMap<>();
            optional.put("status", status);
            optional.put("agent", agent);
            return page.print(client(data.resolved(), tenant), "/v1/runs", optional, "runs", run -> String.join("  ",
                    run.path("runId").asText(), run.path("status").asText(), run.path("agent").asText(),
                    run.path("createdAt").asText(), run.path("inputPreview").asText()));
        }
    }

    @Command(name = "audit", description = "List a tenant's audit trail, newest first: one line per change (time, actor, role, action, "
            + "target, detail).")
    static final class Audit implements Callable<Integer> {
        @CommandLine.Mixin
        DataDirOption data = new DataDirOption();

        @Option(names = "--tenant", required = true)
        String tenant;

        @Option(names = "--action", description = "only this kind of change, e.g. connection.saved or policy.published")
        String action;

        @Option(names = "--since", description = "only changes at or after this UTC time, e.g. 2026-05-01T00:00:00Z")
        String since;

        @Option(names = "--until", description = "only changes before this UTC time")
        String until;

        @CommandLine.Mixin
        PageOptions page = new PageOptions();

        @Override
        public Integer call() {
            Map<String, String> optional = new LinkedHashMap<>();
            optional.put("action", action);
            optional.put("since", since);
            optional.put("until", until);
            return page.print(client(data.resolved(), tenant), "/v1/audit", optional, "events", e -> {
                List<String> detail = new ArrayList<>();
                e.path("detail").properties().forEach(d -> detail.add(d.getKey() + "=" + d.getValue().asText()));
                return String.join("  ", e.path("at").asText(), e.path("actor").asText(), e.path("role").asText(),
                        e.path("action").asText(), e.path("target").asText(), String.join(" ", detail)).strip();
            });
        }
    }

    /** The options of a paged listing ({@code GET /v1/runs}, {@code GET /v1/audit}), and how one page is printed. */
    static final class PageOptions {
        @Option(names = "--limit", defaultValue = "20", description = "how many to read, 1 to 100 (default: ${DEFAULT-VALUE})")
        int limit;

        @Option(names = "--cursor", description = "continue where a previous listing stopped (it prints the cursor)")
        String cursor;

        /**
         * Reads one page of {@code base} with these options and each of {@code filters} that is set, prints one line per
         * item of the answer's {@code array}, then the option that continues the listing when there is more; 1 when
         * the API refused.
         */
        int print(LocalClient client, String base, Map<String, String> filters, String array, java.util.function.Function<JsonNode, String> line) {
            Map<String, String> query = new LinkedHashMap<>(filters);
            query.put("cursor", cursor);
            LocalClient.Reply r = client.get(listingPath(base, limit, query));
            if (failed(r, "list the " + array)) {
                return 1;
            }
            for (JsonNode item : r.body().path(array)) {
                System.out.println(line.apply(item));
            }
            if (r.body().path("nextCursor").isTextual()) {
                System.out.println("more: --cursor " + r.body().path("nextCursor").asText());
            }
            return 0;
        }
    }

    /** {@code base?limit=N} and each option that is set, URL-encoded: the query of a paged listing. */
    static String listingPath(String base, int limit, Map<String, String> optional) {
        StringBuilder path = new StringBuilder(base).append("?limit=").append(limit);
        optional.forEach((name, value) -> {
            if (value != null) {
                path.append('&').append(name).append('=').append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8));
            }
        });
        return path.toString();
    }

    @Command(name = "webhook", description = "Set up a tenant's Zendesk or HubSpot webhook, and send it a signed test delivery.",
            subcommands = {Webhook.Set.class, Webhook.Send.class})
    static final class Webhook {
        @Command(name = "set", description = "Choose the agent a vendor's events start, and the secret they are signed with.")
        static final class Set implements Callable<Integer> {
            @CommandLine.Mixin
            DataDirOption data = new DataDirOption();

            @Option(names = "--tenant", required = true)
            String tenant;

            @Option(names = "--agent", required = true, description = "the agent each event starts a run of")
            String agent;

            @Option(names = "--secret", required = true, description = "Zendesk's webhook signing secret, or the HubSpot app's client secret")
            String secret;

            @Option(names = "--events", split = ",", description = "event types that start runs (default: all), e.g. zen:event-type:ticket.created")
            List<String> events = List.of();

            @Parameters(paramLabel = "SOURCE", description = "zendesk or hubspot")
            String source;

            @Override
            public Integer call() {
                var body = Json.object().put("agent", agent).put("secret", secret);
                body.set("events", Json.mapper().valueToTree(events));
                LocalClient.Reply r = client(data.resolved(), tenant).putJson("/v1/webhooks/" + source, body);
                if (failed(r, "set the webhook")) {
                    return 1;
                }
                System.out.println(source + " deliveries to " + r.body().path("path").asText() + " now start runs of '" + agent + "'.");
                return 0;
            }
        }

        @Command(name = "send", description = "Sign a payload file as the vendor would and deliver it; print the runs it started once they settle.")
        static final class Send implements Callable<Integer> {
            @CommandLine.Mixin
            DataDirOption data = new DataDirOption();

            @Option(names = "--tenant", required = true)
            String tenant;

            @Option(names = "--secret", required = true, description = "the secret the webhook was set up with")
            String secret;

            @Option(names = "--timeout", defaultValue = "120")
            int timeoutSeconds;

            @Parameters(index = "0", paramLabel = "SOURCE", description = "zendesk or hubspot")
            String source;

            @Parameters(index = "1", paramLabel = "PAYLOAD", description = "a JSON file with the vendor's payload")
            Path payload;

            @Override
            public Integer call() throws IOException, InterruptedException {
                var vendor = dev.steward.connectors.webhook.Webhook.forSource(source);
                if (vendor.isEmpty()) {
                    System.err.println("unknown webhook source '" + source + "': use zendesk or hubspot");
                    return 2;
                }
                LocalClient client = client(data.resolved(), tenant);
                LocalClient.Reply r = client.deliver(vendor.get(), tenant, Files.readAllBytes(payload), secret);
                PrintWriter out = new PrintWriter(System.out, true);
                out.println("HTTP " + r.status() + " " + Json.write(r.body()));
                if (!r.ok()) {
                    return 1;
                }
                for (JsonNode run : r.body().path("runs")) {
                    java.util.Optional<JsonNode> settled = client.awaitRunSettled(run.path("runId").asText(),
                            java.time.Duration.ofSeconds(timeoutSeconds), java.time.Duration.ofMillis(200));
                    out.println(settled.map(Json::write).orElse("run " + run.path("runId").asText() + " did not settle within " + timeoutSeconds + " s"));
                }
                return 0;
            }
        }
    }

    @Command(name = "bench", description = "Benchmarks that print figures.", subcommands = {Bench.Loop.class, Bench.Guardrails.class, Bench.Retrieval.class, Bench.Priming.class})
    static final class Bench {
        @Command(name = "priming", description = "What SnapStart priming saves each function's first run after a restore (a fresh JVM per function).",
                mixinStandardHelpOptions = true)
        static final class Priming implements Callable<Integer> {
            @Option(names = "--json", description = "end with one JSON line")
            boolean json;

            @Override
            public Integer call() {
                return dev.steward.function.steps.PrimingBench.run(json ? new String[] {"--json"} : new String[0], System.out, System.err);
            }
        }

        @Command(name = "retrieval", description = "nDCG@10, Recall@100, MRR@10 and latency per pipeline over a BEIR folder, plus ingest throughput.",
                mixinStandardHelpOptions = true)
        static final class Retrieval implements Callable<Integer> {
            @Option(names = "--dataset", required = true, description = "BEIR folder: corpus.jsonl, queries.jsonl, qrels/test.tsv")
            Path dataset;

            @Option(names = "--backend", defaultValue = "lucene", description = "lucene or opensearch (a throwaway node is started unless --opensearch-url URL is given)")
            String backend;

            @Option(names = "--json", description = "end with one JSON line")
            boolean json;

            @CommandLine.Unmatched
            List<String> more = new ArrayList<>();

            @Override
            public Integer call() {
                List<String> args = new ArrayList<>(List.of("--dataset", dataset.toAbsolutePath().normalize().toString(), "--backend", backend));
                if (json) {
                    args.add("--json");
                }
                args.addAll(more);
                return dev.steward.rag.bench.RetrievalBench.run(args.toArray(String[]::new), System.out, System.err);
            }
        }

        @Command(name = "guardrails", description = "PII, injection and toxicity detectors on the shared datasets (held-out parts only).",
                mixinStandardHelpOptions = true)
        static final class Guardrails implements Callable<Integer> {
            @Option(names = "--datasets", description = "dataset folder (default: ../shared/datasets beside the repository)")
            Path datasets;

            @Option(names = "--json", description = "end with one JSON line")
            boolean json;

            @Override
            public Integer call() {
                List<String> args = new ArrayList<>(List.of("--datasets",
                        (datasets == null ? home().resolve("../shared/datasets") : datasets.toAbsolutePath()).normalize().toString()));
                if (json) {
                    args.add("--json");
                }
                return dev.steward.guardrails.bench.GuardrailsBench.run(args.toArray(String[]::new), System.out, System.err);
            }
        }

        @Command(name = "loop", description = "Platform overhead of the agent loop with an instant model (p50/p99 per step and per run, runs/s).")
        static final class Loop implements Callable<Integer> {
            @Option(names = "--runs", defaultValue = "200")
            int runs;

            @Option(names = "--concurrency", defaultValue = "1")
            int concurrency;

            @Option(names = "--warmup", defaultValue = "100", description = "runs done first and not measured (JIT warm-up)")
            int warmup;

            @Option(names = "--json", description = "end with one JSON line")
            boolean json;

            @Override
            public Integer call() throws Exception {
                LoopBench.Result r = LoopBench.run(home(),
                        Path.of(System.getProperty("steward.s3proxy.jar", home().resolve("functions/local/target/s3proxy/s3proxy.jar").toString())),
                        runs, concurrency, warmup);
                JsonNode figures = LoopBench.json(r);
                System.out.printf("loop benchmark: %d runs after %d warm-up runs, concurrency %d, %.1f steps per run%n",
                        runs, warmup, concurrency, r.stepsPerRun());
                System.out.printf("  per step: p50 %.2f ms, p99 %.2f ms%n", figures.path("step_p50_ms").asDouble(), figures.path("step_p99_ms").asDouble());
                System.out.printf("  per run:  p50 %.2f ms, p99 %.2f ms%n", figures.path("run_p50_ms").asDouble(), figures.path("run_p99_ms").asDouble());
                System.out.printf("  inside the step handlers: p50 %.2f ms per step%n", figures.path("handler_p50_ms").asDouble());
                System.out.printf("  throughput: %.2f runs/s%n", figures.path("runs_per_s").asDouble());
                if (json) {
                    System.out.println(Json.write(figures));
                }
                return 0;
            }
        }
    }

    @Command(name = "connection", description = "Store or remove a tenant's Zendesk, HubSpot, Slack or Google Calendar credentials, which the agent's tools act with.",
            subcommands = {Connection.Set.class, Connection.Delete.class})
    static final class Connection {
        @Command(name = "set", description = "Store the tenant's credentials for a vendor (replaces earlier ones; the token is never shown again).")
        static final class Set implements Callable<Integer> {
            @CommandLine.Mixin
            DataDirOption data = new DataDirOption();

            @Option(names = "--tenant", required = true)
            String tenant;

            @Option(names = "--subdomain", description = "Zendesk only: the account's subdomain (acme for acme.zendesk.com)")
            String subdomain;

            @Option(names = "--email", description = "Zendesk only: the agent address the API token belongs to")
            String email;

            @Option(names = "--token", interactive = true, arity = "0..1",
                    description = "Zendesk's API token, HubSpot's private app token or the Slack app's bot token (xoxb-...); without a value it is asked for, unechoed")
            String token;

            @Option(names = "--client-id", description = "Google Calendar only: the OAuth client's id (...apps.googleusercontent.com)")
            String clientId;

            @Option(names = "--calendar-id", description = "Google Calendar only: the calendar events are booked in (default primary)")
            String calendarId;

            @Option(names = "--client-secret", interactive = true, arity = "0..1",
                    description = "Google Calendar only: the OAuth client's secret; without a value it is asked for, unechoed")
            String clientSecret;

            @Option(names = "--refresh-token", interactive = true, arity = "0..1",
                    description = "Google Calendar only: the refresh token from Google's consent flow; without a value it is asked for, unechoed")
            String refreshToken;

            @Parameters(paramLabel = "VENDOR", description = "zendesk, hubspot, slack or google_calendar")
            String vendor;

            @Override
            public Integer call() {
                var body = Json.object();
                if (token != null) {
                    body.put("token", token);
                }
                for (String[] google : new String[][] {{"client_id", clientId}, {"calendar_id", calendarId}, {"client_secret", clientSecret},
                        {"refresh_token", refreshToken}}) {
                    if (google[1] != null) {
                        body.put(google[0], google[1]);
                    }
                }
                if (subdomain != null) {
                    body.put("subdomain", subdomain);
                }
                if (email != null) {
                    body.put("email", email);
                }
                LocalClient.Reply r = client(data.resolved(), tenant).putJson("/v1/connections/" + vendor, body);
                if (failed(r, "set the connection")) {
                    return 1;
                }
                System.out.println("Tenant '" + tenant + "' now acts on " + vendor + " with the credentials it was given.");
                return 0;
            }
        }

        @Command(name = "delete", description = "Remove the tenant's credentials for a vendor; its tools answer not_connected from then on.")
        static final class Delete implements Callable<Integer> {
            @CommandLine.Mixin
            DataDirOption data = new DataDirOption();

            @Option(names = "--tenant", required = true)
            String tenant;

            @Parameters(paramLabel = "VENDOR", description = "zendesk, hubspot, slack or google_calendar")
            String vendor;

            @Override
            public Integer call() {
                LocalClient.Reply r = client(data.resolved(), tenant).delete("/v1/connections/" + vendor);
                if (failed(r, "delete the connection")) {
                    return 1;
                }
                System.out.println("Tenant '" + tenant + "' has no " + vendor + " connection any more.");
                return 0;
            }
        }
    }

    /** True, after saying why on stderr, when the local API refused what the command asked ({@code doing}: "set the webhook"). */
    static boolean failed(LocalClient.Reply reply, String doing) {
        if (reply.ok()) {
            return false;
        }
        System.err.println("could not " + doing + ": " + reply.errorMessage());
        return true;
    }

    static LocalClient client(Path dataDir, String tenant) {
        Path runtime = dataDir.resolve("runtime.properties");
        if (!Files.exists(runtime)) {
            throw new IllegalStateException("local mode is not running with data dir " + dataDir + ": start it with ./steward up");
        }
        Properties p = new Properties();
        try (var in = Files.newInputStream(runtime)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new LocalClient(URI.create(p.getProperty("url")), LocalSecrets.operatorToken(dataDir), tenant);
    }
}
