package dev.steward.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The steward CLI against a running local mode, the demo golden set, and a restart: data survives, the demo key
 * is shown again, and no child process outlives the platform.
 */
class LocalModeRestartIT {
    private static final Path HOME = Path.of(System.getProperty("steward.home", "../..")).toAbsolutePath().normalize();

    @TempDir
    Path dataDir;

    @TempDir
    Path files;

    private LocalPlatform start() throws Exception {
        return LocalPlatform.start(new LocalConfig(HOME, dataDir, 0, 1024 * 1024,
                Path.of(System.getProperty("steward.s3proxy.jar")), true));
    }

    record Cli(int exit, String out) {}

    private Cli cli(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            int exit = new CommandLine(new StewardCli()).execute(args);
            return new Cli(exit, buffer.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void cliWorksAndEverythingSurvivesARestart() throws Exception {
        String dir = dataDir.toString();
        String demoKey;
        try (LocalPlatform platform = start()) {
            demoKey = platform.demoKey().orElseThrow();

            Cli created = cli("tenant", "create", "initech", "--data-dir", dir);
            assertThat(created.exit()).as(created.out()).isZero();
            assertThat(created.out()).contains("stw_initech_");
            assertThat(cli("tenant", "create", "initech", "--data-dir", dir).exit()).isEqualTo(1);
            assertThat(cli("tenant", "create", "Bad_Name", "--data-dir", dir).exit()).isEqualTo(2);

            Files.writeString(files.resolve("tps.md"), "# TPS reports\n\nEvery TPS report needs the new cover sheet before it is filed on Friday.\n");
            Files.writeString(files.resolve("printers.txt"), "The printer on the second floor jams when paper is loaded sideways.\n");
            Files.write(files.resolve("setup.exe"), new byte[] {1, 2, 3});
            Cli ingest = cli("ingest", "--tenant", "initech", "--data-dir", dir, files.toString());
            assertThat(ingest.exit()).as(ingest.out()).isEqualTo(1);
            assertThat(ingest.out()).contains("2 indexed, 1 failed").contains("setup.exe").contains("unsupported_type");

            Cli ask = cli("ask", "--tenant", "initech", "--agent", "knowledge-assistant", "--data-dir", dir,
                    "What does every TPS report need?");
            assertThat(ask.exit()).as(ask.out()).isZero();
            JsonNode run = Json.tree(ask.out());
            assertThat(run.path("answer").path("answer").asText()).contains("cover sheet");

            checkGoldenSet(platform, demoKey);
        }
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains("runner.mjs")).toList())
                .as("no state machine runner outlives local mode").isEmpty();

        try (LocalPlatform again = start()) {
            assertThat(again.demoKey()).contains(demoKey);
            LocalClient initech = new LocalClient(again.uri(), again.operatorToken(), "initech");
            JsonNode docs = initech.get("/v1/documents").body().path("documents");
            // The .exe was refused at upload (415), so it never became a document.
            assertThat(docs.findValuesAsText("name")).containsExactlyInAnyOrder("tps.md", "printers.txt");
            assertThat(docs.findValuesAsText("status")).containsOnly("INDEXED");
            Cli ask = cli("ask", "--tenant", "initech", "--data-dir", dataDir.toString(), "Which printer jams?");
            assertThat(ask.exit()).as(ask.out()).isZero();
            assertThat(Json.tree(ask.out()).path("answer").path("answer").asText()).contains("second floor");
        }
    }

    /** Every golden question is answered with a first citation from the expected document. */
    private void checkGoldenSet(LocalPlatform platform, String demoKey) throws Exception {
        LocalClient demo = new LocalClient(platform.uri(), platform.operatorToken(), "demo");
        Map<String, String> nameOf = new HashMap<>();
        JsonNode docs = demo.awaitDocumentsSettled(java.time.Duration.ofSeconds(60));
        docs.forEach(d -> nameOf.put(d.path("documentId").asText(), d.path("name").asText()));
        List<String> lines = Files.readAllLines(HOME.resolve("golden-sets/demo-knowledge.jsonl"));
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            JsonNode golden = Json.tree(line);
            Cli ask = cli("ask", "--tenant", "demo", "--agent", golden.path("agent").asText(), "--data-dir", dataDir.toString(),
                    golden.path("question").asText());
            assertThat(ask.exit()).as(ask.out()).isZero();
            JsonNode citations = Json.tree(ask.out()).path("answer").path("citations");
            assertThat(citations.size()).as("citations for %s", golden).isPositive();
            assertThat(nameOf.get(citations.get(0).path("documentId").asText())).as(golden.toString())
                    .isEqualTo(golden.path("expectDocument").asText());
            List<String> expected = new java.util.ArrayList<>();
            golden.path("expectQuoteAny").forEach(e -> expected.add(e.asText()));
            assertThat(expected).isNotEmpty();
            assertThat(citations.findValuesAsText("quote")).as(golden.toString())
                    .anySatisfy(q -> assertThat(expected).anySatisfy(e -> assertThat(q).contains(e)));
        }
    }
}
