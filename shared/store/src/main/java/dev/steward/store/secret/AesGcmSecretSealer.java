package dev.steward.store.secret;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals with AES-256-GCM under a key this process holds (local mode keeps it in the data dir, beside its API-key
 * pepper): a random 96-bit nonce per value, the tenant and purpose as associated data, a 128-bit tag. Stored as
 * {@code nonce || ciphertext || tag}. A value sealed for another tenant or purpose, under another key, or altered fails
 * the tag check. Random nonces are safe for far more than 2^32 values under one key, which no tenant's credentials
 * come near.
 */
public final class AesGcmSecretSealer extends SecretSealer {
    static final String SCHEME = "aes-gcm";
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    /** Seals under {@code key}, which must be 32 bytes (AES-256). */
    public AesGcmSecretSealer(byte[] key) {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("an AES-256 key is 32 bytes, not " + (key == null ? "none" : key.length));
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
    }

    /** Under a fresh random key that lives only in this process: what is sealed does not outlive it (tests). */
    public static AesGcmSecretSealer withRandomKey() {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return new AesGcmSecretSealer(key);
    }

    @Override
    String scheme() {
        return SCHEME;
    }

    @Override
    byte[] encrypt(Binding binding, byte[] plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, binding);
            return ByteBuffer.allocate(NONCE_BYTES + cipher.getOutputSize(plaintext.length))
                    .put(nonce).put(cipher.doFinal(plaintext)).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    @Override
    byte[] decrypt(Binding binding, byte[] sealed) {
        if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new SecretSealingException("the stored secret for " + binding + " is too short to be sealed: it was altered");
        }
        try {
            return cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(sealed, NONCE_BYTES), binding)
                    .doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new SecretSealingException("the stored secret does not open for " + binding
                    + ": it was sealed for another tenant or purpose, under another key, or altered", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    private Cipher cipher(int mode, byte[] nonce, Binding binding) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(binding.associatedData(SCHEME));
        return cipher;
    }
}
