package dev.steward.cdk;

import java.nio.file.Path;
import java.util.Map;

import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * A Java 21 Lambda function with SnapStart, its own log group, and a {@code live} alias on its current version.
 *
 * <p>SnapStart snapshots only published versions; invoking {@code $LATEST} cold-starts the full JVM. Every
 * caller (API Gateway, the authorizer, Step Functions, the SQS event source) is therefore wired to
 * {@link #live()}, never to {@link #function()}. The version is CDK's {@code currentVersion}, whose logical id
 * hashes code and configuration, so each deployment that changes either publishes (and snapshots) a new version
 * and moves the alias.
 */
public final class SnapStartFunction extends Construct {
    public static final String ALIAS_NAME = "live";

    private final StewardFunction spec;
    private final Function function;
    private final Alias live;

    public SnapStartFunction(Construct scope, StewardFunction spec, Path jar, StageConfig config,
                             Map<String, String> environment, Integer reservedConcurrency) {
        super(scope, idOf(spec));
        this.spec = spec;

        var logs = LogGroup.Builder.create(this, "Logs")
                .retention(config.logRetention())
                .removalPolicy(config.removalPolicy())
                .build();

        this.function = Function.Builder.create(this, "Function")
                .description("Steward " + spec.functionName() + " (" + config.name() + ")")
                .runtime(Runtime.JAVA_21)
                .architecture(config.architecture())
                .handler(spec.handler())
                .code(Code.fromAsset(jar.toString()))
                .memorySize(spec.memoryMb())
                .timeout(spec.timeout())
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .environment(environment)
                .reservedConcurrentExecutions(reservedConcurrency)
                .logGroup(logs)
                // Lambda's own START/END/REPORT lines as JSON (the functions' own log lines are plain text: Powertools
                // logging is not wired, see README), so log queries can parse the platform's records.
                .loggingFormat(LoggingFormat.JSON)
                .tracing(Tracing.ACTIVE)
                .build();

        this.live = Alias.Builder.create(this, "Live")
                .aliasName(ALIAS_NAME)
                .version(function.getCurrentVersion())
                .build();
    }

    static String idOf(StewardFunction spec) {
        var name = spec.functionName();
        return Character.toUpperCase(name.charAt(0)) + name.substring(1) + "Function";
    }

    public StewardFunction spec() {
        return spec;
    }

    /** The unpublished function; configuration only. Invoke {@link #live()}. */
    public Function function() {
        return function;
    }

    /** The alias every invoker targets, so that SnapStart applies. */
    public Alias live() {
        return live;
    }
}
