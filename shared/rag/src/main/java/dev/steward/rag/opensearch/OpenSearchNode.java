package dev.steward.rag.opensearch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway single-node OpenSearch on 127.0.0.1, started and stopped through
 * {@code shared/rag/scripts/opensearch-node.sh} (which installs the distribution the build copied to
 * {@code shared/rag/target/opensearch}, and runs the node as an unprivileged user). For tests and the retrieval
 * bench, not for production. The node is told to stop itself when this JVM ends, even if {@link #close()} is never
 * called; {@link #close()} stops it at once and deletes its data.
 */
public final class OpenSearchNode implements AutoCloseable {
    /** Where the script lives, relative to the repository root. */
    static final String SCRIPT = "shared/rag/scripts/opensearch-node.sh";
    private static final long START_TIMEOUT_SECONDS = 300;

    private final Path script;
    private final Path runDir;
    private final URI url;
    private boolean closed;

    private OpenSearchNode(Path script, Path runDir, URI url) {
        this.script = script;
        this.runDir = runDir;
        this.url = url;
    }

    /**
     * Starts a node on a free port and waits until its cluster health is green or yellow (20-30 s).
     *
     * @throws IllegalStateException when the script is not found or the node does not come up (the message carries
     *     the script's last output)
     */
    public static OpenSearchNode start() {
        Path script = locateScript();
        try {
            Path nodes = script.getParent().resolveSibling("target").resolve("opensearch");
            Files.createDirectories(nodes);
            Path runDir = Files.createTempDirectory(nodes, "node-");
            Path log = runDir.resolveSibling(runDir.getFileName() + ".start.log");
            Process process = new ProcessBuilder("bash", script.toString(), "start", "--run-dir", runDir.toString(),
                    "--watch", Long.toString(ProcessHandle.current().pid()))
                    .redirectOutput(log.toFile())
                    .redirectErrorStream(true)
                    .start();
            if (!process.waitFor(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                run(script, "stop", "--run-dir", runDir.toString());
                throw new IllegalStateException("OpenSearch did not start within " + START_TIMEOUT_SECONDS + " s: " + tail(log));
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            if (process.exitValue() != 0 || lines.isEmpty() || !lines.getLast().startsWith("http://")) {
                throw new IllegalStateException("OpenSearch did not start: " + String.join("\n", lines));
            }
            return new OpenSearchNode(script, runDir, URI.create(lines.getLast().strip()));
        } catch (IOException e) {
            throw new UncheckedIOException("starting OpenSearch with " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting OpenSearch", e);
        }
    }

    public URI url() {
        return url;
    }

    /** Peak resident set size of the node's JVM in MB (VmHWM), or -1 when unknown. */
    public double peakRssMb() {
        try {
            String pid = Files.readString(runDir.resolve("opensearch.pid")).strip();
            try (Stream<String> lines = Files.lines(Path.of("/proc", pid, "status"))) {
                return lines.filter(l -> l.startsWith("VmHWM:"))
                        .findFirst()
                        .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0)
                        .orElse(-1.0);
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Stops the node (waiting for it to exit) and deletes its data. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        run(script, "stop", "--run-dir", runDir.toString());
        try (Stream<Path> paths = Files.walk(runDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // the data of a stopped throwaway node; target/ is cleaned by the build anyway
        }
    }

    private static void run(Path script, String... args) {
        try {
            List<String> command = new ArrayList<>(List.of("bash", script.toString()));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("running " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The script from system property {@code steward.home} (set by {@code ./steward}), else from the working
     * directory or one of its parents (Maven runs tests in the module directory).
     */
    static Path locateScript() {
        String home = System.getProperty("steward.home");
        if (home != null && Files.isRegularFile(Path.of(home, SCRIPT))) {
            return Path.of(home, SCRIPT).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(SCRIPT))) {
                return dir.resolve(SCRIPT).normalize();
            }
        }
        throw new IllegalStateException("cannot find " + SCRIPT + " from " + Path.of("").toAbsolutePath()
                + "; run from the repository or set -Dsteward.home");
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no output)";
        }
    }
}
