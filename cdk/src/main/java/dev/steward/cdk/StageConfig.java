package dev.steward.cdk;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

import dev.steward.guardrails.aws.GuardrailProviders;
import dev.steward.llm.ModelProviders;
import dev.steward.rag.retrieve.BedrockReranker;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.stepfunctions.LogLevel;

/**
 * Everything that differs between dev, stage and prod. Everything else is the same stack.
 *
 * @param name                   stage name; also the {@code stage} tag and the stack name suffix
 * @param architecture           CPU architecture of every function (see {@link #DEFAULT_ARCHITECTURE})
 * @param logRetention           retention of every log group the stack creates
 * @param removalPolicy          what happens to stateful resources (table, buckets, logs) when the stack goes
 * @param alarmsEnabled          whether CloudWatch alarms (and their SNS topic) exist
 * @param agentLoopLogLevel      Step Functions execution log level
 * @param apiReservedConcurrency reserved concurrency of the api function; null leaves it unreserved
 * @param stepReservedConcurrency reserved concurrency of each agent-loop step function; null leaves it unreserved
 * @param ingestMaxConcurrency   max concurrent ingest invocations the SQS event source may start (2..1000)
 * @param authorizerCacheTtl     how long API Gateway caches an authorizer decision per Authorization header
 * @param apiRateLimit           steady-state requests per second on the HTTP API's default stage
 * @param apiBurstLimit          burst requests on the HTTP API's default stage
 * @param corsOrigins            SPA origins allowed by CORS (the CloudFront site's origin is added when it exists)
 * @param terminationProtection  whether CloudFormation refuses to delete the stack
 * @param knowledgeDomain        size and spread of the OpenSearch Service domain holding the knowledge index
 * @param guardrails             which service checks text at the loop's checkpoints and at the API's door
 * @param reranking              whether, and with which model, retrieval reorders its fused candidates
 * @param model                  the model the loop plans and answers with (plan and respond), or none
 * @param signIn                 how the SPA's users sign in besides API keys: not at all, a Cognito user pool the
 *                               stack creates, or an external OIDC issuer
 */
public record StageConfig(
        String name,
        Architecture architecture,
        RetentionDays logRetention,
        RemovalPolicy removalPolicy,
        boolean alarmsEnabled,
        LogLevel agentLoopLogLevel,
        Integer apiReservedConcurrency,
        Integer stepReservedConcurrency,
        int ingestMaxConcurrency,
        Duration authorizerCacheTtl,
        int apiRateLimit,
        int apiBurstLimit,
        List<String> corsOrigins,
        boolean terminationProtection,
        KnowledgeDomain knowledgeDomain,
        Guardrails guardrails,
        Reranking reranking,
        Model model,
        SignIn signIn) {

    /**
     * JWT sign-in for a stage's SPA users, the second way in besides API keys: none (the default), a Cognito user pool
     * this stack creates (custom {@code tenant} attribute, groups admin/reviewer/member, a public app client for the
     * SPA with the authorization code flow and PKCE, a hosted UI domain), or an external OIDC issuer whose tokens
     * carry the tenant and groups in Cognito's claim names. Either way the authorizer verifies the tokens
     * ({@code STEWARD_JWT_ISSUER}, {@code STEWARD_JWT_AUDIENCE}).
     *
     * @param kind      which issuer
     * @param issuer    an external issuer's URL, exactly as its tokens' {@code iss}; oidc only
     * @param audiences the client ids its tokens are for; oidc only
     */
    public record SignIn(Kind kind, String issuer, List<String> audiences) {
        /** Who issues the tokens. */
        public enum Kind { NONE, COGNITO, OIDC }

        /** What {@link #parse} accepts. */
        public static final String FORMAT = "none, cognito or oidc:<issuer URL>|<client id>[,<client id>...]";

        public SignIn {
            Objects.requireNonNull(kind, "kind");
            audiences = List.copyOf(audiences);
            if (kind == Kind.OIDC) {
                if (issuer == null || !issuer.startsWith("https://")) {
                    throw new IllegalArgumentException("an OIDC issuer is an https URL, not '" + issuer + "'");
                }
                if (audiences.isEmpty() || audiences.stream().anyMatch(String::isBlank)) {
                    throw new IllegalArgumentException("an OIDC issuer needs the client id(s) its tokens are for");
                }
            } else if (issuer != null || !audiences.isEmpty()) {
                throw new IllegalArgumentException("only oidc names an issuer and client ids");
            }
        }

        public static SignIn none() {
            return new SignIn(Kind.NONE, null, List.of());
        }

        public static SignIn cognito() {
            return new SignIn(Kind.COGNITO, null, List.of());
        }

        public static SignIn oidc(String issuer, List<String> audiences) {
            return new SignIn(Kind.OIDC, issuer, audiences);
        }

        /**
         * One of {@link #FORMAT}: the value of a {@code signin.<stage>} context key.
         *
         * @throws IllegalArgumentException saying what is wrong with {@code text}
         */
        public static SignIn parse(String text) {
            var value = text.strip();
            var colon = value.indexOf(':');
            var name = (colon < 0 ? value : value.substring(0, colon)).toLowerCase(Locale.ROOT);
            return switch (name) {
                case "none", "cognito" -> {
                    if (colon >= 0) {
                        throw new IllegalArgumentException(name + " takes no issuer");
                    }
                    yield name.equals("none") ? none() : cognito();
                }
                case "oidc" -> {
                    var rest = colon < 0 ? "" : value.substring(colon + 1);
                    var bar = rest.indexOf('|');
                    if (bar < 0) {
                        throw new IllegalArgumentException("oidc takes <issuer URL>|<client id>");
                    }
                    yield oidc(rest.substring(0, bar).strip(),
                            java.util.Arrays.stream(rest.substring(bar + 1).split(",")).map(String::strip).toList());
                }
                default -> throw new IllegalArgumentException("no sign-in named '" + name + "'");
            };
        }
    }

    /**
     * The model a stage's agents plan and answer with: Bedrock (Converse, through LangChain4j) with one model or
     * inference profile, as {@link ModelProviders} reads it from {@code STEWARD_LLM_CHAIN=bedrock} and
     * {@value ModelProviders#BEDROCK_MODEL}; or none, when every answer comes from the offline extractive responder
     * and says so. The model is called in the stack's region; an inference profile ({@code us.}, {@code eu.},
     * {@code apac.}, ... {@code global.} before the model id) routes to its model in the regions of its geography.
     *
     * @param modelId a Bedrock model id ({@code amazon.nova-lite-v1:0}) or a system inference profile id
     *                ({@code us.anthropic.claude-sonnet-4-20250514-v1:0}); null for none
     */
    public record Model(String modelId) {
        /** What {@link #parse} accepts. */
        public static final String FORMAT = "none, bedrock or bedrock:<model id or inference profile id>";
        /**
         * A Bedrock model id ({@code provider.name}, then {@code :version} parts) with an optional system inference
         * profile's geography before it: an ARN, a URL or a typo stops synthesis instead of failing every run.
         */
        private static final Pattern MODEL_ID = Pattern.compile(
                "(?:(us|us-gov|eu|apac|jp|au|ca|global)\\.)?([a-z0-9-]+\\.[a-z0-9._-]+(?::[a-z0-9]+)*)");

        public Model {
            if (modelId != null && !MODEL_ID.matcher(modelId).matches()) {
                throw new IllegalArgumentException("a Bedrock model is a model id such as " + ModelProviders.DEFAULT_BEDROCK_MODEL
                        + " or an inference profile id such as us.amazon.nova-pro-v1:0 (not an ARN), not '" + modelId + "'");
            }
        }

        /** Bedrock with {@code modelId}. */
        public static Model bedrock(String modelId) {
            return new Model(java.util.Objects.requireNonNull(modelId, "modelId"));
        }

        /** Bedrock with {@value ModelProviders#DEFAULT_BEDROCK_MODEL}: every stage's default. */
        public static Model bedrockDefault() {
            return bedrock(ModelProviders.DEFAULT_BEDROCK_MODEL);
        }

        /** No model: answers are extractive, labelled {@code offline-extractive}. */
        public static Model none() {
            return new Model(null);
        }

        /**
         * One of {@link #FORMAT}: the value of a {@code model.<stage>} context key.
         *
         * @throws IllegalArgumentException saying what is wrong with {@code text}
         */
        public static Model parse(String text) {
            var value = text.strip();
            var colon = value.indexOf(':');
            var name = (colon < 0 ? value : value.substring(0, colon)).toLowerCase(Locale.ROOT);
            return switch (name) {
                case "none" -> {
                    if (colon >= 0) {
                        throw new IllegalArgumentException("none takes no model");
                    }
                    yield none();
                }
                case "bedrock" -> colon < 0 ? bedrockDefault() : bedrock(value.substring(colon + 1));
                default -> throw new IllegalArgumentException("no model provider named '" + name + "'");
            };
        }

        public boolean isNone() {
            return modelId == null;
        }

        /** The geography of a system inference profile ({@code us}, {@code eu}, ...), empty for a model id. */
        public java.util.Optional<String> profileGeography() {
            var m = MODEL_ID.matcher(java.util.Objects.requireNonNull(modelId, "no model"));
            return m.matches() ? java.util.Optional.ofNullable(m.group(1)) : java.util.Optional.empty();
        }

        /** The foundation model behind {@link #modelId}: the id itself, or what an inference profile routes to. */
        public String foundationModelId() {
            var m = MODEL_ID.matcher(java.util.Objects.requireNonNull(modelId, "no model"));
            if (!m.matches()) {
                throw new IllegalStateException(modelId);
            }
            return m.group(2);
        }
    }

    /**
     * The knowledge index's Amazon OpenSearch Service domain: data nodes of one instance type spread evenly over
     * availability zones (zone awareness when more than one), each with a gp3 volume. The index has one primary
     * shard and, from a second node on, one replica, so two nodes in two zones keep it whole when a zone fails.
     *
     * @param instanceType      data node instance type, e.g. {@code t3.small.search}
     * @param dataNodes         number of data nodes, a multiple of {@code availabilityZones}
     * @param availabilityZones 1 (no zone awareness), 2 or 3
     * @param volumeGb          EBS volume per data node
     */
    public record KnowledgeDomain(String instanceType, int dataNodes, int availabilityZones, int volumeGb) {
        public KnowledgeDomain {
            Objects.requireNonNull(instanceType, "instanceType");
            if (!instanceType.endsWith(".search")) {
                throw new IllegalArgumentException("OpenSearch Service instance types end in .search, not " + instanceType);
            }
            if (availabilityZones < 1 || availabilityZones > 3) {
                throw new IllegalArgumentException("availabilityZones must be 1, 2 or 3, was " + availabilityZones);
            }
            if (dataNodes < 1 || dataNodes % availabilityZones != 0) {
                // OpenSearch Service spreads zone-aware data nodes evenly and refuses counts it cannot spread
                throw new IllegalArgumentException("dataNodes must be a positive multiple of availabilityZones ("
                        + availabilityZones + "), was " + dataNodes);
            }
            if (volumeGb < 10) {
                throw new IllegalArgumentException("volumeGb must be at least 10, was " + volumeGb);
            }
        }

        public boolean zoneAware() {
            return availabilityZones > 1;
        }
    }

    /**
     * The guardrail provider of a stage: {@code STEWARD_GUARDRAILS_PROVIDER} and, for Bedrock, the guardrail to
     * apply, as {@link GuardrailProviders} reads them. Local checks need nothing from AWS and Comprehend only
     * permissions; a Bedrock guardrail is made outside this stack (console or API) and named here by id and version.
     * Every stage is local unless the {@code guardrails.<stage>} context value says otherwise ({@link StewardApp}).
     *
     * @param provider                which service checks text
     * @param bedrockGuardrailId      the guardrail's id (not its ARN); bedrock only
     * @param bedrockGuardrailVersion a version number or {@code DRAFT}; bedrock only
     */
    public record Guardrails(GuardrailProviders.Provider provider, String bedrockGuardrailId,
                             String bedrockGuardrailVersion) {
        /** What {@link #parse} accepts. */
        public static final String FORMAT = "local, comprehend or bedrock:<guardrail id>:<version>";
        /** The Bedrock API's patterns for a guardrail id and version (GuardrailSummary, ApplyGuardrail). */
        private static final Pattern GUARDRAIL_ID = Pattern.compile("[a-z0-9]{1,64}");
        private static final Pattern GUARDRAIL_VERSION = Pattern.compile("[1-9][0-9]{0,7}|DRAFT");

        public Guardrails {
            Objects.requireNonNull(provider, "provider");
            if (provider == GuardrailProviders.Provider.BEDROCK) {
                if (bedrockGuardrailId == null || !GUARDRAIL_ID.matcher(bedrockGuardrailId).matches()) {
                    throw new IllegalArgumentException("a Bedrock guardrail id is lowercase letters and digits"
                            + " (the id, not the ARN), not '" + bedrockGuardrailId + "'");
                }
                if (bedrockGuardrailVersion == null || !GUARDRAIL_VERSION.matcher(bedrockGuardrailVersion).matches()) {
                    throw new IllegalArgumentException("a Bedrock guardrail version is a version number or DRAFT, not '"
                            + bedrockGuardrailVersion + "'");
                }
            } else if (bedrockGuardrailId != null || bedrockGuardrailVersion != null) {
                throw new IllegalArgumentException("only the bedrock provider names a guardrail, "
                        + provider.name().toLowerCase(Locale.ROOT) + " does not");
            }
        }

        public static Guardrails local() {
            return new Guardrails(GuardrailProviders.Provider.LOCAL, null, null);
        }

        public static Guardrails comprehend() {
            return new Guardrails(GuardrailProviders.Provider.COMPREHEND, null, null);
        }

        public static Guardrails bedrock(String guardrailId, String version) {
            return new Guardrails(GuardrailProviders.Provider.BEDROCK, guardrailId, version);
        }

        /**
         * One of {@link #FORMAT}: the value of a {@code guardrails.<stage>} context key.
         *
         * @throws IllegalArgumentException saying what is wrong with {@code text}
         */
        public static Guardrails parse(String text) {
            var parts = text.strip().split(":", -1);
            var name = parts[0].toLowerCase(Locale.ROOT);
            return switch (name) {
                case "local", "comprehend" -> {
                    if (parts.length != 1) {
                        throw new IllegalArgumentException(name + " takes no guardrail id or version");
                    }
                    yield name.equals("local") ? local() : comprehend();
                }
                case "bedrock" -> {
                    if (parts.length != 3) {
                        throw new IllegalArgumentException("bedrock takes exactly a guardrail id and a version");
                    }
                    yield bedrock(parts[1], parts[2]);
                }
                default -> throw new IllegalArgumentException("no guardrail provider named '" + parts[0] + "'");
            };
        }

        /** The value of {@code STEWARD_GUARDRAILS_PROVIDER}. */
        public String providerName() {
            return provider.name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The reranking stage of a stage's retrieval, as {@code KnowledgeBases} reads it: none (the fused order is the
     * answer, the functions' default) or Bedrock's Rerank API with one reranking model, and optionally how many fused
     * chunks it reads ({@code STEWARD_RERANK_CANDIDATES}; unset, the function's default). The model is named by its
     * id, not an ARN, because the stack scopes {@code bedrock:InvokeModel} to that foundation model in its own
     * region. Every stage is none unless the {@code reranker.<stage>} context value says otherwise ({@link StewardApp}).
     *
     * @param reranker   which service reorders the fused candidates
     * @param model      a Bedrock reranking model id such as {@value BedrockReranker#DEFAULT_MODEL}; bedrock only
     * @param candidates 1 to {@value BedrockReranker#MAX_SOURCES}, or null for the function's default; bedrock only
     */
    public record Reranking(Reranker reranker, String model, Integer candidates) {
        /** The values of {@code STEWARD_RERANKER}. */
        public enum Reranker { NONE, BEDROCK }

        /** What {@link #parse} accepts. */
        public static final String FORMAT = "none, bedrock or bedrock:<model id>, optionally followed by ,candidates=<n>";
        /**
         * A Bedrock foundation model id ({@code provider.name:version}) with {@code rerank} in its name, as both
         * reranking models have ({@code amazon.rerank-v1:0}, {@code cohere.rerank-v3-5:0}): an ARN, a text model or
         * a typo stops synthesis instead of failing every retrieval.
         */
        private static final Pattern MODEL_ID = Pattern.compile("[a-z0-9-]+\\.[a-z0-9.-]*rerank[a-z0-9.-]*:[0-9]+");
        private static final String CANDIDATES_OPTION = "candidates=";

        public Reranking {
            Objects.requireNonNull(reranker, "reranker");
            if (reranker == Reranker.BEDROCK) {
                if (model == null || !MODEL_ID.matcher(model).matches()) {
                    throw new IllegalArgumentException("a Bedrock reranking model is a model id with rerank in its name"
                            + " (e.g. " + BedrockReranker.DEFAULT_MODEL + ", not an ARN), not '" + model + "'");
                }
                if (candidates != null && (candidates < 1 || candidates > BedrockReranker.MAX_SOURCES)) {
                    throw new IllegalArgumentException("candidates must be 1 to " + BedrockReranker.MAX_SOURCES
                            + " (one Rerank request), not " + candidates);
                }
            } else if (model != null || candidates != null) {
                throw new IllegalArgumentException("only the bedrock reranker takes a model or candidates, none does not");
            }
        }

        public static Reranking none() {
            return new Reranking(Reranker.NONE, null, null);
        }

        /** @param candidates null for the function's default */
        public static Reranking bedrock(String model, Integer candidates) {
            return new Reranking(Reranker.BEDROCK, model, candidates);
        }

        /**
         * One of {@link #FORMAT}: the value of a {@code reranker.<stage>} context key. {@code bedrock} alone is the
         * functions' default model, {@value BedrockReranker#DEFAULT_MODEL}.
         *
         * @throws IllegalArgumentException saying what is wrong with {@code text}
         */
        public static Reranking parse(String text) {
            var value = text.strip();
            var comma = value.indexOf(',');
            var head = comma < 0 ? value : value.substring(0, comma);
            var colon = head.indexOf(':');
            var name = colon < 0 ? head : head.substring(0, colon);
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "none" -> {
                    if (!head.equals(value) || colon >= 0) {
                        throw new IllegalArgumentException("none takes no model or candidates");
                    }
                    yield none();
                }
                case "bedrock" -> bedrock(colon < 0 ? BedrockReranker.DEFAULT_MODEL : head.substring(colon + 1),
                        comma < 0 ? null : candidates(value.substring(comma + 1)));
                default -> throw new IllegalArgumentException("no reranker named '" + name + "'");
            };
        }

        private static Integer candidates(String option) {
            if (!option.startsWith(CANDIDATES_OPTION)) {
                throw new IllegalArgumentException("after the model comes " + CANDIDATES_OPTION + "<n>, not '" + option + "'");
            }
            var count = option.substring(CANDIDATES_OPTION.length());
            try {
                return Integer.valueOf(count);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("candidates is a whole number, not '" + count + "'", e);
            }
        }

        /** The value of {@code STEWARD_RERANKER}. */
        public String rerankerName() {
            return reranker.name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * x86_64, not arm64: the Cedar policy engine the guardrails use ships its native library for linux x86_64
     * only (cedar-java {@code uber} jar), and one architecture for every function keeps a shared shaded jar
     * valid everywhere. arm64 would be ~20% cheaper per GB-second and SnapStart supports it; switch here once
     * every native dependency in the shaded jars has an aarch64 build.
     */
    public static final Architecture DEFAULT_ARCHITECTURE = Architecture.X86_64;

    public StageConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(logRetention, "logRetention");
        Objects.requireNonNull(removalPolicy, "removalPolicy");
        Objects.requireNonNull(agentLoopLogLevel, "agentLoopLogLevel");
        Objects.requireNonNull(authorizerCacheTtl, "authorizerCacheTtl");
        Objects.requireNonNull(knowledgeDomain, "knowledgeDomain");
        Objects.requireNonNull(guardrails, "guardrails");
        Objects.requireNonNull(reranking, "reranking");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(signIn, "signIn");
        corsOrigins = List.copyOf(corsOrigins);
        if (ingestMaxConcurrency < 2 || ingestMaxConcurrency > 1000) {
            // the limits of an SQS event source mapping's maximum concurrency
            throw new IllegalArgumentException("ingestMaxConcurrency must be 2..1000, was " + ingestMaxConcurrency);
        }
    }

    /**
     * Developer stage: everything is disposable, execution data is logged in full, and nothing is reserved,
     * because a fresh account's concurrency quota (sometimes 10) cannot give any away. One small burstable search
     * node.
     */
    public static StageConfig dev() {
        return new StageConfig("dev", DEFAULT_ARCHITECTURE, RetentionDays.ONE_WEEK, RemovalPolicy.DESTROY,
                false, LogLevel.ALL, null, null, 2,
                // no cache: a key revoked while testing stops working at once
                Duration.seconds(0), 20, 40,
                List.of("http://localhost:5173", "http://127.0.0.1:8080"), false,
                new KnowledgeDomain("t3.small.search", 1, 1, 10), Guardrails.local(),
                Reranking.none(), Model.bedrockDefault(), SignIn.none());
    }

    /**
     * Pre-production: prod's shape with smaller limits, disposable data, alarms on to test them; the search domain
     * zone-aware over two zones like prod's, on burstable nodes.
     */
    public static StageConfig stage() {
        return new StageConfig("stage", DEFAULT_ARCHITECTURE, RetentionDays.ONE_MONTH, RemovalPolicy.DESTROY,
                true, LogLevel.ERROR, 20, 10, 5,
                Duration.seconds(30), 50, 100, List.of(), false,
                new KnowledgeDomain("t3.medium.search", 2, 2, 20), Guardrails.local(),
                Reranking.none(), Model.bedrockDefault(), SignIn.none());
    }

    /**
     * Production: data is retained and the stack is termination-protected. Reserved concurrency caps what a
     * runaway tenant can spend and keeps the step functions from starving the API (and vice versa). The search
     * domain runs two memory-optimised nodes in two zones (the index's primary and its replica).
     */
    public static StageConfig prod() {
        return new StageConfig("prod", DEFAULT_ARCHITECTURE, RetentionDays.SIX_MONTHS, RemovalPolicy.RETAIN,
                true, LogLevel.ERROR, 100, 50, 20,
                // short: a revoked key keeps working for at most this long
                Duration.minutes(1), 200, 400, List.of(), true,
                new KnowledgeDomain("r6g.large.search", 2, 2, 50), Guardrails.local(),
                Reranking.none(), Model.bedrockDefault(), SignIn.none());
    }

    public static List<StageConfig> all() {
        return List.of(dev(), stage(), prod());
    }

    public StageConfig withCorsOrigins(List<String> origins) {
        return new StageConfig(name, architecture, logRetention, removalPolicy, alarmsEnabled, agentLoopLogLevel,
                apiReservedConcurrency, stepReservedConcurrency, ingestMaxConcurrency, authorizerCacheTtl,
                apiRateLimit, apiBurstLimit, origins, terminationProtection, knowledgeDomain, guardrails, reranking, model, signIn);
    }

    public StageConfig withGuardrails(Guardrails provider) {
        return new StageConfig(name, architecture, logRetention, removalPolicy, alarmsEnabled, agentLoopLogLevel,
                apiReservedConcurrency, stepReservedConcurrency, ingestMaxConcurrency, authorizerCacheTtl,
                apiRateLimit, apiBurstLimit, corsOrigins, terminationProtection, knowledgeDomain, provider, reranking, model, signIn);
    }

    public StageConfig withReranking(Reranking stage) {
        return new StageConfig(name, architecture, logRetention, removalPolicy, alarmsEnabled, agentLoopLogLevel,
                apiReservedConcurrency, stepReservedConcurrency, ingestMaxConcurrency, authorizerCacheTtl,
                apiRateLimit, apiBurstLimit, corsOrigins, terminationProtection, knowledgeDomain, guardrails, stage, model, signIn);
    }

    public StageConfig withModel(Model stage) {
        return new StageConfig(name, architecture, logRetention, removalPolicy, alarmsEnabled, agentLoopLogLevel,
                apiReservedConcurrency, stepReservedConcurrency, ingestMaxConcurrency, authorizerCacheTtl,
                apiRateLimit, apiBurstLimit, corsOrigins, terminationProtection, knowledgeDomain, guardrails, reranking, stage, signIn);
    }

    public StageConfig withSignIn(SignIn stage) {
        return new StageConfig(name, architecture, logRetention, removalPolicy, alarmsEnabled, agentLoopLogLevel,
                apiReservedConcurrency, stepReservedConcurrency, ingestMaxConcurrency, authorizerCacheTtl,
                apiRateLimit, apiBurstLimit, corsOrigins, terminationProtection, knowledgeDomain, guardrails, reranking, model, stage);
    }

    /**
     * Dev logs everything: Step Functions execution data (which carries tenant content) and DEBUG application
     * logs. Every other stage logs errors and INFO without payloads.
     */
    public boolean verboseLogging() {
        return agentLoopLogLevel == LogLevel.ALL;
    }

    /** Only prod keeps data when the stack or a resource is removed. */
    public boolean keepsData() {
        return removalPolicy == RemovalPolicy.RETAIN;
    }
}
