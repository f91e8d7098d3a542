package dev.steward.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.json.Json;
import dev.steward.core.knowledge.DocumentId;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.document.DocumentRecord;
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
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

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
            int exit = StewardCli.commandLine().execute(args);
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

            // An upload whose queue message was still waiting when local mode stopped: record and bytes are kept,
            // the message (ElasticMQ keeps queues in memory) is not. Written here behind the worker's back.
            DocumentId lost = DocumentId.random();
            String key = "tenants/initech/documents/" + lost.value() + "/staplers.txt";
            byte[] bytes = "Red staplers are kept in the basement storage room.\n".getBytes(StandardCharsets.UTF_8);
            platform.stores().documents().put(DocumentRecord.queued(TenantId.of("initech"), lost, "staplers.txt", bytes.length,
                    key, DocumentRecord.contentHashOf(bytes), null, java.time.Instant.now()));
            try (S3Client raw = platform.objects().client()) {
                raw.putObject(b -> b.bucket(LocalPlatform.BUCKET).key(key), RequestBody.fromBytes(bytes));
            }
        }
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains("runner.mjs")).toList())
                .as("no state machine runner outlives local mode").isEmpty();

        try (LocalPlatform again = start()) {
            assertThat(again.demoKey()).contains(demoKey);
            LocalClient initech = new LocalClient(again.uri(), again.operatorToken(), "initech");
            JsonNode docs = initech.awaitDocumentsSettled(java.time.Duration.ofSeconds(60));
            // The .exe was refused at upload (415), so it never became a document; the upload left QUEUED is indexed.
            assertThat(docs.findValuesAsText("name")).containsExactlyInAnyOrder("tps.md", "printers.txt", "staplers.txt");
            assertThat(docs.findValuesAsText("status")).containsOnly("INDEXED");
            Cli ask = cli("ask", "--tenant", "initech", "--data-dir", dataDir.toString(), "Which printer jams?");
            assertThat(ask.exit()).as(ask.out()).isZero();
            assertThat(Json.tree(ask.out()).path("answer").path("answer").asText()).contains("second floor");
            Cli staplers = cli("ask", "--tenant", "initech", "--data-dir", dataDir.toString(), "Where are the red staplers kept?");
            assertThat(Json.tree(staplers.out()).path("answer").path("answer").asText()).contains("basement");
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
