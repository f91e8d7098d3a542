package dev.steward.cdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import dev.steward.function.api.Route;
import dev.steward.function.api.Routes;
import dev.steward.function.authorizer.JwtSettings;
import dev.steward.guardrails.aws.GuardrailProviders;
import dev.steward.llm.ModelProviders;
import dev.steward.rag.KnowledgeBases;
import dev.steward.rag.retrieve.BedrockReranker;
import dev.steward.store.secret.SecretSealer;
import dev.steward.store.tenant.ApiKeyPepper;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpIamAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpLambdaAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpLambdaAuthorizerProps;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpLambdaResponseType;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.CorsHttpMethod;
import software.amazon.awscdk.services.apigatewayv2.CorsPreflightOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.ec2.EbsDeviceVolumeType;
import software.amazon.awscdk.services.iam.ArnPrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IPrincipal;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.opensearchservice.CapacityConfig;
import software.amazon.awscdk.services.opensearchservice.CfnDomain;
import software.amazon.awscdk.services.opensearchservice.Domain;
import software.amazon.awscdk.services.opensearchservice.EbsOptions;
import software.amazon.awscdk.services.opensearchservice.EncryptionAtRestOptions;
import software.amazon.awscdk.services.opensearchservice.EngineVersion;
import software.amazon.awscdk.services.opensearchservice.TLSSecurityPolicy;
import software.amazon.awscdk.services.opensearchservice.ZoneAwarenessConfig;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSourceProps;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.CorsRule;
import software.amazon.awscdk.services.s3.HttpMethods;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.EventType;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.notifications.SqsDestination;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.constructs.Construct;

/**
 * Everything one stage runs: the table and the KMS key its vendor credentials are sealed under, the uploads bucket and ingest queue, the OpenSearch Service domain of the
 * knowledge index, the nine functions, the agent-loop state machine, the HTTP API, optionally the SPA, and
 * (stage/prod) alarms.
 */
public final class StewardStack extends Stack {
    /** SQS guidance: at least six times the consumer's timeout, so a retried batch is not redelivered mid-run. */
    static final int VISIBILITY_TIMEOUT_FACTOR = 6;
    static final int INGEST_MAX_RECEIVE_COUNT = 3;
    static final int INGEST_BATCH_SIZE = 10;

    /**
     * The knowledge domain's engine: the newest 2.x line, which every instance type (t3 included) runs. The chunk
     * index needs the k-NN plugin's Lucene engine with filtered search and inner product, which 2.x has; the ITs
     * run the same index on OpenSearch 3.6.
     */
    static final EngineVersion KNOWLEDGE_ENGINE = EngineVersion.OPENSEARCH_2_19;
    /** The HTTP methods the chunk index uses on the domain, and all that its access policy allows. */
    static final List<String> KNOWLEDGE_ACTIONS = List.of(
            "es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPut", "es:ESHttpPost", "es:ESHttpDelete");
    /** The only functions that read or write the knowledge index: queries in retrieve, chunks in ingest. */
    static final List<StewardFunction> KNOWLEDGE_USERS = List.of(StewardFunction.RETRIEVE, StewardFunction.INGEST);

    /**
     * The steps that check text with the stage's guardrail provider: each opens a checkpoint session on the run
     * ({@code AgentSteps.guardFor}). Verify (the citation gate) and fail check no text, so they get no guardrail
     * permission.
     */
    static final List<StewardFunction> GUARDRAIL_CALLERS = List.of(
            StewardFunction.PLAN, StewardFunction.RETRIEVE, StewardFunction.ACT, StewardFunction.RESPOND);

    /**
     * The functions that retrieve from the knowledge base, and so the only ones that rerank: the retrieve step
     * ({@code AgentSteps.retrieve}). Ingest opens the same knowledge base but only adds and deletes chunks, so it
     * gets neither the reranker's variables nor its permissions.
     */
    static final List<StewardFunction> RERANKERS = List.of(StewardFunction.RETRIEVE);

    /** The steps that call the stage's model: plan (tool choice) and respond (the answer). */
    static final List<StewardFunction> MODEL_CALLERS = List.of(StewardFunction.PLAN, StewardFunction.RESPOND);

    /** The HTTP API's one stage, deployed at the API's root URL. */
    static final String API_STAGE = "$default";
    /** The operator's routes ({@link Route.Auth#IAM}), as a path pattern of an execute-api ARN. */
    static final String ADMIN_ROUTES = "/v1/admin/*";

    /** The functions that hash API keys under the pepper: the authorizer checks them, the api issues them. */
    static final List<StewardFunction> PEPPER_READERS = List.of(StewardFunction.API, StewardFunction.AUTHORIZER);
    static final int PEPPER_LENGTH = 64;

    /**
     * The function that seals tenants' vendor credentials with the secrets key, and opens them: the api, where tenants
     * save connections and webhook settings, lists connections and has webhook deliveries' signatures checked.
     */
    static final List<StewardFunction> CREDENTIAL_SEALERS = List.of(StewardFunction.API);
    /**
     * The partition keys of the audit trail ({@code T#<tenant>#AUDIT}, {@code AuditStore}) as an IAM
     * {@code StringLike} pattern over {@code dynamodb:LeadingKeys}: tenant ids hold no {@code #}, and no other kind of
     * item's partition key ends in {@code #AUDIT}.
     */
    static final String AUDIT_PARTITIONS = "T#*#AUDIT";
    /** The one function that appends audit events (with conditional puts); every other writer of the table may not. */
    static final List<StewardFunction> AUDIT_APPENDERS = List.of(StewardFunction.API);
    /** The function that only opens them: act, which calls vendors with a connection's token; no other step calls a tool. */
    static final List<StewardFunction> CREDENTIAL_READERS = List.of(StewardFunction.ACT);
    /** The encryption context every sealed credential carries ({@code KmsSecretSealer}), and all the key may be used with. */
    static final List<String> CREDENTIAL_CONTEXT_KEYS = List.of("tenant", "purpose");

    private static final Pattern ASL_PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");

    private final StageConfig config;
    private final Table table;
    private final Bucket uploads;
    private final Queue ingestQueue;
    private final Queue ingestDeadLetters;
    private final Domain knowledgeDomain;
    private final Secret apiKeyPepper;
    private final Key secretsKey;
    private final Map<StewardFunction, SnapStartFunction> functions = new EnumMap<>(StewardFunction.class);
    private final StateMachine agentLoop;
    private final HttpApi httpApi;
    private final HttpStage apiStage;
    private final Optional<StaticSite> site;
    private final Optional<CognitoSignIn> cognito;
    private final List<Alarm> alarms = new ArrayList<>();
    private final OperationsDashboard dashboard;

    public StewardStack(Construct scope, String id, StackProps props, StageConfig config, StewardInputs inputs) {
        super(scope, id, props);
        this.config = config;

        this.table = createTable();
        this.secretsKey = createSecretsKey();
        this.uploads = createUploadsBucket();
        this.ingestDeadLetters = Queue.Builder.create(this, "IngestDeadLetterQueue")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
        this.ingestQueue = Queue.Builder.create(this, "IngestQueue")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .visibilityTimeout(Duration.seconds(
                        StewardFunction.INGEST.timeout().toSeconds().intValue() * VISIBILITY_TIMEOUT_FACTOR))
                .deadLetterQueue(DeadLetterQueue.builder()
                        .queue(ingestDeadLetters)
                        .maxReceiveCount(INGEST_MAX_RECEIVE_COUNT)
                        .build())
                .build();
        uploads.addEventNotification(EventType.OBJECT_CREATED, new SqsDestination(ingestQueue));
        // A deleted document's object tells the ingest worker to drop its chunks.
        uploads.addEventNotification(EventType.OBJECT_REMOVED, new SqsDestination(ingestQueue));

        this.knowledgeDomain = createKnowledgeDomain();

        // Agent-loop steps first: the state machine needs their aliases, the api needs the state machine.
        for (var step : StewardFunction.agentLoopSteps()) {
            var env = credentialEnvironment(step, modelEnvironment(step,
                    guardrailEnvironment(rerankingEnvironment(step, knowledgeEnvironment(step, baseEnvironment(step))))));
            var fn = addFunction(inputs, step, env, config.stepReservedConcurrency());
            table.grantReadWriteData(fn.live());
        }
        grantModelInvocation();
        grantReranking();
        this.agentLoop = createAgentLoop(inputs.agentLoopDefinition());

        this.apiKeyPepper = createApiKeyPepper();
        var apiEnv = credentialEnvironment(StewardFunction.API, pepperEnvironment(guardrailEnvironment(baseEnvironment(StewardFunction.API))));
        apiEnv.put("BUCKET_NAME", uploads.getBucketName());
        apiEnv.put("STATE_MACHINE_ARN", agentLoop.getStateMachineArn());
        var api = addFunction(inputs, StewardFunction.API, apiEnv, config.apiReservedConcurrency());
        grantGuardrailProvider();
        table.grantReadWriteData(api.live());
        uploads.grantPut(api.live());
        uploads.grantDelete(api.live());
        agentLoop.grantStartExecution(api.live());

        var authorizer = addFunction(inputs, StewardFunction.AUTHORIZER,
                pepperEnvironment(baseEnvironment(StewardFunction.AUTHORIZER)), null);
        // API keys and tenants are only read at the edge.
        table.grantReadData(authorizer.live());
        // the authorizer checks keys under the pepper, the api issues them under it; nobody else reads it
        grant(allow(List.of("secretsmanager:GetSecretValue"), apiKeyPepper.getSecretArn()), PEPPER_READERS);
        grantSecretsKey();

        var ingestEnv = knowledgeEnvironment(StewardFunction.INGEST, baseEnvironment(StewardFunction.INGEST));
        ingestEnv.put("BUCKET_NAME", uploads.getBucketName());
        // Unreserved on purpose: the event source's maxConcurrency caps it instead, because reserved concurrency
        // would make the SQS pollers throttle and push healthy messages to the DLQ.
        var ingest = addFunction(inputs, StewardFunction.INGEST, ingestEnv, null);
        table.grantReadWriteData(ingest.live());
        uploads.grantRead(ingest.live());
        grantTitanEmbeddings(StewardFunction.RETRIEVE, StewardFunction.INGEST);
        restrictKnowledgeDomainToItsUsers();
        ingest.live().addEventSource(new SqsEventSource(ingestQueue, SqsEventSourceProps.builder()
                .batchSize(INGEST_BATCH_SIZE)
                .reportBatchItemFailures(true)
                .maxConcurrency(config.ingestMaxConcurrency())
                .build()));

        var sweeperEnv = baseEnvironment(StewardFunction.SWEEPER);
        sweeperEnv.put("BUCKET_NAME", uploads.getBucketName());
        sweeperEnv.put("STATE_MACHINE_ARN", agentLoop.getStateMachineArn());
        var sweeper = addFunction(inputs, StewardFunction.SWEEPER, sweeperEnv, 1);
        table.grantReadWriteData(sweeper.live());
        agentLoop.grantStartExecution(sweeper.live());
        agentLoop.grantRead(sweeper.live()); // DescribeExecution: is the run's execution still alive?
        // HeadObject of uploads that never completed; with s3:ListBucket a missing key is a 404, not a 403
        uploads.grantRead(sweeper.live());
        denyAuditChanges();
        Rule.Builder.create(this, "SweeperSchedule")
                .description("Resume agent runs left behind by a crashed execution; close runs whose review expired")
                .schedule(Schedule.rate(software.amazon.awscdk.Duration.minutes(2)))
                .targets(List.of(new LambdaFunction(sweeper.live())))
                .build();

        this.site = inputs.webDist().map(dist -> new StaticSite(this, "Site", config));
        var corsOrigins = new ArrayList<>(config.corsOrigins());
        site.ifPresent(s -> corsOrigins.add(s.origin()));
        this.cognito = config.signIn().kind() == StageConfig.SignIn.Kind.COGNITO
                ? Optional.of(new CognitoSignIn(this, "SignIn", config, corsOrigins))
                : Optional.empty();
        jwtEnvironment().forEach(authorizer.function()::addEnvironment);
        this.httpApi = createHttpApi(api, authorizer, corsOrigins);
        if (!corsOrigins.isEmpty()) {
            // a page from these origins may PUT a large file to its presigned upload URL (POST /v1/documents/uploads)
            uploads.addCorsRule(CorsRule.builder()
                    .allowedOrigins(corsOrigins)
                    .allowedMethods(List.of(HttpMethods.PUT))
                    .allowedHeaders(List.of("Content-Type", "x-amz-checksum-sha256"))
                    .maxAge(3600)
                    .build());
        }
        this.apiStage = createApiStage();
        site.ifPresent(s -> s.publish(inputs.webDist().orElseThrow(), apiStage.getUrl(), spaSignIn()));

        this.dashboard = new OperationsDashboard(this, "Operations");
        if (config.alarmsEnabled()) {
            createAlarms();
        }
        createOutputs();
    }

    /**
     * The stage's API-key pepper: 64 generated letters and digits, which the functions read once when they start
     * ({@code ApiKeyPepper}). Kept with the table (prod retains both): every stored key hash is under this pepper,
     * so a new pepper invalidates every key.
     */
    private Secret createApiKeyPepper() {
        return Secret.Builder.create(this, "ApiKeyPepper")
                .description("Steward " + config.name() + ": the pepper API keys are hashed under (a new value invalidates every key)")
                .generateSecretString(SecretStringGenerator.builder()
                        .passwordLength(PEPPER_LENGTH)
                        .excludePunctuation(true)
                        .build())
                .removalPolicy(config.removalPolicy())
                .build();
    }

    /**
     * The stage's key for tenants' vendor credentials (connection tokens, webhook signing secrets), which the api and
     * act seal and open with KMS Encrypt and Decrypt under each tenant's encryption context ({@code KmsSecretSealer}).
     * Rotated yearly by KMS (old material still decrypts); kept with the table (prod retains both), since every stored
     * credential is sealed under it. Its policy is CDK's default (the account's IAM policies decide), and only
     * {@link #grantSecretsKey()} grants anything on it.
     */
    private Key createSecretsKey() {
        return Key.Builder.create(this, "SecretsKey")
                .description("Steward " + config.name() + ": seals tenants' vendor tokens and webhook secrets in the table")
                .enableKeyRotation(true)
                .removalPolicy(config.removalPolicy())
                .build();
    }

    /** Where {@link #CREDENTIAL_SEALERS} and {@link #CREDENTIAL_READERS} find the secrets key; nothing for any other function. */
    private Map<String, String> credentialEnvironment(StewardFunction function, Map<String, String> env) {
        if (CREDENTIAL_SEALERS.contains(function) || CREDENTIAL_READERS.contains(function)) {
            env.put(SecretSealer.KMS_KEY_VARIABLE, secretsKey.getKeyArn());
        }
        return env;
    }

    /**
     * Encrypt and Decrypt for {@link #CREDENTIAL_SEALERS}, Decrypt for {@link #CREDENTIAL_READERS}, on the secrets key only, and
     * only with a tenant and purpose as the whole encryption context: a call without them (a bug, or a role used by
     * hand) is refused by IAM. No other role gets any {@code kms:} permission.
     */
    private void grantSecretsKey() {
        grant(credentialStatement(List.of("kms:Encrypt", "kms:Decrypt")), CREDENTIAL_SEALERS);
        grant(credentialStatement(List.of("kms:Decrypt")), CREDENTIAL_READERS);
    }

    private PolicyStatement credentialStatement(List<String> actions) {
        var present = new LinkedHashMap<String, Object>();
        CREDENTIAL_CONTEXT_KEYS.forEach(k -> present.put("kms:EncryptionContext:" + k, "false"));
        return PolicyStatement.Builder.create()
                .actions(actions)
                .resources(List.of(secretsKey.getKeyArn()))
                .conditions(Map.of(
                        "ForAllValues:StringEquals", Map.of("kms:EncryptionContextKeys", CREDENTIAL_CONTEXT_KEYS),
                        "Null", present))
                .build();
    }

    /** Where {@link #PEPPER_READERS} find the pepper. */
    /**
     * The authorizer's JWT sign-in settings ({@link JwtSettings}): the stack's user pool and its SPA client, or the
     * external issuer and client ids of {@code signin.<stage>}; none when the stage has no sign-in (JWTs refused).
     */
    private Map<String, String> jwtEnvironment() {
        var signIn = config.signIn();
        var env = new LinkedHashMap<String, String>();
        switch (signIn.kind()) {
            case NONE -> { }
            case COGNITO -> {
                env.put(JwtSettings.ISSUER, cognito.orElseThrow().issuer());
                env.put(JwtSettings.AUDIENCE, cognito.orElseThrow().clientId());
            }
            case OIDC -> {
                env.put(JwtSettings.ISSUER, signIn.issuer());
                env.put(JwtSettings.AUDIENCE, String.join(",", signIn.audiences()));
            }
        }
        return env;
    }

    /**
     * What the SPA needs to offer "Sign in with SSO" ({@code signin} in its {@code config.json}): the issuer and its
     * client id, and for the stack's pool the hosted UI's endpoints; another issuer's come from its discovery document.
     */
    private Map<String, String> spaSignIn() {
        var signIn = new LinkedHashMap<String, String>();
        cognito.ifPresent(c -> {
            signIn.put("issuer", c.issuer());
            signIn.put("clientId", c.clientId());
            signIn.put("authorizeUrl", c.hostedUiUrl() + "/oauth2/authorize");
            signIn.put("tokenUrl", c.hostedUiUrl() + "/oauth2/token");
        });
        if (config.signIn().kind() == StageConfig.SignIn.Kind.OIDC) {
            signIn.put("issuer", config.signIn().issuer());
            signIn.put("clientId", config.signIn().audiences().getFirst());
        }
        return signIn;
    }

    private Map<String, String> pepperEnvironment(Map<String, String> env) {
        env.put(ApiKeyPepper.SECRET_ARN_VARIABLE, apiKeyPepper.getSecretArn());
        return env;
    }

    private Table createTable() {
        var table = Table.Builder.create(this, "Table")
                .partitionKey(Attribute.builder().name("pk").type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name("sk").type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true)
                        .build())
                .encryption(TableEncryption.AWS_MANAGED)
                // idempotency records and other short-lived items expire through TTL
                .timeToLiveAttribute("ttl")
                .deletionProtection(config.keepsData())
                .removalPolicy(config.removalPolicy())
                .build();
        // Tenant-keyed listings (runs, documents, reviews per tenant).
        addStringIndex(table, "gsi1", ProjectionType.ALL);
        // Sparse: only runs that have not ended carry gsi2 keys; the sweeper queries it instead of scanning.
        addStringIndex(table, "gsi2", ProjectionType.KEYS_ONLY);
        return table;
    }

    /** An index on {@code <name>pk}/{@code <name>sk} (strings). */
    private static void addStringIndex(Table table, String name, ProjectionType projection) {
        table.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                .indexName(name)
                .partitionKey(Attribute.builder().name(name + "pk").type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name(name + "sk").type(AttributeType.STRING).build())
                .projectionType(projection)
                .build());
    }

    private Bucket createUploadsBucket() {
        return Bucket.Builder.create(this, "UploadsBucket")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .versioned(true)
                .encryption(BucketEncryption.S3_MANAGED)
                .removalPolicy(config.removalPolicy())
                .autoDeleteObjects(!config.keepsData())
                // versioning protects against overwrite and delete; old versions need not live forever
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .noncurrentVersionExpiration(Duration.days(30))
                        .abortIncompleteMultipartUploadAfter(Duration.days(1))
                        .build()))
                .build();
    }

    /**
     * The knowledge index's domain: OpenSearch {@link #KNOWLEDGE_ENGINE}, sized and spread as the stage says,
     * encrypted at rest (the service's default KMS key) and between nodes, HTTPS only with TLS 1.2 or later.
     * Reachable on its public endpoint, and only with SigV4-signed requests of {@link #KNOWLEDGE_USERS} (see
     * {@link #restrictKnowledgeDomainToItsUsers()}). Fine-grained access control is off: tenancy is enforced by
     * the chunk index's tenant filter inside every query, not by OpenSearch users.
     */
    private Domain createKnowledgeDomain() {
        var size = config.knowledgeDomain();
        return Domain.Builder.create(this, "KnowledgeDomain")
                // a fixed name, so that the access policy can name the domain without referring to itself
                .domainName(knowledgeDomainName())
                .version(KNOWLEDGE_ENGINE)
                .capacity(CapacityConfig.builder()
                        .dataNodes(size.dataNodes())
                        .dataNodeInstanceType(size.instanceType())
                        // standby needs three zones, dedicated masters and no burstable nodes
                        .multiAzWithStandbyEnabled(false)
                        .build())
                .zoneAwareness(ZoneAwarenessConfig.builder()
                        .enabled(size.zoneAware())
                        .availabilityZoneCount(size.zoneAware() ? size.availabilityZones() : null)
                        .build())
                .ebs(EbsOptions.builder()
                        .enabled(true)
                        .volumeType(EbsDeviceVolumeType.GP3)
                        .volumeSize(size.volumeGb())
                        .build())
                .encryptionAtRest(EncryptionAtRestOptions.builder().enabled(true).build())
                .nodeToNodeEncryption(true)
                .enforceHttps(true)
                .tlsSecurityPolicy(TLSSecurityPolicy.TLS_1_2)
                .removalPolicy(config.removalPolicy())
                .build();
    }

    private String knowledgeDomainName() {
        return "steward-" + config.name();
    }

    /** What the chunk index needs to find the domain and sign for it ({@code KnowledgeBases} reads both). */
    private Map<String, String> knowledgeEnvironment(StewardFunction function, Map<String, String> env) {
        if (KNOWLEDGE_USERS.contains(function)) {
            env.put("STEWARD_OPENSEARCH_URL", "https://" + knowledgeDomain.getDomainEndpoint());
            env.put("STEWARD_OPENSEARCH_SIGV4", "es");
        }
        return env;
    }

    /**
     * The domain's resource policy: the roles of {@link #KNOWLEDGE_USERS} may use {@link #KNOWLEDGE_ACTIONS} on
     * the domain and its paths, and no other principal is named. No role in the stack gets an {@code es:}
     * permission of its own.
     */
    private void restrictKnowledgeDomainToItsUsers() {
        var domainArn = formatArn(ArnComponents.builder()
                .service("es").resource("domain").resourceName(knowledgeDomainName()).build());
        var principals = KNOWLEDGE_USERS.stream()
                .<IPrincipal>map(f -> new ArnPrincipal(functions.get(f).function().getRole().getRoleArn()))
                .toList();
        var policy = PolicyDocument.Builder.create()
                .statements(List.of(PolicyStatement.Builder.create()
                        .principals(principals)
                        .actions(KNOWLEDGE_ACTIONS)
                        .resources(List.of(domainArn, domainArn + "/*"))
                        .build()))
                .build();
        ((CfnDomain) knowledgeDomain.getNode().getDefaultChild()).setAccessPolicies(policy.toJSON());
    }

    private Map<String, String> baseEnvironment(StewardFunction function) {
        var env = new LinkedHashMap<String, String>();
        env.put("TABLE_NAME", table.getTableName());
        env.put("POWERTOOLS_SERVICE_NAME", "steward-" + function.functionName());
        env.put("POWERTOOLS_METRICS_NAMESPACE", "Steward");
        env.put("POWERTOOLS_LOG_LEVEL", config.verboseLogging() ? "DEBUG" : "INFO");
        env.put("STEWARD_STAGE", config.name());
        if (function != StewardFunction.INGEST) {
            // C1 only: request-sized work restores from the snapshot and finishes before C2 would pay off.
            // Ingest is a long CPU-bound batch, where C2's code is worth its compile time.
            env.put("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
        }
        return env;
    }

    /**
     * The stage's reranking as {@link KnowledgeBases} and {@link BedrockReranker} read them, for {@link #RERANKERS}
     * only. None writes nothing: it is the functions' default, and a stage without reranking keeps the template it
     * had before reranking existed. Bedrock names its model always (also the default one), so that the variable and
     * the {@code InvokeModel} grant name the same model; candidates only when chosen. Region and endpoint keep the
     * functions' defaults: the model is called in the function's own region, which the grant names too.
     */
    private Map<String, String> rerankingEnvironment(StewardFunction function, Map<String, String> env) {
        var reranking = config.reranking();
        if (RERANKERS.contains(function) && reranking.reranker() == StageConfig.Reranking.Reranker.BEDROCK) {
            env.put(KnowledgeBases.RERANKER, reranking.rerankerName());
            env.put(BedrockReranker.MODEL_VARIABLE, reranking.model());
            if (reranking.candidates() != null) {
                env.put(KnowledgeBases.RERANK_CANDIDATES, reranking.candidates().toString());
            }
        }
        return env;
    }

    /**
     * What Bedrock's Rerank API needs, on {@link #RERANKERS}' roles only: {@code bedrock:Rerank}, which has no
     * resource types (Service Authorization Reference, "Actions, resources, and condition keys for Amazon Bedrock",
     * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonbedrock.html), so its resource can
     * only be {@code *}; and {@code bedrock:InvokeModel} on the one reranking model, which is where the Bedrock user
     * guide ("Permissions for reranking in Amazon Bedrock") scopes a reranker's access. No AWS Marketplace permission
     * for Cohere: the account subscribes to a third-party model once, on its first invocation by a principal allowed
     * to subscribe ("Request access to models"); docs/DEPLOY.md says to do that once before deploying. None: nothing.
     */
    private void grantReranking() {
        var reranking = config.reranking();
        // a switch expression, so that a new reranker does not compile until its permissions are decided here
        var grants = switch (reranking.reranker()) {
            case NONE -> List.<Grant>of();
            case BEDROCK -> List.of(new Grant(allow(List.of("bedrock:Rerank"), "*"), RERANKERS),
                    new Grant(allow(List.of("bedrock:InvokeModel"), foundationModelArn(reranking.model())), RERANKERS));
        };
        grants.forEach(g -> grant(g.statement(), g.to()));
    }

    /**
     * The stage's guardrail provider as {@link GuardrailProviders} reads it, for every agent-loop step and the api.
     * Written for {@code local} too, although it is the functions' default: the template then says which provider
     * each function runs, and a change of that default in code cannot change a deployed stage unnoticed. Every
     * step gets it, not only {@link #GUARDRAIL_CALLERS}, so the loop has one configuration and a step that starts
     * checking text fails on a missing permission instead of quietly checking locally. Region, endpoint, timeout
     * and Comprehend's language and thresholds keep the functions' defaults: the provider is called in the
     * function's own region, which the Bedrock guardrail's ARN names too.
     */
    private Map<String, String> guardrailEnvironment(Map<String, String> env) {
        var guardrails = config.guardrails();
        env.put(GuardrailProviders.PROVIDER, guardrails.providerName());
        if (guardrails.provider() == GuardrailProviders.Provider.BEDROCK) {
            env.put(GuardrailProviders.BEDROCK_GUARDRAIL_ID, guardrails.bedrockGuardrailId());
            env.put(GuardrailProviders.BEDROCK_GUARDRAIL_VERSION, guardrails.bedrockGuardrailVersion());
        }
        return env;
    }

    /**
     * What the provider's calls need, and only where they are made. Comprehend: the checking steps detect PII and
     * toxic content, the api (which redacts a run's input at the door) PII only. Its detect actions have no resource
     * types (Service Authorization Reference, "Actions, resources, and condition keys for Amazon Comprehend",
     * https://docs.aws.amazon.com/service-authorization/latest/reference/list_comprehend.html), so their
     * resource can only be {@code *}. Bedrock: the checking steps may apply the one configured guardrail, named by
     * the {@code guardrail} resource type's ARN, {@code arn:${Partition}:bedrock:${Region}:${Account}:guardrail/${GuardrailId}}
     * ("Actions, resources, and condition keys for Amazon Bedrock"); the api gets nothing, because PII redaction
     * stays local with Bedrock. Local: nothing anywhere.
     */
    private void grantGuardrailProvider() {
        var guardrails = config.guardrails();
        // a switch expression, so that a new provider does not compile until its permissions are decided here
        var grants = switch (guardrails.provider()) {
            case LOCAL -> List.<Grant>of();
            case COMPREHEND -> List.of(
                    new Grant(allow(List.of("comprehend:DetectPiiEntities", "comprehend:DetectToxicContent"), "*"),
                            GUARDRAIL_CALLERS),
                    new Grant(allow(List.of("comprehend:DetectPiiEntities"), "*"), List.of(StewardFunction.API)));
            case BEDROCK -> List.of(new Grant(allow(List.of("bedrock:ApplyGuardrail"), formatArn(ArnComponents.builder()
                    .service("bedrock").resource("guardrail").resourceName(guardrails.bedrockGuardrailId()).build())),
                    GUARDRAIL_CALLERS));
        };
        grants.forEach(g -> grant(g.statement(), g.to()));
    }

    /**
     * Audit events are append-only for every role that may write the table: an explicit Deny (which no Allow
     * overrides) of {@code UpdateItem}, {@code DeleteItem} and {@code BatchWriteItem} (whose deletes IAM cannot tell
     * from its puts; no code batch-writes) on any item whose partition key is an audit partition; for roles other than
     * the api's, {@code PutItem} too. The actions inside {@code TransactWriteItems} are authorized as these same
     * actions, so a transaction gets no further. {@code ForAnyValue}: a request is denied when any of its partition
     * keys is an audit one; one without partition keys (a Scan) carries none and is not a write. Left open, and not
     * expressible in IAM: the api's own {@code PutItem}, which it needs to append, could overwrite an event if its
     * code asked for an unconditional put of an existing key (no condition key constrains a ConditionExpression).
     */
    private void denyAuditChanges() {
        for (var f : functions.keySet()) {
            if (f == StewardFunction.AUTHORIZER) {
                continue; // reads only
            }
            List<String> actions = new java.util.ArrayList<>(List.of("dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"));
            if (!AUDIT_APPENDERS.contains(f)) {
                actions.add("dynamodb:PutItem");
            }
            functions.get(f).function().addToRolePolicy(PolicyStatement.Builder.create()
                    .effect(Effect.DENY)
                    .actions(actions)
                    .resources(List.of(table.getTableArn()))
                    .conditions(Map.of("ForAnyValue:StringLike", Map.of("dynamodb:LeadingKeys", List.of(AUDIT_PARTITIONS))))
                    .build());
        }
    }

    /** One statement for some functions' roles. */
    private record Grant(PolicyStatement statement, List<StewardFunction> to) {}

    private static PolicyStatement allow(List<String> actions, String... resources) {
        return PolicyStatement.Builder.create().actions(actions).resources(List.of(resources)).build();
    }

    private void grant(PolicyStatement statement, List<StewardFunction> callers) {
        for (var caller : callers) {
            functions.get(caller).function().addToRolePolicy(statement);
        }
    }

    private SnapStartFunction addFunction(StewardInputs inputs, StewardFunction spec, Map<String, String> env,
                                          Integer reservedConcurrency) {
        var fn = new SnapStartFunction(this, spec, inputs.functions().jarFor(spec), config, env, reservedConcurrency);
        functions.put(spec, fn);
        return fn;
    }

    /**
     * The stage's model as {@link ModelProviders} reads it, for {@link #MODEL_CALLERS} only: the one-provider chain
     * {@code bedrock} and its model. None writes nothing, and those steps answer extractively. Region and timeout keep
     * the functions' defaults: Bedrock in the function's own region ({@code AWS_REGION}), which the grant names too.
     */
    private Map<String, String> modelEnvironment(StewardFunction function, Map<String, String> env) {
        if (MODEL_CALLERS.contains(function) && !config.model().isNone()) {
            env.put(ModelProviders.CHAIN, "bedrock");
            env.put(ModelProviders.BEDROCK_MODEL, config.model().modelId());
        }
        return env;
    }

    /**
     * Converse calls (plan, respond; {@code bedrock:InvokeModel} is the action Converse is authorized by) on the
     * stage's one model: a foundation model in the stack's region, or a system inference profile of this account and
     * region with its foundation model in any region, since the profile routes each request to one of its geography's
     * regions and IAM checks the model there too (Bedrock user guide, "Prerequisites for inference profiles"). The
     * model ARN is allowed only through that profile ({@code bedrock:InferenceProfileArn}). No model: nothing.
     */
    private void grantModelInvocation() {
        var model = config.model();
        if (model.isNone()) {
            return;
        }
        var actions = List.of("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream");
        if (model.profileGeography().isEmpty()) {
            grant(allow(actions, foundationModelArn(model.modelId())), MODEL_CALLERS);
            return;
        }
        var profile = "arn:" + Aws.PARTITION + ":bedrock:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":inference-profile/" + model.modelId();
        grant(allow(actions, profile), MODEL_CALLERS);
        grant(PolicyStatement.Builder.create()
                .actions(actions)
                .resources(List.of("arn:" + Aws.PARTITION + ":bedrock:*::foundation-model/" + model.foundationModelId()))
                .conditions(Map.of("StringEquals", Map.of("bedrock:InferenceProfileArn", profile)))
                .build(), MODEL_CALLERS);
    }

    /** Titan Text Embeddings v2 only, for query and passage vectors when {@code STEWARD_EMBEDDER=titan}. */
    private void grantTitanEmbeddings(StewardFunction... callers) {
        grant(allow(List.of("bedrock:InvokeModel"), foundationModelArn("amazon.titan-embed-text-v2:0")), List.of(callers));
    }

    /** A foundation model in the stack's region: foundation models have no account in their ARN. */
    private static String foundationModelArn(String modelId) {
        return "arn:" + Aws.PARTITION + ":bedrock:" + Aws.REGION + "::foundation-model/" + modelId;
    }

    private StateMachine createAgentLoop(Path definition) {
        var substitutions = new LinkedHashMap<String, String>();
        for (var step : StewardFunction.agentLoopSteps()) {
            substitutions.put(step.aslPlaceholder().orElseThrow(), functions.get(step).live().getFunctionArn());
        }
        requireEveryPlaceholderFilled(definition, substitutions.keySet());

        var logs = LogGroup.Builder.create(this, "AgentLoopLogs")
                // the /aws/vendedlogs/ prefix keeps Step Functions off the account's 5 KB log resource policy
                .logGroupName("/aws/vendedlogs/states/steward-" + config.name() + "-agent-loop")
                .retention(config.logRetention())
                .removalPolicy(config.removalPolicy())
                .build();
        var stateMachine = StateMachine.Builder.create(this, "AgentLoop")
                .stateMachineType(StateMachineType.STANDARD)
                .definitionBody(DefinitionBody.fromFile(definition.toString()))
                .definitionSubstitutions(substitutions)
                // one segment is at most a few steps; a stuck execution must end, not bill for a year
                .timeout(Duration.hours(1))
                .tracingEnabled(true)
                .logs(LogOptions.builder()
                        .destination(logs)
                        .level(config.agentLoopLogLevel())
                        .includeExecutionData(config.verboseLogging())
                        .build())
                .build();
        for (var step : StewardFunction.agentLoopSteps()) {
            functions.get(step).live().grantInvoke(stateMachine);
        }
        return stateMachine;
    }

    /**
     * Fails synthesis when the ASL gains a placeholder CDK does not fill; CloudFormation would otherwise deploy
     * a state machine whose Task resource is the literal text {@code ${...}}.
     */
    static void requireEveryPlaceholderFilled(Path definition, Collection<String> filled) {
        var unfilled = new TreeSet<>(placeholdersIn(definition));
        unfilled.removeAll(filled);
        if (!unfilled.isEmpty()) {
            throw new IllegalStateException(definition + " has placeholders no function fills: " + unfilled);
        }
    }

    /** The {@code ${Name}} placeholders in an ASL file. */
    public static Set<String> placeholdersIn(Path definition) {
        try {
            var names = new TreeSet<String>();
            var matcher = ASL_PLACEHOLDER.matcher(Files.readString(definition));
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The methods a browser may send across origins: those of the routes an API key opens (the SPA's; DELETE removes
     * documents, connections and webhooks), and OPTIONS. Not the operator's routes, which take SigV4 from no browser.
     */
    static List<CorsHttpMethod> corsMethods() {
        var methods = new java.util.LinkedHashSet<CorsHttpMethod>();
        Routes.ALL.stream().filter(r -> r.auth() == Route.Auth.API_KEY).forEach(r -> methods.add(CorsHttpMethod.valueOf(r.method())));
        methods.add(CorsHttpMethod.OPTIONS);
        return List.copyOf(methods);
    }

    private HttpApi createHttpApi(SnapStartFunction api, SnapStartFunction authorizerFn, List<String> corsOrigins) {
        var builder = HttpApi.Builder.create(this, "HttpApi")
                .apiName("steward-" + config.name())
                .description("Steward HTTP API (" + config.name() + ")")
                // the stage is created below, with throttling and access logs
                .createDefaultStage(false);
        if (!corsOrigins.isEmpty()) {
            // API Gateway answers preflight itself, so OPTIONS never reaches the authorizer
            builder.corsPreflight(CorsPreflightOptions.builder()
                    .allowOrigins(corsOrigins)
                    .allowMethods(corsMethods())
                    .allowHeaders(List.of("Authorization", "Content-Type"))
                    .maxAge(Duration.hours(1))
                    .build());
        }
        var httpApi = builder.build();

        var authorizer = new HttpLambdaAuthorizer("ApiKeyAuthorizer", authorizerFn.live(),
                HttpLambdaAuthorizerProps.builder()
                        .responseTypes(List.of(HttpLambdaResponseType.SIMPLE))
                        .identitySource(List.of("$request.header.Authorization"))
                        .resultsCacheTtl(config.authorizerCacheTtl())
                        .build());
        // the operator's routes: SigV4-signed requests of an IAM principal allowed execute-api:Invoke on them
        var operators = new HttpIamAuthorizer();
        var integration = new HttpLambdaIntegration("ApiIntegration", api.live());
        for (Route route : Routes.ALL) {
            httpApi.addRoutes(AddRoutesOptions.builder()
                    .path(route.path())
                    .methods(List.of(HttpMethod.valueOf(route.method())))
                    .integration(integration)
                    .authorizer(switch (route.auth()) {
                        case NONE -> null;
                        case API_KEY -> authorizer;
                        case IAM -> operators;
                    })
                    .build());
        }
        return httpApi;
    }

    private HttpStage createApiStage() {
        var accessLogs = LogGroup.Builder.create(this, "ApiAccessLogs")
                .retention(config.logRetention())
                .removalPolicy(config.removalPolicy())
                .build();
        var destination = new LogGroupLogDestination(accessLogs);
        return HttpStage.Builder.create(this, "ApiStage")
                .httpApi(httpApi)
                .stageName(API_STAGE)
                .autoDeploy(true)
                .throttle(ThrottleSettings.builder()
                        .rateLimit(config.apiRateLimit())
                        .burstLimit(config.apiBurstLimit())
                        .build())
                .accessLogSettings(new IAccessLogSettings() {
                    @Override
                    public IAccessLogDestination getDestination() {
                        return destination;
                    }
                })
                .build();
    }

    private void createAlarms() {
        // Alarms publish here; subscribe on-call after deploy (docs/DEPLOY.md). Not KMS-encrypted: CloudWatch
        // cannot publish to a topic under the AWS-managed SNS key.
        var topic = Topic.Builder.create(this, "AlarmTopic").displayName("Steward " + config.name() + " alarms").build();
        var notify = new SnsAction(topic);
        var oneMinuteMax = MetricOptions.builder().period(Duration.minutes(1)).statistic("Maximum").build();
        var fiveMinuteSum = MetricOptions.builder().period(Duration.minutes(5)).statistic("Sum").build();

        alarms.add(alarmAboveZero("IngestDeadLettersAlarm",
                "Documents failed ingestion 3 times and sit in the ingest DLQ",
                ingestDeadLetters.metricApproximateNumberOfMessagesVisible(oneMinuteMax)));
        alarms.add(alarmAboveZero("AgentLoopFailedAlarm",
                "Agent-loop executions failed (the run records why)", agentLoop.metricFailed(fiveMinuteSum)));
        alarms.add(alarmAboveZero("AgentLoopTimedOutAlarm",
                "Agent-loop executions hit the state machine timeout", agentLoop.metricTimedOut(fiveMinuteSum)));
        // The api maps every expected failure to a 4xx; a 5xx is a bug, a failed authorizer or an AWS outage.
        alarms.add(alarmAboveZero("ApiServerErrorsAlarm",
                "The HTTP API answered 5xx", httpApi.metricServerError(fiveMinuteSum)));
        // A failing sweeper leaves crashed runs unresumed and expired reviews open, and nothing else shows it.
        alarms.add(alarmAboveZero("SweeperErrorsAlarm",
                "The sweeper failed (crashed runs are not resumed, expired reviews not closed)",
                functions.get(StewardFunction.SWEEPER).live().metricErrors(fiveMinuteSum)));
        alarms.forEach(alarm -> {
            alarm.addAlarmAction(notify);
            alarm.addOkAction(notify);
        });
        output("AlarmTopicArn", topic.getTopicArn());
    }

    private Alarm alarmAboveZero(String id, String description, IMetric metric) {
        return Alarm.Builder.create(this, id)
                .alarmDescription(description + " (" + config.name() + ")")
                .metric(metric)
                .threshold(0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(1)
                // no data means no messages / no executions, which is healthy
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
    }

    private void createOutputs() {
        output("ApiUrl", apiStage.getUrl());
        // what an operator's IAM policy allows (execute-api:Invoke) to create tenants and keys and to read and change
        // a tenant's settings (docs/DEPLOY.md): every method of the admin routes
        output("AdminRoutesArn", httpApi.arnForExecuteApi("*", ADMIN_ROUTES, API_STAGE));
        output("TableName", table.getTableName());
        output("UploadsBucketName", uploads.getBucketName());
        output("IngestQueueUrl", ingestQueue.getQueueUrl());
        output("AgentLoopArn", agentLoop.getStateMachineArn());
        output("KnowledgeDomainEndpoint", "https://" + knowledgeDomain.getDomainEndpoint());
        site.ifPresent(s -> output("SiteUrl", s.origin()));
        // what an operator needs to create users (docs/DEPLOY.md) and an OIDC client to sign in
        var jwt = jwtEnvironment();
        if (!jwt.isEmpty()) {
            output("SignInIssuer", jwt.get(JwtSettings.ISSUER));
            output("SignInClientIds", jwt.get(JwtSettings.AUDIENCE));
        }
        cognito.ifPresent(c -> {
            output("UserPoolId", c.pool().getUserPoolId());
            output("SignInHostedUiUrl", c.hostedUiUrl());
        });
    }

    private void output(String id, String value) {
        CfnOutput.Builder.create(this, id).value(value).build();
    }

    public StageConfig config() {
        return config;
    }

    public Table table() {
        return table;
    }

    public Bucket uploads() {
        return uploads;
    }

    public Queue ingestQueue() {
        return ingestQueue;
    }

    public Queue ingestDeadLetters() {
        return ingestDeadLetters;
    }

    public Domain knowledgeDomain() {
        return knowledgeDomain;
    }

    public Secret apiKeyPepper() {
        return apiKeyPepper;
    }

    public Key secretsKey() {
        return secretsKey;
    }

    public SnapStartFunction function(StewardFunction function) {
        return functions.get(function);
    }

    public StateMachine agentLoop() {
        return agentLoop;
    }

    public HttpApi httpApi() {
        return httpApi;
    }

    public Optional<CognitoSignIn> cognito() {
        return cognito;
    }

    public Optional<StaticSite> site() {
        return site;
    }

    OperationsDashboard dashboard() {
        return dashboard;
    }

    public List<Alarm> alarms() {
        return List.copyOf(alarms);
    }
}
