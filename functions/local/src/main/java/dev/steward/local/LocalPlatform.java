package dev.steward.local;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.steward.agent.AgentSteps;
import dev.steward.agent.Checkpoints;
import dev.steward.agent.StepObserver;
import dev.steward.guardrails.aws.GuardrailProviders;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import dev.steward.connectors.Toolboxes;
import dev.steward.core.tenant.TenantId;
import dev.steward.function.api.AgentTemplates;
import dev.steward.function.api.ApiConfig;
import dev.steward.function.api.ApiHandler;
import dev.steward.function.api.RunSweeper;
import dev.steward.function.api.TenantAdmin;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import dev.steward.function.authorizer.ApiKeyAuthenticator;
import dev.steward.function.authorizer.AuthorizerHandler;
import dev.steward.function.authorizer.JwtSettings;
import dev.steward.function.ingest.IngestHandler;
import dev.steward.function.ingest.IngestWorker;
import dev.steward.function.steps.ActHandler;
import dev.steward.function.steps.FailHandler;
import dev.steward.function.steps.PlanHandler;
import dev.steward.function.steps.RespondHandler;
import dev.steward.function.steps.RetrieveHandler;
import dev.steward.function.steps.VerifyHandler;
import dev.steward.llm.ChatModel;
import dev.steward.llm.ModelProviders;
import dev.steward.store.tenant.TenantLimit;
import dev.steward.rag.KnowledgeBase;
import dev.steward.rag.KnowledgeBases;
import dev.steward.store.StewardTable;
import dev.steward.store.Stores;
import dev.steward.store.secret.AesGcmSecretSealer;
import dev.steward.store.tenant.ApiKeys;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The whole platform on one machine: DynamoDB Local (on disk), ElasticMQ, S3Proxy, the Lambda endpoint hosting the
 * step handlers, the state machine runner and the HTTP gateway, all on 127.0.0.1. {@link #close()} stops them in
 * reverse order.
 */
public final class LocalPlatform implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LocalPlatform.class.getName());
    static final String TABLE = "steward";
    static final String BUCKET = "steward-uploads";
    static final String DEMO_TENANT = "demo";

    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final LocalConfig config;
    private Stores stores;
    private LocalGateway gateway;
    private LocalQueue queue;
    private LocalObjectStore objects;
    private String operatorToken;
    private Optional<String> demoKey = Optional.empty();
    private KnowledgeBase knowledge;
    private URI lambdaEndpoint;
    private RunSweeper sweeper;
    private Optional<ChatModel> model = Optional.empty();
    private StepObserver observer = StepObserver.NONE;

    /** The API handler needs the state machine client, which needs the Lambda endpoint: filled in once both exist. */
    private static final class ApiHandlerHolder {
        private volatile ApiHandler api;

        ApiHandler get() {
            ApiHandler a = api;
            if (a == null) {
                throw new IllegalStateException("the API function is not ready yet");
            }
            return a;
        }

        void set(ApiHandler a) {
            api = a;
        }
    }

    private LocalPlatform(LocalConfig config) {
        this.config = config;
    }

    public static LocalPlatform start(LocalConfig config) throws IOException {
        return start(config, Optional.empty());
    }

    /** Starts with {@code modelOverride} instead of the configured model (benchmarks and tests). */
    public static LocalPlatform start(LocalConfig config, Optional<ChatModel> modelOverride) throws IOException {
        return start(config, modelOverride, StepObserver.NONE);
    }

    /** Also tells {@code observer} about every committed step, in the step's thread (benchmarks). */
    static LocalPlatform start(LocalConfig config, Optional<ChatModel> modelOverride, StepObserver observer) throws IOException {
        LocalPlatform p = new LocalPlatform(config);
        p.model = modelOverride;
        p.observer = observer;
        try {
            p.startAll();
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
        return p;
    }

    private void startAll() throws IOException {
        Files.createDirectories(config.dataDir());
        Clock clock = Clock.systemUTC();
        LocalSecrets secrets = new LocalSecrets(config.dataDir());
        operatorToken = secrets.operatorToken();

        Path dbDir = Files.createDirectories(config.dataDir().resolve("dynamodb"));
        Path db = dbDir.resolve("steward.db");
        AmazonDynamoDBLocal dynamo = DynamoDBEmbedded.create(db.toFile(), false); // false: no telemetry
        if (!SqliteJournal.isWal(db)) {
            // Once per data dir: DynamoDB Local has created the file and loaded SQLite; switch it to WAL and reopen.
            SqliteJournal.shutdown(dynamo, db);
            SqliteJournal.useWal(db);
            dynamo = DynamoDBEmbedded.create(db.toFile(), false);
        }
        AmazonDynamoDBLocal started = dynamo;
        try {
            SqliteJournal.relaxSync(dynamo);
        } catch (RuntimeException e) {
            LOG.warning("DynamoDB Local keeps SQLite's default synchronous=FULL (slower commits): " + e.getMessage());
        }
        running.push(() -> SqliteJournal.shutdown(started, db));
        StewardTable table = new StewardTable(dynamo.dynamoDbClient(), TABLE);
        List<String> addedIndexes = table.createIfMissing();
        stores = Stores.over(table, new AesGcmSecretSealer(secrets.secretsKey()));
        if (!addedIndexes.isEmpty()) {
            // A data dir from a version without the index of unfinished runs: list its runs there once.
            LOG.info("added index(es) " + addedIndexes + " to the table; runs not yet ended indexed: " + stores.runs().indexUnfinished());
        }

        queue = LocalQueue.start("steward-ingest", 10);
        running.push(queue);
        objects = LocalObjectStore.start(config.s3proxyJar(), config.dataDir());
        running.push(objects);
        S3EventEmitter events = new S3EventEmitter(queue.client(), queue.queueUrl());
        S3Client s3 = objects.client(events);
        running.push(s3);
        if (!s3.listBuckets().buckets().stream().anyMatch(b -> b.name().equals(BUCKET))) {
            s3.createBucket(b -> b.bucket(BUCKET));
        }

        knowledge = KnowledgeBases.fromEnvironment(config.environment(), config.dataDir().resolve("index"));
        running.push(knowledge);
        if (model.isEmpty()) {
            model = ModelProviders.fromEnvironment(config.environment());
        }
        GuardrailProviders guardrails = GuardrailProviders.fromEnvironment(config.environment(), DefaultCredentialsProvider::create);
        running.push(guardrails);
        AgentSteps steps = AgentSteps.builder(stores, () -> knowledge)
                .model(model)
                .checkpoints(Checkpoints.of(guardrails))
                .toolbox(Toolboxes.fromEnvironment(config.environment(), stores.idempotency(), stores.connections(), clock))
                .limitsFrom(config.environment())
                .observer(observer)
                .clock(clock)
                .build();
        ApiKeys keys = new ApiKeys(secrets.pepper());
        IngestHandler ingest = new IngestHandler(new IngestWorker(s3, stores.documents(), knowledge, config.maxUploadBytes(), clock));
        AuthorizerHandler authorizer = new AuthorizerHandler(new ApiKeyAuthenticator(stores.tenants(), keys),
                AuthorizerHandler.jwtsFrom(config.environment(), stores.tenants()));
        ApiHandlerHolder apiHolder = new ApiHandlerHolder();
        LambdaFunctions functions = new LambdaFunctions()
                .stream("steward-plan", new PlanHandler(steps))
                .stream("steward-retrieve", new RetrieveHandler(steps))
                .stream("steward-act", new ActHandler(steps))
                .stream("steward-respond", new RespondHandler(steps))
                .stream("steward-verify", new VerifyHandler(steps))
                .stream("steward-fail", new FailHandler(steps))
                .typed("steward-api", (APIGatewayV2HTTPEvent e, com.amazonaws.services.lambda.runtime.Context c) -> apiHolder.get().handleRequest(e, c),
                        APIGatewayV2HTTPEvent.class)
                .typed("steward-authorizer", authorizer, APIGatewayV2CustomAuthorizerEvent.class)
                .typed("steward-ingest", ingest, SQSEvent.class);
        LocalLambdaEndpoint lambda = LocalLambdaEndpoint.start(functions.all());
        running.push(lambda);
        lambdaEndpoint = lambda.uri();

        Map<String, String> substitutions = new LinkedHashMap<>();
        for (String step : new String[] {"Plan", "Retrieve", "Act", "Respond", "Verify", "Fail"}) {
            substitutions.put(step + "FunctionArn", LocalLambdaEndpoint.arn("steward-" + step.toLowerCase(java.util.Locale.ROOT)));
        }
        LocalStepFunctions sfn = LocalStepFunctions.start(config, lambda.uri(), substitutions);
        running.push(sfn);

        queue.subscribe(event -> ingest.handleRequest(event, null));
        int requeued = QueuedDocuments.requeue(stores.documents(), BUCKET, events);
        if (requeued > 0) {
            LOG.info("queued again for ingestion: " + requeued + " document(s) still QUEUED when local mode last stopped");
        }

        // large files are PUT to the gateway itself (S3Proxy sends no events), at the address it gets once it listens
        LocalUploadUrls uploads = new LocalUploadUrls(secrets.uploadUrlKey(), s3, () -> gateway.uri(), clock);
        ApiConfig apiConfig = new ApiConfig(stores, s3, BUCKET, uploads, sfn.client(), LocalStepFunctions.STATE_MACHINE_ARN,
                config.maxUploadBytes(), TenantLimit.deploymentDefaults(config.environment()), clock, guardrails);
        ApiHandler api = new ApiHandler(apiConfig,
                new TenantAdmin(stores, keys, () -> AgentTemplates.in(config.templatesDir().resolve("agents")), clock));
        apiHolder.set(api);
        sweeper = new RunSweeper(apiConfig, Duration.ofSeconds(Long.parseLong(
                config.environment().getOrDefault("STEWARD_SWEEP_STALE_SECONDS", "30"))));
        long every = Long.parseLong(config.environment().getOrDefault("STEWARD_SWEEP_SECONDS", "10"));
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("run-sweeper").daemon().unstarted(r));
        timer.scheduleWithFixedDelay(() -> {
            try {
                sweeper.sweepOnce();
            } catch (RuntimeException e) {
                LOG.warning("sweep failed: " + e);
            }
        }, every, every, TimeUnit.SECONDS);
        running.push(timer::shutdownNow);
        LocalOperator operator = new LocalOperator(stores, operatorToken);
        gateway = LocalGateway.start(config.port(), api, authorizer, operator, uploads, config.webDir(), config.maxUploadBytes(),
                Duration.ofSeconds(Long.parseLong(config.environment().getOrDefault("STEWARD_AUTHORIZER_CACHE_SECONDS", "30"))),
                JwtSettings.fromEnvironment(config.environment()));
        running.push(gateway);
        writeRuntimeFile();

        if (config.seedDemo()) {
            demoKey = new DemoSeeder(gateway.uri(), operatorToken, config).seed(TenantId.of(DEMO_TENANT));
        }
        LOG.info("local mode listening on " + gateway.uri());
    }

    private void writeRuntimeFile() throws IOException {
        Files.writeString(config.dataDir().resolve("runtime.properties"),
                "url=" + gateway.uri() + "\npid=" + ProcessHandle.current().pid() + "\n");
    }

    public URI uri() {
        return gateway.uri();
    }

    public String operatorToken() {
        return operatorToken;
    }

    /** The demo tenant's API key when this data dir was seeded by this or an earlier start. */
    public Optional<String> demoKey() {
        return demoKey;
    }

    public Stores stores() {
        return stores;
    }

    /** Runs one sweep now (the timer runs them every {@code STEWARD_SWEEP_SECONDS}). */
    public RunSweeper.Sweep sweepNow() {
        return sweeper.sweepOnce();
    }

    /** The configured model (or fallback chain), if any. */
    public Optional<String> modelId() {
        return model.map(ChatModel::id);
    }

    /** The local Lambda Invoke endpoint hosting every function. */
    public URI lambdaEndpoint() {
        return lambdaEndpoint;
    }

    /** The local knowledge base, for tests that check what is indexed. */
    KnowledgeBase knowledge() {
        return knowledge;
    }

    /** The object store itself, whose clients send no ingest events (tests put bytes behind the worker's back). */
    LocalObjectStore objects() {
        return objects;
    }

    int ingestDeadLetters() {
        return queue.approximateDepth(queue.dlqUrl());
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(config.dataDir().resolve("runtime.properties"));
        } catch (IOException ignored) {
            // best effort: a stale file only names a dead URL
        }
        while (!running.isEmpty()) {
            AutoCloseable c = running.pop();
            try {
                c.close();
            } catch (Exception e) {
                LOG.warning("stopping " + c.getClass().getSimpleName() + " failed: " + e);
            }
        }
    }
}
