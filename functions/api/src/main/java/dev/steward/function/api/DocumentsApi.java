package dev.steward.function.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.core.error.ApiException;
import dev.steward.core.json.Json;
import dev.steward.core.knowledge.DocumentFormat;
import dev.steward.core.knowledge.DocumentId;
import dev.steward.core.knowledge.DocumentStatus;
import dev.steward.core.knowledge.RecordMapping;
import dev.steward.core.tenant.Principal;
import dev.steward.store.document.DocumentRecord;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Uploads, document status and deletion. An upload is checked (name, type, size, not empty, mapping) before anything
 * is stored, then recorded as QUEUED and written to the bucket under {@code tenants/<tenant>/documents/<id>/<name>};
 * the bucket's event notification queues it for the ingest worker. The same bytes uploaded again under the same name
 * (and mapping) return the existing document unchanged, unless that one FAILED; other bytes under a name the tenant
 * already has replace that document (same id; {@code "replaces": true}), its chunks swapped when the new version
 * is indexed. Deleting removes the object (whose
 * removal event makes the ingest worker drop the document's chunks) and then the record.
 */
final class DocumentsApi {
    private static final Logger LOG = Logger.getLogger(DocumentsApi.class.getName());
    private final ApiConfig config;

    DocumentsApi(ApiConfig config) {
        this.config = config;
    }

    ObjectNode upload(Principal who, String filename, String mappingParam, byte[] content) {
        if (filename == null || filename.isBlank()) {
            throw ApiException.badRequest("missing_filename", "name the file with the 'filename' query parameter, e.g. ?filename=handbook.pdf");
        }
        String name = sanitize(filename);
        if (DocumentFormat.fromFileName(name).isEmpty()) {
            String ext = DocumentFormat.extensionOf(name);
            throw new ApiException(415, "unsupported_type", (ext.isEmpty() ? "files without an extension" : "files of type ." + ext)
                    + " are not supported; use " + DocumentFormat.supportedList());
        }
        if (content.length == 0) {
            throw ApiException.badRequest("empty_document", "the file '" + name + "' is empty");
        }
        if (content.length > config.maxUploadBytes()) {
            throw new ApiException(413, "document_too_large", "the file is " + content.length + " bytes; the limit is "
                    + config.maxUploadBytes() + " bytes");
        }
        String mapping = mapping(name, mappingParam);
        String hash = DocumentRecord.contentHashOf(content);
        Optional<DocumentRecord> same = config.stores().documents().findSame(who.tenant(), name, hash, mapping)
                .filter(d -> d.status() != DocumentStatus.FAILED);
        if (same.isPresent()) {
            return view(same.get()).put("unchanged", true);
        }
        // New bytes under a name the tenant already has replace that document: same id, and the index swaps its chunks
        // when the new version is indexed (until then the previous version is what retrieval finds).
        Optional<DocumentRecord> previous = config.stores().documents().findByName(who.tenant(), name);
        DocumentId id = previous.map(DocumentRecord::id).orElseGet(DocumentId::random);
        String key = "tenants/" + who.tenant().value() + "/documents/" + id.value() + "/" + name;
        Instant now = config.clock().instant();
        DocumentRecord record = previous
                .map(p -> p.requeued(content.length, key, hash, mapping, now))
                .orElseGet(() -> DocumentRecord.queued(who.tenant(), id, name, content.length, key, hash, mapping, now));
        config.stores().documents().put(record);
        try {
            config.s3().putObject(b -> b.bucket(config.bucket()).key(key), RequestBody.fromBytes(content));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "upload of " + id + " to the object store failed", e);
            config.stores().documents().put(record.failed("the file could not be stored: " + e.getMessage(), config.clock().instant()));
            throw new ApiException(503, "storage_unavailable", "the file could not be stored; try again");
        }
        return Json.object().put("documentId", id.value()).put("name", name).put("status", record.status().name())
                .put("replaces", previous.isPresent());
    }

    /** Removes the document: 404 for an id the caller's tenant does not have. */
    ObjectNode delete(Principal who, String id) {
        DocumentRecord d = find(who, id);
        try {
            config.s3().deleteObject(b -> b.bucket(config.bucket()).key(d.objectKey()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "deleting " + id + " from the object store failed", e);
            throw new ApiException(503, "storage_unavailable", "the document could not be deleted; try again");
        }
        config.stores().documents().delete(who.tenant(), d.id());
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
