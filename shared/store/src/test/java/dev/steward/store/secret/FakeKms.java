package dev.steward.store.secret;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.json.Json;
import dev.steward.store.AwsJsonServer;
import dev.steward.store.AwsJsonServer.Answer;
import dev.steward.store.AwsJsonServer.Call;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * KMS's Encrypt and Decrypt on 127.0.0.1 in the service's wire format (AWS JSON 1.1, {@code X-Amz-Target:
 * TrentService.Encrypt}, base64 {@code Plaintext} and {@code CiphertextBlob}, an {@code EncryptionContext} map), for
 * the real SDK client. It really encrypts: AES-GCM under one random key per key ARN, the encryption context (sorted) as
 * associated data, the key's ARN inside the blob as in KMS's own. A blob whose context or bytes differ is an
 * {@code InvalidCiphertextException}, a blob of another key than the request's {@code KeyId} an
 * {@code IncorrectKeyException}, an unknown key a {@code NotFoundException}: HTTP 400 with {@code __type}, as KMS
 * answers them. Records what each request sent.
 */
final class FakeKms implements AutoCloseable {
    private final Map<String, SecretKeySpec> keys = new TreeMap<>();
    private final SecureRandom random = new SecureRandom();
    private final AwsJsonServer server;

    /** Holds one fresh key for each of {@code keyArns}. */
    FakeKms(String... keyArns) {
        for (String arn : keyArns) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            keys.put(arn, new SecretKeySpec(key, "AES"));
        }
        this.server = new AwsJsonServer(this::answer);
    }

    private Answer answer(Call call) {
        try {
            return switch (String.valueOf(call.target())) {
                case "TrentService.Encrypt" -> encrypt(call.body());
                case "TrentService.Decrypt" -> decrypt(call.body());
                default -> Answer.error("UnknownOperationException", "unknown operation " + call.target());
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private Answer encrypt(JsonNode request) throws GeneralSecurityException {
        String arn = request.path("KeyId").asText();
        if (!keys.containsKey(arn)) {
            return Answer.error("NotFoundException", "Key '" + arn + "' does not exist");
        }
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        byte[] sealed = cipher(Cipher.ENCRYPT_MODE, arn, nonce, request).doFinal(Base64.getDecoder().decode(request.path("Plaintext").asText()));
        byte[] name = arn.getBytes(StandardCharsets.UTF_8);
        byte[] blob = ByteBuffer.allocate(1 + name.length + nonce.length + sealed.length)
                .put((byte) name.length).put(name).put(nonce).put(sealed).array();
        return Answer.ok(Json.object().put("CiphertextBlob", Base64.getEncoder().encodeToString(blob)).put("KeyId", arn)
                .put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT"));
    }

    private Answer decrypt(JsonNode request) throws GeneralSecurityException {
        byte[] blob = Base64.getDecoder().decode(request.path("CiphertextBlob").asText());
        int nameLength = blob.length == 0 ? 0 : blob[0] & 0xff;
        String arn = blob.length < 1 + nameLength + 12 + 16 ? "" : new String(blob, 1, nameLength, StandardCharsets.UTF_8);
        if (!keys.containsKey(arn)) {
            return Answer.error("InvalidCiphertextException", null);
        }
        String asked = request.path("KeyId").asText(arn);
        if (!asked.equals(arn)) {
            return Answer.error("IncorrectKeyException",
                    "The key ID in the request does not identify a KMS key that can perform this operation.");
        }
        int at = 1 + nameLength;
        try {
            byte[] plaintext = cipher(Cipher.DECRYPT_MODE, arn, Arrays.copyOfRange(blob, at, at + 12), request)
                    .doFinal(blob, at + 12, blob.length - at - 12);
            return Answer.ok(Json.object().put("Plaintext", Base64.getEncoder().encodeToString(plaintext)).put("KeyId", arn)
                    .put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT"));
        } catch (AEADBadTagException e) {
            return Answer.error("InvalidCiphertextException", null);
        }
    }

    private Cipher cipher(int mode, String arn, byte[] nonce, JsonNode request) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, keys.get(arn), new GCMParameterSpec(128, nonce));
        StringBuilder context = new StringBuilder();
        new TreeMap<>(Json.mapper().convertValue(request.path("EncryptionContext"), Map.class))
                .forEach((k, v) -> context.append(k).append('=').append(v).append('\n'));
        cipher.updateAAD(context.toString().getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    URI endpoint() {
        return server.endpoint();
    }

    List<Call> calls() {
        return server.calls();
    }

    @Override
    public void close() {
        server.close();
    }
}
