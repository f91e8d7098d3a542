package dev.steward.cdk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Files from the rest of the repository that the stacks are built from.
 *
 * @param functions          deployable jar per function
 * @param agentLoopDefinition the ASL file with {@code ${...FunctionArn}} placeholders
 * @param webDist            the built SPA; when empty, no static site is deployed
 */
public record StewardInputs(FunctionAssets functions, Path agentLoopDefinition, Optional<Path> webDist) {

    public static final Path AGENT_LOOP_ASL = Path.of("step-functions", "agent-loop.asl.json");
    public static final Path WEB_DIST = Path.of("web-static", "dist");

    public StewardInputs {
        Objects.requireNonNull(functions, "functions");
        Objects.requireNonNull(webDist, "webDist");
        agentLoopDefinition = agentLoopDefinition.toAbsolutePath().normalize();
        if (!Files.isRegularFile(agentLoopDefinition)) {
            throw new IllegalArgumentException("agent-loop definition not found: " + agentLoopDefinition);
        }
    }

    /** The inputs as laid out in the repository; jars are not checked here (see {@link FunctionAssets}). */
    public static StewardInputs fromRepo(Path repoRoot) {
        return new StewardInputs(FunctionAssets.fromRepoLayout(repoRoot), repoRoot.resolve(AGENT_LOOP_ASL),
                webDistIn(repoRoot));
    }

    /**
     * The SPA is deployed only once it has been built: a {@code web-static/dist} folder with an
     * {@code index.html}. A missing or half-built folder would otherwise fail the deployment (or publish an
     * empty site) for every backend-only change.
     */
    public static Optional<Path> webDistIn(Path repoRoot) {
        var dist = repoRoot.resolve(WEB_DIST).toAbsolutePath().normalize();
        return Files.isRegularFile(dist.resolve("index.html")) ? Optional.of(dist) : Optional.empty();
    }

    /**
     * The repository root: the first of {@code start} and its parents holding the agent-loop ASL file. The CDK
     * CLI runs the app from {@code cdk/}, tests from the module folder, developers from anywhere inside.
     */
    public static Path findRepoRoot(Path start) {
        for (var dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(AGENT_LOOP_ASL))) {
                return dir;
            }
        }
        throw new IllegalStateException("no Steward repository (with " + AGENT_LOOP_ASL + ") at or above " + start);
    }
}
