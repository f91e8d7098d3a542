package dev.steward.local;

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
 * First start only: creates tenant {@code demo} with the template agents and an admin key, and uploads the sample
 * knowledge through the public API path (object store, queue, ingest worker), exactly as a user would. The key is
 * kept in the data dir (owner-only) so later starts can print it again; the table holds only its hash.
 */
final class DemoSeeder {
    private static final Logger LOG = Logger.getLogger(DemoSeeder.class.getName());
    private final LocalOperator operator;
    private final URI gateway;
    private final String operatorToken;
    private final LocalConfig config;

    DemoSeeder(LocalOperator operator, URI gateway, String operatorToken, LocalConfig config) {
        this.operator = operator;
        this.gateway = gateway;
        this.operatorToken = operatorToken;
        this.config = config;
    }

    Optional<String> seed(TenantId tenant) {
        Path keyFile = config.dataDir().resolve("secrets/demo-api-key");
        try {
            Optional<String> created = operator.createTenant(tenant);
            if (created.isEmpty()) {
                return Files.exists(keyFile) ? Optional.of(Files.readString(keyFile).strip()) : Optional.empty();
            }
            Files.createDirectories(keyFile.getParent());
            Files.writeString(keyFile, created.get());
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
            LocalClient client = new LocalClient(gateway, operatorToken, tenant.value());
            try (Stream<Path> files = Files.list(config.templatesDir().resolve("seed-knowledge"))) {
                for (Path f : files.sorted().toList()) {
                    LocalClient.Reply r = client.upload(f.getFileName().toString(), Files.readAllBytes(f));
                    if (!r.ok()) {
                        LOG.warning("seeding " + f.getFileName() + " failed: " + r.errorMessage());
                    }
                }
            }
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException("seeding the demo tenant failed", e);
        }
    }
}
