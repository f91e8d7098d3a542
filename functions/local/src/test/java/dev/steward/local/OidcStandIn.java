package dev.steward.local;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.steward.core.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * An OIDC issuer for tests, on the loopback address: discovery document, JWKS, an authorize endpoint that signs in
 * one user at once (no login page) and redirects back with a code, and a token endpoint that gives that user's ID
 * token only for the code with the PKCE verifier of its S256 challenge, to the client and redirect URI it was issued
 * for. ID tokens carry the tenant and groups in Cognito's claim names.
 */
final class OidcStandIn implements AutoCloseable {
    /** What the authorize endpoint was asked, kept until its code is redeemed (once). */
    private record Grant(String clientId, String redirectUri, String challenge) {}

    private final RSAKey key;
    private final HttpServer server;
    private final String clientId;
    private final String tenant;
    private final Map<String, Grant> grants = new ConcurrentHashMap<>();

    OidcStandIn(String clientId, String tenant) throws IOException, JOSEException {
        this.clientId = clientId;
        this.tenant = tenant;
        this.key = new RSAKeyGenerator(2048).keyID("stand-in").generate();
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/.well-known/openid-configuration", exchange -> json(exchange, 200, Json.write(Map.of(
                "issuer", issuer(), "authorization_endpoint", issuer() + "/authorize", "token_endpoint", issuer() + "/token",
                "jwks_uri", issuer() + "/.well-known/jwks.json"))));
        server.createContext("/.well-known/jwks.json", exchange -> json(exchange, 200, new JWKSet(key.toPublicJWK()).toString()));
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.start();
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** An ID token of the user, for {@code tenantClaim}'s tenant, valid until {@code expires}. */
    String idToken(String tenantClaim, Instant expires) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer()).audience(clientId).subject("user-of-" + tenantClaim)
                .claim("token_use", "id").claim("custom:tenant", tenantClaim).claim("cognito:groups", List.of("member"))
                .issueTime(new Date()).expirationTime(Date.from(expires)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        if (!clientId.equals(query.get("client_id")) || !"code".equals(query.get("response_type"))
                || !"S256".equals(query.get("code_challenge_method")) || query.get("code_challenge") == null) {
            json(exchange, 400, "{\"error\":\"invalid_request\"}");
            return;
        }
        String code = UUID.randomUUID().toString();
        grants.put(code, new Grant(query.get("client_id"), query.get("redirect_uri"), query.get("code_challenge")));
        String back = query.get("redirect_uri") + "?code=" + code + "&state=" + URLEncoder.encode(query.get("state"), StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Location", URI.create(back).toString());
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Grant grant = grants.remove(String.valueOf(form.get("code")));
        boolean valid = grant != null && "authorization_code".equals(form.get("grant_type"))
                && grant.clientId().equals(form.get("client_id")) && grant.redirectUri().equals(form.get("redirect_uri"))
                && form.get("code_verifier") != null && grant.challenge().equals(s256(form.get("code_verifier")));
        if (!valid) {
            json(exchange, 400, "{\"error\":\"invalid_grant\"}");
            return;
        }
        json(exchange, 200, Json.write(Map.of("id_token", idToken(tenant, Instant.now().plusSeconds(3600)),
                "access_token", "not-used", "token_type", "Bearer", "expires_in", 3600)));
    }

    private static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> form(String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            return Map.of();
        }
        return java.util.Arrays.stream(encoded.split("&")).map(pair -> pair.split("=", 2))
                .collect(Collectors.toMap(p -> URLDecoder.decode(p[0], StandardCharsets.UTF_8),
                        p -> p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "", (a, b) -> b));
    }

    /** Open to any origin (CORS): the web app reads discovery and redeems the code from the browser. */
    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
