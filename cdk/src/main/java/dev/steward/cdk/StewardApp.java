package dev.steward.cdk;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

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
        var guardrailsKey = "guardrails." + config.name();
        var guardrails = app.getNode().tryGetContext(guardrailsKey);
        if (guardrails != null) {
            try {
                config = config.withGuardrails(StageConfig.Guardrails.parse(guardrails.toString()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("context " + guardrailsKey + "=" + guardrails + ": " + e.getMessage()
                        + " (expected " + StageConfig.Guardrails.FORMAT + ")", e);
            }
        }
        return config;
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
