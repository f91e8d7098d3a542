package dev.steward.function.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.core.error.ApiException;
import dev.steward.core.json.Json;
import dev.steward.core.knowledge.DocumentFormat;
import dev.steward.core.knowledge.DocumentId;
import dev.steward.core.knowledge.DocumentStatus;
import dev.steward.core.knowledge.RecordMapping;
import dev.steward.core.tenant.Principal;
import dev.steward.store.audit.AuditAction;
import dev.steward.store.document.DocumentRecord;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Uploads, document status and deletion. An upload is checked (name, type, size, not empty, mapping) before anything
 * is stored, then recorded as QUEUED and written to the bucket under {@code tenants/<tenant>/documents/<id>/<name>};
 * the bucket's event notification queues it for the ingest worker. The same bytes uploaded again under the same name
 * (and mapping) return the existing INDEXED document unchanged; while that document is still QUEUED they are stored
 * (or uploaded) again for it, since bytes sent to an upload URL may never have arrived. Other bytes under a name the
 * tenant already has replace that document (same id; {@code "replaces": true}), its chunks swapped when the new
 * version is indexed. A file too large for a request body is uploaded in two steps ({@link #requestUpload}): the
 * record first, then the client's own PUT of the bytes to an upload URL. Deleting removes the object (whose removal
 * event makes the ingest worker drop the document's chunks) and then the record.
 */
final class DocumentsApi {
    private static final Logger LOG = Logger.getLogger(DocumentsApi.class.getName());
    private final ApiConfig config;

    DocumentsApi(ApiConfig config) {
        this.config = config;
    }

    ObjectNode upload(Principal who, String filename, String mappingParam, byte[] content) {
        Checked file = checked(filename, "name the file with the 'filename' query parameter, e.g. ?filename=handbook.pdf",
                content.length, mappingParam);
        String hash = DocumentRecord.contentHashOf(content);
        Optional<DocumentRecord> same = same(who, file, hash);
        if (same.isPresent() && same.get().status() == DocumentStatus.INDEXED) {
            return unchanged(same.get());
        }
        Queued queued = queued(who, file, content.length, hash, same);
        DocumentRecord record = queued.record();
        config.stores().documents().put(record);
        try {
            config.s3().putObject(b -> b.bucket(config.bucket()).key(record.objectKey()), RequestBody.fromBytes(content));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "upload of " + record.id() + " to the object store failed", e);
            config.stores().documents().put(record.failed("the file could not be stored: " + e.getMessage(), config.clock().instant()));
            throw new ApiException(503, "storage_unavailable", "the file could not be stored; try again");
        }
        return queued.view();
    }

    /**
     * An upload whose bytes the client PUTs itself to the URL answered ({@link UploadUrls}), for files larger than a
     * request body may be: {@code {"name", "size", "sha256", "mapping"?}} is checked as a direct upload is, the same
     * bytes under the same name answer the existing document unchanged (no URL), and otherwise the QUEUED record
     * (new, or replacing the tenant's document of that name) is written with the declared size and digest before the
     * URL is answered. The object's event starts ingestion; the worker indexes it only if its bytes have that digest.
     */
    ObjectNode requestUpload(Principal who, JsonNode request) {
        if (!request.isObject()) {
            throw ApiException.badRequest("invalid_request", "send a JSON object {\"name\", \"size\", \"sha256\"}");
        }
        JsonNode sizeNode = request.path("size");
        if (!sizeNode.isIntegralNumber() || !sizeNode.canConvertToLong() || sizeNode.asLong() < 0) {
            throw ApiException.badRequest("invalid_request", "'size' must be the file's length in bytes, a whole number");
        }
        String sha256 = request.path("sha256").asText("");
        if (!SHA256_HEX.matcher(sha256).matches()) {
            throw ApiException.badRequest("invalid_request", "'sha256' must be the file's SHA-256 digest as 64 hex digits");
        }
        JsonNode mappingNode = request.get("mapping");
        String mappingParam = mappingNode == null || mappingNode.isNull() ? null
                : mappingNode.isTextual() ? mappingNode.asText() : Json.write(mappingNode);
        long size = sizeNode.asLong();
        Checked file = checked(request.path("name").asText(null), "name the file in the request's 'name', e.g. \"handbook.pdf\"",
                size, mappingParam);
        String hash = sha256.toLowerCase(Locale.ROOT);
        Optional<DocumentRecord> same = same(who, file, hash);
        if (same.isPresent() && same.get().status() == DocumentStatus.INDEXED) {
            return unchanged(same.get());
        }
        Queued queued = queued(who, file, size, hash, same);
        UploadUrls.UploadUrl url = config.uploadUrls().forPut(config.bucket(), queued.record().objectKey(), size, hash);
        config.stores().documents().put(queued.record());
        ObjectNode out = queued.view();
        ObjectNode upload = out.putObject("upload").put("method", "PUT").put("url", url.url());
        ObjectNode headers = upload.putObject("headers");
        url.headers().forEach(headers::put);
        upload.put("expiresAt", url.expiresAt().toString());
        return out;
    }

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    /** An upload's name (sanitized) and canonical mapping, once checked. */
    private record Checked(String name, String mapping) {}

    /**
     * Checks what both kinds of upload must be before anything is stored: named ({@code missingName} says how), of a
     * supported type (415), not empty (400), within the limit (413) and, if given, with a valid mapping (400).
     */
    private Checked checked(String filename, String missingName, long size, String mappingParam) {
        if (filename == null || filename.isBlank()) {
            throw ApiException.badRequest("missing_filename", missingName);
        }
        String name = sanitize(filename);
        if (DocumentFormat.fromFileName(name).isEmpty()) {
            String ext = DocumentFormat.extensionOf(name);
            throw new ApiException(415, "unsupported_type", (ext.isEmpty() ? "files without an extension" : "files of type ." + ext)
                    + " are not supported; use " + DocumentFormat.supportedList());
        }
        if (size == 0) {
            throw ApiException.badRequest("empty_document", "the file '" + name + "' is empty");
        }
        if (size > config.maxUploadBytes()) {
            throw new ApiException(413, "document_too_large", "the file is " + size + " bytes; the limit is "
                    + config.maxUploadBytes() + " bytes");
        }
        return new Checked(name, mapping(name, mappingParam));
    }

    /** The tenant's document of these bytes under this name and mapping, unless it FAILED. */
    private Optional<DocumentRecord> same(Principal who, Checked file, String hash) {
        return config.stores().documents().findSame(who.tenant(), file.name(), hash, file.mapping())
                .filter(d -> d.status() != DocumentStatus.FAILED);
    }

    private static ObjectNode unchanged(DocumentRecord indexed) {
        return view(indexed).put("unchanged", true);
    }

    /** The QUEUED record of new bytes, not yet stored; {@code replaces} when the tenant already has that name. */
    private record Queued(DocumentRecord record, boolean replaces) {
        ObjectNode view() {
            return Json.object().put("documentId", record.id().value()).put("name", record.name()).put("status", record.status().name())
                    .put("replaces", replaces);
        }
    }

    /**
     * The record these bytes are queued under. The tenant's QUEUED document of the same bytes ({@code same}) is kept:
     * its bytes may never have arrived (an upload URL not used in time), so they are stored or uploaded again for it.
     */
    private Queued queued(Principal who, Checked file, long size, String hash, Optional<DocumentRecord> same) {
        if (same.isPresent()) {
            return new Queued(same.get(), same.get().chunks() > 0); // chunks: a replaced version still indexed
        }
        // New bytes under a name the tenant already has replace that document: same id, and the index swaps its chunks
        // when the new version is indexed (until then the previous version is what retrieval finds).
        Optional<DocumentRecord> previous = config.stores().documents().findByName(who.tenant(), file.name());
        DocumentId id = previous.map(DocumentRecord::id).orElseGet(DocumentId::random);
        String key = "tenants/" + who.tenant().value() + "/documents/" + id.value() + "/" + file.name();
        Instant now = config.clock().instant();
        DocumentRecord record = previous
                .map(p -> p.requeued(size, key, hash, file.mapping(), now))
                .orElseGet(() -> DocumentRecord.queued(who.tenant(), id, file.name(), size, key, hash, file.mapping(), now));
        return new Queued(record, previous.isPresent());
    }

    /** Removes the document: 404 for an id the caller's tenant does not have. */
    ObjectNode delete(Principal who, String id, String requestId) {
        Access.requireAdmin(who, "remove documents");
        DocumentRecord d = find(who, id);
        try {
            config.s3().deleteObject(b -> b.bucket(config.bucket()).key(d.objectKey()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "deleting " + id + " from the object store failed", e);
            throw new ApiException(503, "storage_unavailable", "the document could not be deleted; try again");
        }
        if (!config.stores().documents().delete(who.tenant(), d.id(), AuditApi.event(who, requestId, config.clock().instant(),
                AuditAction.DOCUMENT_REMOVED, d.id().value(), Map.of("name", d.name())))) {
            throw ApiException.notFound("document " + id); // removed by a concurrent request, which recorded it
        }
        return Json.object().put("documentId", d.id().value()).put("deleted", true);
    }

    /** The canonical JSON of the upload's mapping, or null without one; 400 {@code invalid_mapping} naming the problem. */
    private static String mapping(String name, String param) {
        if (param == null) {
            return null;
        }
        DocumentFormat format = DocumentFormat.fromFileName(name).orElseThrow();
        if (format != DocumentFormat.CSV && format != DocumentFormat.JSON) {
            throw ApiException.badRequest("invalid_mapping", "a field mapping applies only to csv and json exports, not to '" + name + "'");
        }
        try {
            return RecordMapping.parse(param).toJson();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_mapping", e.getMessage());
        }
    }


    ObjectNode get(Principal who, String id) {
        return view(find(who, id));
    }

    private DocumentRecord find(Principal who, String id) {
        if (!DocumentId.isValid(id)) {
            throw ApiException.notFound("document " + id);
        }
        return config.stores().documents().find(who.tenant(), new DocumentId(id))
                .orElseThrow(() -> ApiException.notFound("document " + id));
    }

    ObjectNode list(Principal who) {
        ObjectNode out = Json.object();
        ArrayNode docs = out.putArray("documents");
        config.stores().documents().list(who.tenant(), 200).forEach(d -> docs.add(view(d)));
        out.put("maxUploadBytes", config.maxUploadBytes());
        return out;
    }

    static ObjectNode view(DocumentRecord d) {
        ObjectNode n = Json.object()
                .put("documentId", d.id().value())
                .put("name", d.name())
                .put("status", d.status().name())
                .put("chunks", d.chunks())
                .put("sizeBytes", d.sizeBytes())
                .put("createdAt", d.createdAt().toString())
                .put("updatedAt", d.updatedAt().toString());
        if (d.title() != null) {
            n.put("title", d.title());
        }
        if (d.reason() != null) {
            n.put("reason", d.reason());
        }
        if (!d.warnings().isEmpty()) {
            ArrayNode warnings = n.putArray("warnings");
            d.warnings().forEach(warnings::add);
        }
        if (d.mapping() != null) {
            n.set("mapping", Json.tree(d.mapping()));
        }
        return n;
    }

    /** Keeps the last path segment and replaces characters that make object keys awkward. */
    static String sanitize(String filename) {
        String base = filename.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1).strip();
        base = base.replaceAll("[^A-Za-z0-9._ -]", "_");
        if (base.length() > 200) {
            base = base.substring(base.length() - 200);
        }
        return base.isEmpty() ? "unnamed" : base;
    }
}
