package dev.steward.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the web app's browser tests ({@code web-static/e2e/*.e2e.mjs}, Node + headless Chromium) against a
 * running local mode and fails unless every check of the script passed; its output goes to the test log.
 */
final class BrowserTest {
    private BrowserTest() {}

    /** Whether the script and Chromium ({@code CHROMIUM_PATH}, default {@code /usr/bin/chromium}) are there. */
    static boolean available(Path home, String script) {
        Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium"));
        return Files.exists(home.resolve("web-static/e2e").resolve(script)) && Files.isExecutable(chromium);
    }

    /** Runs {@code script} with {@code environment} added to this process's, allowing it three minutes. */
    static void run(Path home, String script, Map<String, String> environment) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("node", home.resolve("web-static/e2e").resolve(script).toString())
                .directory(home.resolve("web-static").toFile()).redirectErrorStream(true);
        pb.environment().putAll(environment);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
        System.out.println(output);
        assertThat(p.exitValue()).as(output).isZero();
    }
}
