package dev.steward.cdk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Where the deployable jar of each Lambda function is. The jar must exist when the app is synthesized:
 * {@code Code.fromAsset} hashes and copies it into the cloud assembly.
 *
 * @param jars one entry per {@link StewardFunction}; the agent-loop steps share the steps module's jar
 */
public record FunctionAssets(Map<StewardFunction, Path> jars) {

    /** The command that produces the shaded jars {@link #fromRepoLayout} expects. */
    public static final String BUILD_COMMAND = "./mvnw -Pdist package";

    public FunctionAssets {
        Objects.requireNonNull(jars, "jars");
        var given = jars;
        var absent = Arrays.stream(StewardFunction.values()).filter(f -> !given.containsKey(f)).toList();
        if (!absent.isEmpty()) {
            throw new IllegalArgumentException("no jar given for functions " + absent);
        }
        jars = Map.copyOf(jars);
    }

    /**
     * The repository layout: {@code functions/<module>/target/steward-function-<module>-lambda.jar}, the shaded
     * jar {@value #BUILD_COMMAND} builds for each function module.
     */
    public static FunctionAssets fromRepoLayout(Path repoRoot) {
        return of(f -> repoRoot.resolve(relativeJarPath(f.module())).toAbsolutePath().normalize());
    }

    /** Every function deployed from one jar (tests; a single "fat" jar would also work on AWS). */
    public static FunctionAssets sameJarForAll(Path jar) {
        return of(f -> jar.toAbsolutePath().normalize());
    }

    private static FunctionAssets of(Function<StewardFunction, Path> jarOf) {
        var jars = new EnumMap<StewardFunction, Path>(StewardFunction.class);
        for (var function : StewardFunction.values()) {
            jars.put(function, jarOf.apply(function));
        }
        return new FunctionAssets(jars);
    }

    /** E.g. {@code functions/api/target/steward-function-api-lambda.jar}. */
    public static Path relativeJarPath(String module) {
        return Path.of("functions", module, "target", "steward-function-" + module + "-lambda.jar");
    }

    public Path jarFor(StewardFunction function) {
        return jars.get(function);
    }

    /** Distinct jar files that are not regular files, in a stable order. */
    public List<Path> missing() {
        return jars.values().stream().distinct().filter(p -> !Files.isRegularFile(p)).sorted().toList();
    }

    /**
     * @throws MissingJarsException naming every missing jar and the command that builds them
     */
    public FunctionAssets requirePresent() {
        var missing = missing();
        if (!missing.isEmpty()) {
            throw new MissingJarsException(missing);
        }
        return this;
    }

    /** Thrown before synthesis when a deployable jar has not been built. */
    public static final class MissingJarsException extends RuntimeException {
        private final List<Path> missing;

        MissingJarsException(List<Path> missing) {
            super(message(missing));
            this.missing = List.copyOf(missing);
        }

        public List<Path> missing() {
            return missing;
        }

        private static String message(List<Path> missing) {
            return "Cannot synthesize: " + missing.size() + " Lambda deployment jar(s) missing:\n"
                    + missing.stream().map(p -> "  " + p).collect(Collectors.joining("\n"))
                    + "\nBuild them from the repository root with:\n  " + BUILD_COMMAND;
        }
    }
}
