package dev.steward.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Local mode's secrets (the API-key pepper, the operator token, the upload URLs' key, the key vendor credentials are
 * sealed under), kept in files readable only by their owner in
 * the data dir. On AWS the pepper comes from Secrets Manager. These files are not encrypted: whoever can read the
 * data dir can read the local database too.
 */
final class LocalSecrets {
    private final Path dir;

    LocalSecrets(Path dataDir) {
        this.dir = dataDir.resolve("secrets");
    }

    byte[] pepper() {
        return HexFormat.of().parseHex(readOrCreate("api-key-pepper"));
    }

    /** The key local upload URLs are signed with ({@link LocalUploadUrls}). */
    byte[] uploadUrlKey() {
        return HexFormat.of().parseHex(readOrCreate("upload-url-key"));
    }

    /**
     * The AES-256 key tenants' vendor tokens and webhook secrets are sealed under in the table ({@code AesGcmSecretSealer});
     * on AWS the stage's KMS key does it. Losing it loses every stored credential, not the rest of the data.
     */
    byte[] secretsKey() {
        return HexFormat.of().parseHex(readOrCreate("secrets-key"));
    }

    String operatorToken() {
        return readOrCreate("operator-token");
    }

    static String operatorToken(Path dataDir) {
        try {
            return Files.readString(dataDir.resolve("secrets/operator-token")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("no operator token in " + dataDir + ": is local mode running there?", e);
        }
    }

    private String readOrCreate(String name) {
        Path file = dir.resolve(name);
        try {
            if (Files.exists(file)) {
                return Files.readString(file).strip();
            }
            Files.createDirectories(dir);
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            String value = HexFormat.of().formatHex(bytes);
            Files.writeString(file, value);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }
}
