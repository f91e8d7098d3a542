package dev.steward.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.json.Json;
import dev.steward.core.run.RunStatus;
import dev.steward.core.tenant.Role;
import dev.steward.store.document.DocumentRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The CLI's HTTP client for a running local mode, acting as the operator for one tenant. */
final class LocalClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String operatorToken;
    private final String tenant;

    LocalClient(URI base, String operatorToken, String tenant) {
        this.base = base;
        this.operatorToken = operatorToken;
        this.tenant = tenant;
    }

    record Reply(int status, JsonNode body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        String errorMessage() {
            JsonNode e = body.path("error");
            return e.isMissingNode() ? "HTTP " + status : e.path("code").asText() + ": " + e.path("message").asText();
        }
    }

    Reply createTenant(String name) {
        return send(request("/_local/tenants").POST(HttpRequest.BodyPublishers.ofString(Json.write(Json.object().put("name", name)))));
    }

    /** Issues tenant {@code name} a new API key with {@code role}; the reply's {@code apiKey} is shown only now. */
    Reply createKey(String name, Role role) {
        return send(request("/_local/tenants/" + name + "/keys")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(Json.object().put("role", role.wire())))));
    }

    /** Tenant {@code name}'s settings as the operator sees them (its daily token budget). */
    Reply tenantSettings(String name) {
        return send(request("/_local/tenants/" + name).GET());
    }

    /** Changes tenant {@code name}'s settings: {@code {"dailyTokens": n}}, or null for the deployment's default. */
    Reply updateTenantSettings(String name, JsonNode settings) {
        return send(request("/_local/tenants/" + name).method("PATCH", HttpRequest.BodyPublishers.ofString(Json.write(settings))));
    }

    /**
     * Files larger than this are uploaded through an upload URL rather than in the request body: on AWS a body
     * (base64-encoded by API Gateway) is limited to about 6 MB, so about 4.5 MB of file.
     */
    static final long INLINE_LIMIT = 4L * 1024 * 1024;

    /** Uploads a file in the request body, or through an upload URL when it is larger than {@link #INLINE_LIMIT}. */
    Reply upload(String filename, byte[] bytes) {
        if (bytes.length > INLINE_LIMIT) {
            return uploadThroughUrl(filename, bytes);
        }
        return send(request("/v1/documents?filename=" + URLEncoder.encode(filename, StandardCharsets.UTF_8))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
    }

    /**
     * Asks for an upload URL ({@code POST /v1/documents/uploads}) and PUTs the bytes there with the headers it came
     * with: the answer to the request (the document, with its {@code upload}), or the refused request or PUT.
     */
    Reply uploadThroughUrl(String filename, byte[] bytes) {
        Reply asked = postJson("/v1/documents/uploads", Json.object().put("name", filename).put("size", bytes.length)
                .put("sha256", DocumentRecord.contentHashOf(bytes)));
        JsonNode upload = asked.body().path("upload");
        if (!asked.ok() || upload.isMissingNode()) {
            return asked; // refused, or the same bytes already indexed
        }
        Reply put = send(put(upload, bytes));
        return put.ok() ? asked : put;
    }

    /** The PUT an upload URL asks for: its headers, except Content-Length, which the HTTP client sets from the body. */
    static HttpRequest.Builder put(JsonNode upload, byte[] bytes) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(upload.path("url").asText())).timeout(Duration.ofSeconds(600))
                .method(upload.path("method").asText(), HttpRequest.BodyPublishers.ofByteArray(bytes));
        upload.path("headers").properties().forEach(h -> {
            if (!h.getKey().equalsIgnoreCase("content-length")) {
                b.header(h.getKey(), h.getValue().asText());
            }
        });
        return b;
    }

    Reply get(String path) {
        return send(request(path).GET());
    }

    Reply postJson(String path, JsonNode body) {
        return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Json.write(body))));
    }

    /**
     * Posts a webhook delivery as the vendor would: the body signed with the vendor's scheme over the URL it is sent
     * to, and no operator token (the route takes none).
     */
    Reply deliver(dev.steward.connectors.webhook.Webhook vendor, String tenantId, byte[] body, String secret) {
        URI url = base.resolve("/v1/hooks/" + tenantId + "/" + vendor.source());
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(120)).header("Content-Type", "application/json");
        vendor.sign("POST", url.toString(), body, secret, java.time.Instant.now()).forEach(b::header);
        return send(b.POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    Reply putJson(String path, JsonNode body) {
        return send(request(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(Json.write(body))));
    }

    Reply delete(String path) {
        return send(request(path).DELETE());
    }

    /**
     * Waits until the tenant has documents and none is still QUEUED, and returns them.
     *
     * @throws IllegalStateException when that does not happen within {@code timeout}
     */
    JsonNode awaitDocumentsSettled(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode docs = get("/v1/documents").body().path("documents");
            if (!docs.isEmpty() && !docs.findValuesAsText("status").contains("QUEUED")) {
                return docs;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("documents of tenant " + tenant + " were not settled within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(100);
        }
    }

    /**
     * The run once it is no longer QUEUED or RUNNING (answered, halted, failed, or waiting for a review), asking
     * every {@code interval}; empty when {@code timeout} passes first.
     */
    java.util.Optional<JsonNode> awaitRunSettled(String runId, Duration timeout, Duration interval) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode run = get("/v1/runs/" + runId).body();
            if (RunStatus.valueOf(run.path("status").asText()).settled()) {
                return java.util.Optional.of(run);
            }
            if (System.nanoTime() > deadline) {
                return java.util.Optional.empty();
            }
            Thread.sleep(interval.toMillis());
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(120))
                .header(LocalGateway.OPERATOR_HEADER, operatorToken);
        if (tenant != null) {
            b.header(LocalGateway.TENANT_HEADER, tenant);
        }
        return b;
    }

    Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = r.body() == null || r.body().isBlank() ? Json.object() : safeTree(r.body());
            return new Reply(r.statusCode(), body);
        } catch (IOException e) {
            throw new UncheckedIOException("local mode at " + base + " did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static JsonNode safeTree(String body) {
        try {
            return Json.tree(body);
        } catch (RuntimeException notJson) {
            return Json.object().put("raw", body);
        }
    }
}
