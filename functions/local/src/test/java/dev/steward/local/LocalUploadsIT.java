package dev.steward.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.json.Json;
import dev.steward.function.api.UploadUrls;
import dev.steward.store.document.DocumentRecord;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Random;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads through upload URLs in local mode, end to end: a PDF manual larger than a request body may be on AWS goes
 * through {@code POST /v1/documents/uploads} and a PUT to the gateway's URL (as {@code steward ingest} sends it), is
 * indexed and answers a question. A URL is refused (and its document stays QUEUED) when it expired (410), when its
 * token was not signed by this platform (403), and for a body of another length or digest (400); the right bytes
 * are still accepted after such a refusal, and a QUEUED document whose bytes never came takes them when the upload
 * is started again. The web app does the same in Chromium for a file over its inline limit.
 */
class LocalUploadsIT {
    private static final Path HOME = Path.of(System.getProperty("steward.home", "../..")).toAbsolutePath().normalize();

    @TempDir
    static Path dataDir;
    static LocalPlatform platform;
    static LocalClient acme;

    @BeforeAll
    static void start() throws IOException {
        platform = LocalPlatform.start(new LocalConfig(HOME, dataDir, 0, 8L * 1024 * 1024,
                Path.of(System.getProperty("steward.s3proxy.jar")), false));
        LocalClient operator = new LocalClient(platform.uri(), platform.operatorToken(), null);
        assertThat(operator.createTenant("acme").ok()).isTrue();
        acme = new LocalClient(platform.uri(), platform.operatorToken(), "acme");
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void aManualLargerThanARequestBodyIsUploadedThroughItsUrlIndexedAndAnswers() throws Exception {
        byte[] manual = manual("The reset code of the P-40 pump is 7319. Hold the blue button for five seconds to enter it.");
        assertThat(manual.length).as("larger than the CLI sends inline").isGreaterThan((int) LocalClient.INLINE_LIMIT);

        LocalClient.Reply uploaded = acme.upload("pump-manual.pdf", manual);

        assertThat(uploaded.status()).as(uploaded.body().toString()).isEqualTo(201);
        assertThat(uploaded.body().path("upload").path("url").asText()).startsWith(platform.uri() + LocalUploadUrls.PATH);
        String id = uploaded.body().path("documentId").asText();
        JsonNode doc = awaitSettled(id);
        assertThat(doc.path("status").asText()).as(doc.toString()).isEqualTo("INDEXED");
        assertThat(doc.path("sizeBytes").asLong()).isEqualTo(manual.length);

        LocalClient.Reply started = acme.postJson("/v1/runs", Json.object().put("agent", "knowledge-assistant")
                .put("input", "What is the reset code of the P-40 pump?"));
        assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
        JsonNode run = acme.awaitRunSettled(started.body().path("runId").asText(), Duration.ofSeconds(60), Duration.ofMillis(200)).orElseThrow();
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(run.path("answer").path("answer").asText()).contains("7319");
        assertThat(run.path("answer").path("citations").findValuesAsText("documentId")).contains(id);

        LocalClient.Reply again = acme.upload("pump-manual.pdf", manual);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().path("unchanged").asBoolean()).isTrue();
    }

    @Test
    void anExpiredUrlIsRefusedTheDocumentStaysQueuedAndTheUploadCanBeStartedAgain() throws Exception {
        byte[] bytes = "Filter maintenance: rinse the filter monthly.".getBytes(StandardCharsets.UTF_8);
        JsonNode asked = ask("filters.txt", bytes);
        String key = platform.stores().documents().find(dev.steward.core.tenant.TenantId.of("acme"),
                new dev.steward.core.knowledge.DocumentId(asked.path("documentId").asText())).orElseThrow().objectKey();
        // the same grant, signed with this data dir's key, by a clock an hour behind
        UploadUrls.UploadUrl expired = new LocalUploadUrls(new LocalSecrets(dataDir).uploadUrlKey(), null, platform::uri,
                Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC)).forPut(LocalPlatform.BUCKET, key, bytes.length,
                DocumentRecord.contentHashOf(bytes));

        LocalClient.Reply r = acme.send(LocalClient.put(uploadOf(expired), bytes));

        assertThat(r.status()).as(r.body().toString()).isEqualTo(410);
        assertThat(r.body().path("error").path("code").asText()).isEqualTo("upload_expired");
        assertStillQueued(asked.path("documentId").asText());

        // started again, here in the request body: the bytes are stored for the same record, not answered "unchanged"
        LocalClient.Reply direct = acme.upload("filters.txt", bytes);
        assertThat(direct.status()).as(direct.body().toString()).isEqualTo(202);
        assertThat(direct.body().path("documentId").asText()).isEqualTo(asked.path("documentId").asText());
        assertThat(awaitSettled(asked.path("documentId").asText()).path("status").asText()).isEqualTo("INDEXED");
    }

    @Test
    void aTokenNotSignedHereIsRefused() throws Exception {
        byte[] bytes = "Warranty: two years on parts.".getBytes(StandardCharsets.UTF_8);
        JsonNode asked = ask("warranty.txt", bytes);
        JsonNode upload = asked.path("upload");
        String url = upload.path("url").asText();
        String token = url.substring(url.lastIndexOf('/') + 1);
        String payload = new String(java.util.Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))), StandardCharsets.UTF_8);
        // a longer life for the same signature, and a signature made with another key
        String longer = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                payload.replaceFirst("\"expires\":\\d+", "\"expires\":" + Instant.now().plus(Duration.ofDays(30)).getEpochSecond())
                        .getBytes(StandardCharsets.UTF_8)) + token.substring(token.indexOf('.'));
        UploadUrls.UploadUrl otherKey = new LocalUploadUrls(new byte[32], null, platform::uri, Clock.systemUTC())
                .forPut(LocalPlatform.BUCKET, "tenants/acme/documents/x/warranty.txt", bytes.length, DocumentRecord.contentHashOf(bytes));

        for (String forged : new String[] {url.replace(token, longer), otherKey.url(), url.replace(token, "not-a-token"), url + "x"}) {
            LocalClient.Reply r = acme.send(LocalClient.put(((com.fasterxml.jackson.databind.node.ObjectNode) upload.deepCopy()).put("url", forged), bytes));
            assertThat(r.status()).as(forged + " " + r.body()).isEqualTo(403);
            assertThat(r.body().path("error").path("code").asText()).isEqualTo("invalid_upload_token");
        }
        assertStillQueued(asked.path("documentId").asText());
    }

    @Test
    void anotherLengthOrDigestIsRefusedAndTheRightBytesAreStillAccepted() throws Exception {
        byte[] bytes = "Installation: mount the pump upright on a level base.".getBytes(StandardCharsets.UTF_8);
        JsonNode asked = ask("installation.txt", bytes);
        JsonNode upload = asked.path("upload");

        LocalClient.Reply otherDigest = acme.send(LocalClient.put(upload, "Installation: mount the pump sideways on a level base".getBytes(StandardCharsets.UTF_8)));
        LocalClient.Reply shorter = acme.send(LocalClient.put(upload, "Installation: mount the pump.".getBytes(StandardCharsets.UTF_8)));
        LocalClient.Reply longer = acme.send(LocalClient.put(upload, new byte[bytes.length * 1000]));
        LocalClient.Reply get = acme.send(LocalClient.put(upload, bytes).GET());

        assertThat(otherDigest.status()).as(otherDigest.body().toString()).isEqualTo(400);
        assertThat(otherDigest.body().path("error").path("code").asText()).isEqualTo("digest_mismatch");
        for (LocalClient.Reply r : new LocalClient.Reply[] {shorter, longer}) {
            assertThat(r.status()).as(r.body().toString()).isEqualTo(400);
            assertThat(r.body().path("error").path("code").asText()).isEqualTo("length_mismatch");
        }
        assertThat(get.status()).isEqualTo(405);
        var preflight = java.net.http.HttpClient.newHttpClient().send(LocalClient.put(upload, bytes)
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "http://localhost:8080")
                .header("Access-Control-Request-Method", "PUT").build(), java.net.http.HttpResponse.BodyHandlers.discarding());
        assertThat(preflight.statusCode()).as("a web app's preflight").isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).hasValue("PUT");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertStillQueued(asked.path("documentId").asText());

        LocalClient.Reply right = acme.send(LocalClient.put(upload, bytes));
        assertThat(right.status()).as(right.body().toString()).isEqualTo(200);
        assertThat(awaitSettled(asked.path("documentId").asText()).path("status").asText()).isEqualTo("INDEXED");
    }

    /**
     * The web app's Documents tab in Chromium, for a tenant of its own: a small file goes inline, one over the app's
     * inline limit (4 MiB) through an upload URL the browser PUTs to (the gateway's {@code /_local/uploads/}); both
     * are indexed, as the tab and the API show.
     */
    @Test
    void theWebAppUploadsAFileOverItsInlineLimitThroughItsUrl() throws Exception {
        if (!BrowserTest.available(HOME, "documents.e2e.mjs")) {
            System.out.println("SKIPPED: no Chromium (apt-get install chromium, or set CHROMIUM_PATH); the browser test did not run");
            Assumptions.abort("Chromium absent");
        }
        String key = new LocalClient(platform.uri(), platform.operatorToken(), null).createTenant("initech").body().path("apiKey").asText();
        assertThat(key).startsWith("stw_initech_");
        BrowserTest.run(HOME, "documents.e2e.mjs", Map.of("STEWARD_URL", platform.uri().toString(), "STEWARD_API_KEY", key));
    }

    /** Asks for an upload URL for {@code bytes} as {@code name}; the answer is 201 with an upload. */
    private static JsonNode ask(String name, byte[] bytes) {
        LocalClient.Reply r = acme.postJson("/v1/documents/uploads", Json.object().put("name", name).put("size", bytes.length)
                .put("sha256", DocumentRecord.contentHashOf(bytes)));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
        return r.body();
    }

    private static JsonNode uploadOf(UploadUrls.UploadUrl url) {
        JsonNode upload = Json.object().put("method", "PUT").put("url", url.url());
        url.headers().forEach(((com.fasterxml.jackson.databind.node.ObjectNode) upload).putObject("headers")::put);
        return upload;
    }

    private static void assertStillQueued(String id) throws InterruptedException {
        Thread.sleep(500); // an event, had one been sent, would have been handled by now
        assertThat(acme.get("/v1/documents/" + id).body().path("status").asText()).isEqualTo("QUEUED");
    }

    private static JsonNode awaitSettled(String id) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline) {
            JsonNode doc = acme.get("/v1/documents/" + id).body();
            if (!doc.path("status").asText().equals("QUEUED")) {
                return doc;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("document " + id + " was not ingested within 180 s");
    }

    /**
     * A PDF manual of about 5 MB, as scanned manuals are: three pages of text (one of them {@code fact}) and a
     * photograph-sized image of noise, which no compression shrinks.
     */
    static byte[] manual(String fact) throws IOException {
        try (PDDocument pdf = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            String[] pages = {"P-40 pump manual. Chapter one: safety. Disconnect power before opening the housing.", fact,
                    "Chapter three: spare parts. Order seals and filters from your dealer."};
            for (String text : pages) {
                PDPage page = new PDPage();
                pdf.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(pdf, page)) {
                    content.beginText();
                    content.setFont(font, 11);
                    content.newLineAtOffset(50, 700);
                    content.showText(text);
                    content.endText();
                }
            }
            BufferedImage photo = new BufferedImage(1300, 1300, BufferedImage.TYPE_INT_RGB);
            Random noise = new Random(42);
            for (int y = 0; y < photo.getHeight(); y++) {
                for (int x = 0; x < photo.getWidth(); x++) {
                    photo.setRGB(x, y, noise.nextInt(1 << 24));
                }
            }
            PDPage last = pdf.getPage(2);
            try (PDPageContentStream content = new PDPageContentStream(pdf, last, PDPageContentStream.AppendMode.APPEND, true)) {
                content.drawImage(LosslessFactory.createFromImage(pdf, photo), 50, 50, 400, 400);
            }
            pdf.save(out);
            return out.toByteArray();
        }
    }
}
