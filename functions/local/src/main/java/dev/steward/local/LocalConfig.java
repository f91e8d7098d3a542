package dev.steward.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Local mode's settings. {@code home} is the repository root (the state machine file, the local runner, the
 * built web app and the agent templates are read from there); {@code dataDir} holds everything that survives a
 * restart. {@code environment} carries model ({@code STEWARD_LLM_*}) and connector ({@code STEWARD_EMAIL_*})
 * settings.
 */
public record LocalConfig(Path home, Path dataDir, int port, long maxUploadBytes, Path s3proxyJar, boolean seedDemo,
        Map<String, String> environment) {

    /** Settings with the process environment (model and connector configuration). */
    public LocalConfig(Path home, Path dataDir, int port, long maxUploadBytes, Path s3proxyJar, boolean seedDemo) {
        this(home, dataDir, port, maxUploadBytes, s3proxyJar, seedDemo, System.getenv());
    }

    public LocalConfig {
        environment = Map.copyOf(environment);
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(s3proxyJar, "s3proxyJar");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (!Files.isRegularFile(home.resolve("step-functions/agent-loop.asl.json"))) {
            throw new IllegalArgumentException(home + " is not a Steward checkout (no step-functions/agent-loop.asl.json)");
        }
    }

    public Path stateMachineFile() {
        return home.resolve("step-functions/agent-loop.asl.json");
    }

    public Path runnerDir() {
        return home.resolve("step-functions/local-runner");
    }

    public Path webDir() {
        return home.resolve("web-static/dist");
    }

    public Path templatesDir() {
        return home.resolve("templates");
    }
}
