package dev.steward.cdk;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import software.amazon.awscdk.Duration;

/**
 * The Lambda functions of one stage: which Maven module ships each, its handler, and how it is sized.
 *
 * <p>Memory buys CPU on Lambda (1,769 MB is one vCPU), so the sizes follow the CPU each function burns, not just
 * its heap. Step timeouts stay below the 300 s {@code TimeoutSeconds} of their Task state in
 * {@code agent-loop.asl.json}, so a slow step fails as a Lambda timeout the state machine can retry, not as a
 * state timeout that leaves the invocation running.
 */
public enum StewardFunction {
    /** Latency-bound JSON over DynamoDB; 1 GB gives about 0.6 vCPU, enough for a snappy restore. */
    API("api", "api", "dev.steward.function.api.ApiHandler", 1024, Duration.seconds(29), null),
    /** On every authenticated request's path: one HMAC and one table read. */
    AUTHORIZER("authorizer", "authorizer", "dev.steward.function.authorizer.AuthorizerHandler", 1024,
            Duration.seconds(10), null),
    /** Model calls dominate; the function mostly waits. */
    PLAN("plan", "steps", "dev.steward.function.steps.PlanHandler", 1024, Duration.seconds(240), "PlanFunctionArn"),
    /**
     * Embeds the query in-process (ONNX, model in native memory), then fuses search results; chunks with a request in
     * them are read by the same bundled model sentence by sentence (the off-task check).
     */
    RETRIEVE("retrieve", "steps", "dev.steward.function.steps.RetrieveHandler", 2048, Duration.seconds(240),
            "RetrieveFunctionArn"),
    /** Runs tools; a tool result with a request in it is read by the bundled sentence model (primed before the snapshot). */
    ACT("act", "steps", "dev.steward.function.steps.ActHandler", 1024, Duration.seconds(240), "ActFunctionArn"),
    RESPOND("respond", "steps", "dev.steward.function.steps.RespondHandler", 1024, Duration.seconds(240),
            "RespondFunctionArn"),
    /** The citation gate on the answer (the answer's guardrails run in respond). */
    VERIFY("verify", "steps", "dev.steward.function.steps.VerifyHandler", 1024, Duration.seconds(240),
            "VerifyFunctionArn"),
    /** One conditional write; its Task state allows 60 s. */
    FAIL("fail", "steps", "dev.steward.function.steps.FailHandler", 512, Duration.seconds(30), "FailFunctionArn"),
    /**
     * Parses documents and embeds every chunk: CPU-bound, so two full vCPUs (3,538 MB). Five minutes covers a
     * 20 MiB upload at the ~29 passages/s measured per core; the queue's visibility timeout is derived from it.
     */
    INGEST("ingest", "ingest", "dev.steward.function.ingest.IngestHandler", 3538, Duration.minutes(5), null),
    /** Crash recovery on a schedule: resumes stale runs, closes runs whose review expired. Small and short. */
    SWEEPER("sweeper", "api", "dev.steward.function.api.SweeperHandler", 512, Duration.minutes(1), null);

    private final String functionName;
    private final String module;
    private final String handlerClass;
    private final int memoryMb;
    private final Duration timeout;
    private final String aslPlaceholder;

    StewardFunction(String functionName, String module, String handlerClass, int memoryMb, Duration timeout,
                    String aslPlaceholder) {
        this.functionName = functionName;
        this.module = module;
        this.handlerClass = handlerClass;
        this.memoryMb = memoryMb;
        this.timeout = timeout;
        this.aslPlaceholder = aslPlaceholder;
    }

    /** Short name: construct ids, POWERTOOLS_SERVICE_NAME suffix, keys of {@link FunctionAssets}. */
    public String functionName() {
        return functionName;
    }

    /** The Maven module under {@code functions/} whose shaded jar contains the handler. */
    public String module() {
        return module;
    }

    public String handlerClass() {
        return handlerClass;
    }

    /** Lambda's handler string. */
    public String handler() {
        return handlerClass + "::handleRequest";
    }

    public int memoryMb() {
        return memoryMb;
    }

    public Duration timeout() {
        return timeout;
    }

    /** The {@code ${...}} placeholder name this function fills in the agent-loop ASL, if it is a step. */
    public Optional<String> aslPlaceholder() {
        return Optional.ofNullable(aslPlaceholder);
    }

    public static List<StewardFunction> agentLoopSteps() {
        return Arrays.stream(values()).filter(f -> f.aslPlaceholder != null).toList();
    }

    public static StewardFunction byName(String functionName) {
        return Arrays.stream(values())
                .filter(f -> f.functionName.equals(functionName))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no Steward function named " + functionName));
    }
}
