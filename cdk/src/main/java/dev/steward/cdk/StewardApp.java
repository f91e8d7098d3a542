package dev.steward.cdk;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;

/**
 * The CDK app: one {@link StewardStage} per {@link StageConfig} (dev, stage, prod).
 *
 * <p>Context (all optional, {@code cdk synth -c key=value}):
 * <ul>
 *   <li>{@code account.<stage>}, {@code region.<stage>}: where a stage deploys; default
 *       {@code CDK_DEFAULT_ACCOUNT}/{@code CDK_DEFAULT_REGION} (set by the CLI from your credentials), else an
 *       environment-agnostic template.</li>
 *   <li>{@code spaOrigins.<stage>}: comma-separated CORS origins replacing the stage's default.</li>
 *   <li>{@code guardrails.<stage>}: the stage's guardrail provider, {@code local} (default), {@code comprehend} or
 *       {@code bedrock:<guardrail id>:<version>} ({@link StageConfig.Guardrails}); a malformed value stops
 *       synthesis with a message naming the key.</li>
 *   <li>{@code reranker.<stage>}: the stage's reranking, {@code none} (default), {@code bedrock} (Amazon Rerank 1.0)
 *       or {@code bedrock:<model id>}, optionally followed by {@code ,candidates=<n>} ({@link StageConfig.Reranking});
 *       a malformed value stops synthesis with a message naming the key.</li>
 *   <li>{@code model.<stage>}: the model plan and respond use, {@code bedrock} (default, with
 *       {@code amazon.nova-lite-v1:0}), {@code bedrock:<model id or inference profile id>} or {@code none} (extractive
 *       answers) ({@link StageConfig.Model}); a malformed value stops synthesis with a message naming the key.</li>
 *   <li>{@code signin.<stage>}: JWT sign-in for the SPA's users besides API keys, {@code none} (default),
 *       {@code cognito} (the stack creates a user pool) or {@code oidc:<issuer URL>|<client id>[,...]}
 *       ({@link StageConfig.SignIn}); a malformed value stops synthesis with a message naming the key.</li>
 * </ul>
 * The repository root (for the jars, the ASL file and the SPA) is {@code STEWARD_REPO_ROOT} if set, else the first
 * folder at or above the working directory holding {@code step-functions/agent-loop.asl.json}.
 */
public final class StewardApp {
    private StewardApp() {}

    public static void main(String[] args) {
        // Checked before the App starts the jsii runtime, so a missing build is the only thing printed.
        var repoRoot = repoRoot();
        var inputs = StewardInputs.fromRepo(repoRoot);
        try {
            inputs.functions().requirePresent();
        } catch (FunctionAssets.MissingJarsException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
        var app = new App();
        List<StageConfig> configs;
        try {
            configs = configs(app);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (inputs.webDist().isEmpty()) {
            System.err.println("Note: " + repoRoot.resolve(StewardInputs.WEB_DIST)
                    + " has no index.html; synthesizing without the static site.");
        }
        build(app, inputs, configs);
        app.synth();
    }

    /**
     * dev, stage and prod as the app's context adjusts them.
     *
     * @throws IllegalArgumentException naming the context key when a value is malformed
     */
    static List<StageConfig> configs(App app) {
        return StageConfig.all().stream().map(c -> withContext(app, c)).toList();
    }

    /** Adds one stage per config to {@code app}; shared by {@link #main} and the tests. */
    public static List<StewardStage> build(App app, StewardInputs inputs, List<StageConfig> configs) {
        return configs.stream().map(config -> new StewardStage(app, config, inputs, environment(app, config))).toList();
    }

    private static Path repoRoot() {
        var configured = System.getenv("STEWARD_REPO_ROOT");
        return configured != null && !configured.isBlank()
                ? Path.of(configured).toAbsolutePath().normalize()
                : StewardInputs.findRepoRoot(Path.of(""));
    }

    private static StageConfig withContext(App app, StageConfig config) {
        var origins = app.getNode().tryGetContext("spaOrigins." + config.name());
        if (origins != null) {
            config = config.withCorsOrigins(Arrays.stream(origins.toString().split(","))
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .toList());
        }
        config = withParsed(app, config, "guardrails", StageConfig.Guardrails::parse, StageConfig.Guardrails.FORMAT,
                StageConfig::withGuardrails);
        config = withParsed(app, config, "reranker", StageConfig.Reranking::parse, StageConfig.Reranking.FORMAT,
                StageConfig::withReranking);
        config = withParsed(app, config, "model", StageConfig.Model::parse, StageConfig.Model.FORMAT, StageConfig::withModel);
        config = withParsed(app, config, "signin", StageConfig.SignIn::parse, StageConfig.SignIn.FORMAT, StageConfig::withSignIn);
        return config;
    }

    /**
     * {@code config} with the value of the {@code <prefix>.<stage>} context key, if set, parsed into it.
     *
     * @throws IllegalArgumentException naming the key and the expected {@code format} when {@code parse} refuses it
     */
    private static <T> StageConfig withParsed(App app, StageConfig config, String prefix, Function<String, T> parse,
                                              String format, BiFunction<StageConfig, T, StageConfig> with) {
        var key = prefix + "." + config.name();
        var value = app.getNode().tryGetContext(key);
        if (value == null) {
            return config;
        }
        try {
            return with.apply(config, parse.apply(value.toString()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("context " + key + "=" + value + ": " + e.getMessage()
                    + " (expected " + format + ")", e);
        }
    }

    private static Environment environment(App app, StageConfig config) {
        var account = contextOrEnv(app, "account." + config.name(), "CDK_DEFAULT_ACCOUNT");
        var region = contextOrEnv(app, "region." + config.name(), "CDK_DEFAULT_REGION");
        if (account == null || region == null) {
            return null;
        }
        return Environment.builder().account(account).region(region).build();
    }

    private static String contextOrEnv(App app, String contextKey, String envVar) {
        var value = app.getNode().tryGetContext(contextKey);
        return value != null ? value.toString() : System.getenv(envVar);
    }
}
