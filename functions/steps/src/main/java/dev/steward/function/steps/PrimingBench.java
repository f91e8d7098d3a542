package dev.steward.function.steps;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.agent.AgentSteps;
import dev.steward.core.json.Json;
import dev.steward.rag.KnowledgeBases;
import dev.steward.store.StewardTable;
import dev.steward.store.Stores;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What SnapStart priming moves out of a restored function's first run. Each function's priming ({@link StepHandler#prime};
 * for ingest {@link KnowledgeBases#prime}) runs in a fresh JVM of its own, timed once cold, as the first run of an
 * environment restored from an unprimed snapshot pays that work, and once more warm, as it costs once everything is
 * loaded; the difference is what a primed snapshot saves the first run. What the handlers load while they are
 * constructed (the stores' clients, the guardrails' name lists) is in every snapshot already and not counted. The
 * stores point at nothing and are never called.
 *
 * <pre>PrimingBench [--json]</pre>
 */
public final class PrimingBench {
    static final List<String> FUNCTIONS = List.of("plan", "retrieve", "act", "respond", "ingest");
    private static final String RESULT = "PRIMING ";

    private PrimingBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--one")) {
            double[] t = measure(args[1]);
            System.out.printf(Locale.ROOT, "%s%s %.1f %.1f%n", RESULT, args[1], t[0], t[1]);
            return;
        }
        System.exit(run(args, System.out, System.err));
    }

    /** Measures every function in its own JVM (this one's java and class path); prints a line each, then JSON with --json. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        boolean json = List.of(args).contains("--json");
        String java = ProcessHandle.current().info().command().orElse("java");
        ObjectNode figures = Json.object();
        for (String function : FUNCTIONS) {
            String output;
            try {
                Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), PrimingBench.class.getName(), "--one", function)
                        .redirectErrorStream(true).start();
                output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                    err.println("priming " + function + " failed:\n" + output);
                    return 1;
                }
            } catch (IOException e) {
                err.println("cannot start a JVM for " + function + ": " + e.getMessage());
                return 1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
            String line = output.lines().filter(l -> l.startsWith(RESULT)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no result from " + function + ":\n" + output));
            String[] parts = line.substring(RESULT.length()).split(" ");
            double cold = Double.parseDouble(parts[1]);
            double warm = Double.parseDouble(parts[2]);
            out.printf(Locale.ROOT, "%-8s priming work %7.1f ms cold, %6.1f ms warm: a primed snapshot saves the first run %7.1f ms%n",
                    function, cold, warm, cold - warm);
            figures.putObject(function).put("cold_ms", round(cold)).put("warm_ms", round(warm)).put("saved_ms", round(cold - warm));
        }
        if (json) {
            out.println(Json.write(figures));
        }
        return 0;
    }

    /** In this JVM: the function's priming, cold then warm, in milliseconds. */
    static double[] measure(String function) {
        DynamoDbClient nowhere = DynamoDbClient.builder().endpointOverride(URI.create("http://127.0.0.1:9")).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("none", "none"))).build();
        AgentSteps steps = AgentSteps.builder(Stores.over(new StewardTable(nowhere, "nowhere")), () -> {
            throw new IllegalStateException("priming opens no knowledge base");
        }).build();
        Runnable priming = switch (function) {
            case "plan" -> () -> new PlanHandler(steps).prime(steps);
            case "retrieve" -> () -> new RetrieveHandler(steps).prime(steps);
            case "act" -> () -> new ActHandler(steps).prime(steps);
            case "respond" -> () -> new RespondHandler(steps).prime(steps);
            case "ingest" -> () -> KnowledgeBases.prime(Map.of());
            default -> throw new IllegalArgumentException("no function " + function + "; use one of " + FUNCTIONS);
        };
        return new double[] {timed(priming), timed(priming)};
    }

    private static double timed(Runnable work) {
        long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1e6;
    }

    private static double round(double ms) {
        return Math.round(ms * 10) / 10.0;
    }
}
