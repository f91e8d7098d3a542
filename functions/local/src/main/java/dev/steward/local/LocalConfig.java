package dev.steward.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Local mode's settings. {@code home} is the repository root (the state machine file, the local runner, the
 * built web app and the agent templates are read from there); {@code dataDir} holds everything that survives a
 * restart.
 */
public record LocalConfig(Path home, Path dataDir, int port, long maxUploadBytes, Path s3proxyJar, boolean seedDemo) {
    public LocalConfig {
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
