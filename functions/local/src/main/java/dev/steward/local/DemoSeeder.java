package dev.steward.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.core.json.Json;
import dev.steward.core.tenant.TenantId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * First start only: creates tenant {@code demo} with the template agents and an admin key (through the operator
 * route, as {@code steward tenant create} does), saves the default policy
 * ({@code templates/policies/default.cedar}, email domain allowlist {@value #DEMO_EMAIL_DOMAIN}) as its version 1,
 * and uploads the sample knowledge through the public API path (object store, queue, ingest worker), exactly as a
 * user would. The key is
 * kept in the data dir (owner-only) so later starts can print it again; the table holds only its hash.
 */
final class DemoSeeder {
    private static final Logger LOG = Logger.getLogger(DemoSeeder.class.getName());
    /** The demo company's own domain: email to colleagues runs unreviewed, email to anyone else asks. */
    static final String DEMO_EMAIL_DOMAIN = "steward.local";
    private final URI gateway;
    private final String operatorToken;
    private final LocalConfig config;

    DemoSeeder(URI gateway, String operatorToken, LocalConfig config) {
        this.gateway = gateway;
        this.operatorToken = operatorToken;
        this.config = config;
    }

    Optional<String> seed(TenantId tenant) {
        Path keyFile = config.dataDir().resolve("secrets/demo-api-key");
        try {
            LocalClient client = new LocalClient(gateway, operatorToken, tenant.value());
            LocalClient.Reply created = client.createTenant(tenant.value());
            if (created.status() == 409) {
                return Files.exists(keyFile) ? Optional.of(Files.readString(keyFile).strip()) : Optional.empty();
            }
            if (!created.ok()) {
                throw new IllegalStateException("creating the demo tenant failed: " + created.errorMessage());
            }
            String key = created.body().path("apiKey").asText();
            Files.createDirectories(keyFile.getParent());
            Files.writeString(keyFile, key);
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
            seedPolicy(client);
            try (Stream<Path> files = Files.list(config.templatesDir().resolve("seed-knowledge"))) {
                for (Path f : files.sorted().toList()) {
                    LocalClient.Reply r = client.upload(f.getFileName().toString(), Files.readAllBytes(f));
                    if (!r.ok()) {
                        LOG.warning("seeding " + f.getFileName() + " failed: " + r.errorMessage());
                    }
                }
            }
            return Optional.of(key);
        } catch (IOException e) {
            throw new UncheckedIOException("seeding the demo tenant failed", e);
        }
    }

    private void seedPolicy(LocalClient client) throws IOException {
        ObjectNode body = Json.object()
                .put("policy", Files.readString(config.templatesDir().resolve("policies/default.cedar")))
                .put("expectedVersion", 0)
                .put("comment", "default policy from templates/policies/default.cedar");
        body.putArray("emailDomains").add(DEMO_EMAIL_DOMAIN);
        LocalClient.Reply r = client.putJson("/v1/policy", body);
        if (!r.ok()) {
            throw new IllegalStateException("the default policy was rejected: " + r.errorMessage());
        }
    }
}
