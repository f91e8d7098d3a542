package dev.steward.function.authorizer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An OIDC issuer for tests: RSA and EC signing keys made in the test, their public halves served as a JWKS from a
 * JDK HTTP server on the loopback address, and tokens signed with nimbus. The published key set can be replaced
 * (key rotation) and the server made to hang (an issuer outage that accepts connections).
 */
final class TestIssuer implements AutoCloseable {
    static final String PATH = "/.well-known/jwks.json";

    final RSAKey rsa = generateRsa("rsa-1");
    final ECKey ec = generateEc("ec-1");
    private final HttpServer server;
    private final AtomicReference<JWKSet> published = new AtomicReference<>(new JWKSet(List.<JWK>of(rsa.toPublicJWK(), ec.toPublicJWK())));
    private final AtomicInteger fetches = new AtomicInteger();
    private volatile Duration stall = Duration.ZERO;

    TestIssuer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext(PATH, exchange -> {
            try (exchange) {
                fetches.incrementAndGet();
                Thread.sleep(stall);
                byte[] body = published.get().toString(true).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
    }

    /** The issuer URL: its JWKS is at the default place below it. */
    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    URI jwksUrl() {
        return URI.create(issuer() + PATH);
    }

    int fetches() {
        return fetches.get();
    }

    void publish(JWK... keys) {
        published.set(new JWKSet(List.of(keys)).toPublicJWKSet());
    }

    void stall(Duration delay) {
        stall = delay;
    }

    /** Claims of a token valid for five more minutes for {@code audience}, issued by this issuer. */
    JWTClaimsSet.Builder claims(String audience) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(issuer())
                .subject("user-" + UUID.randomUUID())
                .audience(audience)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)));
    }

    String signRsa(JWTClaimsSet claims) {
        return sign(claims, rsa, JWSAlgorithm.RS256);
    }

    static String sign(JWTClaimsSet claims, JWK key, JWSAlgorithm algorithm) {
        try {
            JWSSigner signer = key instanceof ECKey e ? new ECDSASigner(e) : new RSASSASigner((RSAKey) key);
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).build(), claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static RSAKey generateRsa(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static ECKey generateEc(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
