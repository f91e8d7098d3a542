package dev.steward.function.api;

import static dev.steward.function.api.WebhooksApiTest.as;
import static dev.steward.function.api.WebhooksApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.json.Json;
import dev.steward.core.knowledge.DocumentId;
import dev.steward.core.knowledge.DocumentStatus;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.Stores;
import dev.steward.store.document.DocumentRecord;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/documents/uploads} through the real handler over DynamoDB Local, with URLs presigned for S3 (the
 * limit here is 1024 bytes): a new file gets a QUEUED record with the declared size and digest and a URL whose
 * signature covers the length and checksum; bad input gets the direct upload's errors; the same bytes answer the
 * INDEXED document unchanged, or a new URL while it is still QUEUED; other bytes under the name replace it.
 */
class DocumentUploadsTest {
    static final EmbeddedTable TABLE = EmbeddedTable.start();
    static final Stores STORES = TABLE.stores();
    static final ApiHandler API = UnreachableServices.handler(STORES);

    @AfterAll
    static void stop() {
        TABLE.close();
    }

    @Test
    void aNewFileIsQueuedWithItsSizeAndDigestAndGetsAPresignedPut() {
        byte[] bytes = "Pelicans scoop fish with the pouch under their beak.".getBytes(StandardCharsets.UTF_8);
        String sha = DocumentRecord.contentHashOf(bytes);
        Instant before = Instant.now();

        APIGatewayV2HTTPResponse r = request("t-new", "{\"name\":\"guides/pelicans.txt\",\"size\":" + bytes.length + ",\"sha256\":\""
                + sha.toUpperCase() + "\"}");

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(201);
        JsonNode body = Json.tree(r.getBody());
        assertThat(body.path("name").asText()).isEqualTo("pelicans.txt");
        assertThat(body.path("status").asText()).isEqualTo("QUEUED");
        assertThat(body.path("replaces").asBoolean()).isFalse();
        DocumentRecord record = STORES.documents().find(TenantId.of("t-new"), new DocumentId(body.path("documentId").asText())).orElseThrow();
        assertThat(record.status()).isEqualTo(DocumentStatus.QUEUED);
        assertThat(record.sizeBytes()).isEqualTo(bytes.length);
        assertThat(record.contentHash()).isEqualTo(sha);

        JsonNode upload = body.path("upload");
        assertThat(upload.path("method").asText()).isEqualTo("PUT");
        URI url = URI.create(upload.path("url").asText());
        assertThat(url.getPath()).isEqualTo("/bucket/" + record.objectKey().replace(" ", "%20"));
        assertThat(url.getQuery()).contains("X-Amz-Expires=900", "X-Amz-Signature=")
                .containsPattern("X-Amz-SignedHeaders=[^&]*content-length")
                .containsPattern("X-Amz-SignedHeaders=[^&]*x-amz-checksum-sha256");
        assertThat(upload.path("headers").toString()).as("every header sent is signed").doesNotContainIgnoringCase("\"host\"");
        assertThat(upload.path("headers").path("content-length").asText()).as(upload.toString()).isEqualTo(Integer.toString(bytes.length));
        assertThat(upload.path("headers").path("x-amz-checksum-sha256").asText())
                .isEqualTo(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha)));
        Instant expires = Instant.parse(upload.path("expiresAt").asText());
        assertThat(expires).isBetween(before.plus(Duration.ofMinutes(15)).minusSeconds(1), Instant.now().plus(Duration.ofMinutes(15)));
    }

    @Test
    void badRequestsGetTheDirectUploadsErrors() {
        String sha = "ab".repeat(32);
        assertError(request("t-bad", "{\"name\":\"tool.exe\",\"size\":10,\"sha256\":\"" + sha + "\"}"), 415, "files of type .exe are not supported");
        assertError(request("t-bad", "{\"name\":\"empty.txt\",\"size\":0,\"sha256\":\"" + sha + "\"}"), 400, "is empty");
        assertError(request("t-bad", "{\"name\":\"big.pdf\",\"size\":4096,\"sha256\":\"" + sha + "\"}"), 413,
                "the file is 4096 bytes; the limit is 1024 bytes");
        assertError(request("t-bad", "{\"name\":\"manual.pdf\",\"size\":10,\"sha256\":\"" + sha + "\",\"mapping\":{\"text\":\"body\"}}"), 400,
                "a field mapping applies only to csv and json exports");
        assertError(request("t-bad", "{\"size\":10,\"sha256\":\"" + sha + "\"}"), 400, "name the file");
        for (String size : List.of("", ",\"size\":-1", ",\"size\":\"10\"", ",\"size\":1.5")) {
            assertError(request("t-bad", "{\"name\":\"a.txt\"" + size + ",\"sha256\":\"" + sha + "\"}"), 400, "'size' must be");
        }
        for (String digest : List.of("", ",\"sha256\":\"abc\"", ",\"sha256\":\"" + "zz".repeat(32) + "\"", ",\"sha256\":64")) {
            assertError(request("t-bad", "{\"name\":\"a.txt\",\"size\":10" + digest + "}"), 400, "'sha256' must be");
        }
        assertError(request("t-bad", "[]"), 400, "send a JSON object");
        assertError(request("t-bad", "{"), 400, "not valid JSON");
        assertThat(STORES.documents().list(TenantId.of("t-bad"), 10)).isEmpty();
        assertThat(Json.tree(request("t-bad", "{\"name\":\"a.txt\",\"size\":10,\"sha256\":\"" + sha + "\"}").getBody()).path("error").has("code"))
                .isFalse();
    }

    @Test
    void aValidMappingIsStoredInItsCanonicalForm() {
        APIGatewayV2HTTPResponse r = request("t-map", "{\"name\":\"tickets.csv\",\"size\":100,\"sha256\":\"" + "cd".repeat(32)
                + "\",\"mapping\":{\"text\":\"body\"}}");
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(201);
        DocumentRecord record = STORES.documents().find(TenantId.of("t-map"), new DocumentId(Json.tree(r.getBody()).path("documentId").asText()))
                .orElseThrow();
        assertThat(Json.tree(record.mapping()).path("text").get(0).asText()).isEqualTo("body");
    }

    @Test
    void theSameBytesAreUnchangedOnceIndexedGetANewUrlWhileQueuedAndOtherBytesReplace() {
        TenantId tenant = TenantId.of("t-same");
        String sha = "12".repeat(32);
        String ask = "{\"name\":\"faq.md\",\"size\":500,\"sha256\":\"" + sha + "\"}";
        JsonNode first = Json.tree(request("t-same", ask).getBody());
        DocumentId id = new DocumentId(first.path("documentId").asText());

        // never uploaded: asking again gives a new URL for the same record
        APIGatewayV2HTTPResponse again = request("t-same", ask);
        assertThat(again.getStatusCode()).as(again.getBody()).isEqualTo(201);
        assertThat(Json.tree(again.getBody()).path("documentId").asText()).isEqualTo(id.value());
        assertThat(Json.tree(again.getBody()).path("upload").path("url").asText()).isNotBlank();

        DocumentRecord queued = STORES.documents().find(tenant, id).orElseThrow();
        STORES.documents().update(queued.indexed("FAQ", 3, List.of(), Instant.parse("2026-05-01T12:01:00Z")));
        APIGatewayV2HTTPResponse unchanged = request("t-same", ask);
        assertThat(unchanged.getStatusCode()).as(unchanged.getBody()).isEqualTo(200);
        JsonNode same = Json.tree(unchanged.getBody());
        assertThat(same.path("unchanged").asBoolean()).isTrue();
        assertThat(same.path("status").asText()).isEqualTo("INDEXED");
        assertThat(same.has("upload")).isFalse();

        APIGatewayV2HTTPResponse replacing = request("t-same", "{\"name\":\"faq.md\",\"size\":700,\"sha256\":\"" + "34".repeat(32) + "\"}");
        assertThat(replacing.getStatusCode()).as(replacing.getBody()).isEqualTo(201);
        JsonNode replaced = Json.tree(replacing.getBody());
        assertThat(replaced.path("documentId").asText()).isEqualTo(id.value());
        assertThat(replaced.path("replaces").asBoolean()).isTrue();
        DocumentRecord record = STORES.documents().find(tenant, id).orElseThrow();
        assertThat(record.status()).isEqualTo(DocumentStatus.QUEUED);
        assertThat(record.sizeBytes()).isEqualTo(700);
        assertThat(record.contentHash()).isEqualTo("34".repeat(32));
        assertThat(record.chunks()).as("the previous version is still what the index holds").isEqualTo(3);
    }

    @Test
    void aRequestWithoutATenantIsUnauthorized() {
        var event = as(TenantId.of("t-anon"), "member", "POST", "/v1/documents/uploads", java.util.Map.of(), "{}");
        event.getRequestContext().setAuthorizer(null);
        assertError(API.handleRequest(event, null), 401, "missing or invalid API key");
    }

    @Test
    void onlyAnAdminMayRemoveADocument() {
        byte[] bytes = "Herons stand still for minutes before they strike.".getBytes(StandardCharsets.UTF_8);
        JsonNode created = Json.tree(request("t-delete", "{\"name\":\"herons.txt\",\"size\":" + bytes.length + ",\"sha256\":\""
                + DocumentRecord.contentHashOf(bytes) + "\"}").getBody());
        String id = created.path("documentId").asText();
        TenantId tenant = TenantId.of("t-delete");

        for (String role : java.util.List.of("member", "reviewer")) {
            assertError(API.handleRequest(as(tenant, role, "DELETE", "/v1/documents/{id}", java.util.Map.of("id", id), null), null),
                    403, "cannot remove documents");
        }
        assertThat(STORES.documents().find(tenant, new DocumentId(id))).as("a refused delete removes nothing").isPresent();
        // an admin gets past the role check: here the object store is out of reach, so nothing is removed either
        assertError(API.handleRequest(as(tenant, "admin", "DELETE", "/v1/documents/{id}", java.util.Map.of("id", id), null), null),
                503, "could not be deleted");
        assertThat(STORES.documents().find(tenant, new DocumentId(id))).isPresent();
    }

    private static APIGatewayV2HTTPResponse request(String tenant, String body) {
        return API.handleRequest(as(TenantId.of(tenant), "member", "POST", "/v1/documents/uploads", java.util.Map.of(), body), null);
    }
}
