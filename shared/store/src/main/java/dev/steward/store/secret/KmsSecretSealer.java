package dev.steward.store.secret;

import dev.steward.store.AwsFailures;
import java.util.Objects;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;

/**
 * Seals with AWS KMS under the stage's symmetric key: {@code Encrypt} and {@code Decrypt} with the tenant and purpose
 * as the <em>encryption context</em>, which KMS authenticates (a ciphertext opens only with the context it was sealed
 * with) and CloudTrail logs with every call, so each decryption of a tenant's credential is on record under its tenant.
 * The stored bytes are KMS's ciphertext blob as it is.
 *
 * <p>Direct {@code Encrypt}, not envelope data keys: a token or signing secret is far below Encrypt's 4,096-byte
 * plaintext limit, and one call per seal or open costs less than generating and wrapping a data key would. Decrypt
 * names the key too, so a blob made under any other key is refused.
 */
public final class KmsSecretSealer extends SecretSealer {
    static final String SCHEME = "kms";

    private final KmsClient kms;
    private final String keyId;

    /** Seals under {@code keyId} (a key id, key ARN, alias name or alias ARN) through {@code kms}. */
    public KmsSecretSealer(KmsClient kms, String keyId) {
        this.kms = Objects.requireNonNull(kms, "kms");
        if (keyId == null || keyId.isBlank()) {
            throw new IllegalArgumentException("a KMS key id is needed");
        }
        this.keyId = keyId;
    }

    /** Under {@code keyId} through a client with the default credential and region chain (on Lambda, the function's role). */
    static KmsSecretSealer withDefaultClient(String keyId) {
        return new KmsSecretSealer(KmsClient.builder().httpClient(UrlConnectionHttpClient.create()).build(), keyId);
    }

    @Override
    String scheme() {
        return SCHEME;
    }

    @Override
    byte[] encrypt(Binding binding, byte[] plaintext) {
        try {
            return kms.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromByteArray(plaintext))
                    .encryptionContext(binding.encryptionContext())).ciphertextBlob().asByteArray();
        } catch (SdkException e) {
            throw AwsFailures.classify("KMS Encrypt under " + keyId + " for " + binding, e);
        }
    }

    @Override
    byte[] decrypt(Binding binding, byte[] sealed) {
        try {
            return kms.decrypt(r -> r.keyId(keyId).ciphertextBlob(SdkBytes.fromByteArray(sealed))
                    .encryptionContext(binding.encryptionContext())).plaintext().asByteArray();
        } catch (InvalidCiphertextException | IncorrectKeyException e) {
            throw new SecretSealingException("the stored secret does not open for " + binding
                    + ": it was sealed for another tenant or purpose, under another key, or altered (KMS: "
                    + e.getMessage() + ")", e);
        } catch (SdkException e) {
            throw AwsFailures.classify("KMS Decrypt under " + keyId + " for " + binding, e);
        }
    }
}
