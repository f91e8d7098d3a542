package dev.steward.function.authorizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.steward.core.tenant.Role;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.StewardTable;
import dev.steward.store.Stores;
import dev.steward.store.audit.AuditAction;
import dev.steward.store.audit.AuditEvent;
import dev.steward.store.tenant.ApiKeyRecord;
import dev.steward.store.tenant.ApiKeys;
import dev.steward.store.tenant.TenantRecord;
import dev.steward.store.tenant.TenantStore;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The authorizer with JWT sign-in configured, over DynamoDB Local and a {@link TestIssuer} on the loopback address:
 * what a valid token puts in the context, and every way a token is refused with the same answer as a bad key.
 */
class JwtSignInTest {
    static final String CLIENT = "spa-client";
    static final String COGNITO_ISSUER = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc123";
    static AmazonDynamoDBLocal dynamo;
    static TenantStore tenants;
    static ApiKeys keys = new ApiKeys("pepper-of-sixteen-bytes".getBytes());

    TestIssuer issuer;
    AuthorizerHandler handler;

    @BeforeAll
    static void startTable() {
        dynamo = DynamoDBEmbedded.create(false);
        StewardTable table = new StewardTable(dynamo.dynamoDbClient(), "steward-test");
        table.createIfMissing();
        tenants = Stores.over(table).tenants();
        create("acme", "Acme");
        create("globex", "Globex");
    }

    /** A tenant as the operator creates it: with its first admin key and the event that records it. */
    static void create(String id, String name) {
        TenantId tenant = TenantId.of(id);
        Instant now = Instant.now();
        ApiKeys.NewKey first = keys.generate(tenant);
        tenants.create(new TenantRecord(tenant, name, now), new ApiKeyRecord(tenant, first.keyId(), keys.hash(first.key()), Role.ADMIN, "test", now),
                AuditEvent.of(tenant, now, "operator", "operator", AuditAction.TENANT_CREATED, id, Map.of(), null));
    }

    @AfterAll
    static void stopTable() {
        dynamo.shutdown();
    }

    @BeforeEach
    void startIssuer() {
        issuer = new TestIssuer();
        handler = handlerFor(new JwtSettings(issuer.issuer(), List.of(CLIENT, "cli-client"), issuer.jwksUrl(),
                JwtSettings.DEFAULT_TENANT_CLAIM, JwtSettings.DEFAULT_ROLE_CLAIM, JwtSettings.DEFAULT_JWKS_TIMEOUT));
    }

    @AfterEach
    void stopIssuer() {
        issuer.close();
    }

    @Test
    void aValidTokenPutsItsTenantRoleAndSubjectInTheContext() {
        JWTClaimsSet claims = member("acme").claim("cognito:groups", List.of("reviewer")).build();

        assertThat(decide(handler, issuer.signRsa(claims))).isEqualTo(Map.of("isAuthorized", true, "context", Map.of(
                "tenantId", "acme", "principalId", "jwt:" + claims.getSubject(), "role", "reviewer")));
    }

    @Test
    void anEs256TokenAndAnyConfiguredAudienceAreAccepted() {
        JWTClaimsSet claims = issuer.claims("cli-client").claim("custom:tenant", "globex").build();

        assertThat(tenantOf(TestIssuer.sign(claims, issuer.ec, JWSAlgorithm.ES256))).contains("globex");
    }

    @Test
    void anExpiredTokenIsRefusedButClockSkewIsTolerated() {
        Instant now = Instant.now();
        String expired = issuer.signRsa(member("acme").expirationTime(Date.from(now.minusSeconds(120))).build());
        String justExpired = issuer.signRsa(member("acme").expirationTime(Date.from(now.minusSeconds(5))).build());
        String notYet = issuer.signRsa(member("acme").notBeforeTime(Date.from(now.plusSeconds(120))).build());

        assertThat(tenantOf(expired)).isEmpty();
        assertThat(tenantOf(notYet)).isEmpty();
        assertThat(tenantOf(justExpired)).contains("acme");
    }

    @Test
    void anotherIssuerOrAudienceIsRefused() {
        assertThat(tenantOf(issuer.signRsa(member("acme").issuer(issuer.issuer() + "/other").build()))).isEmpty();
        assertThat(tenantOf(issuer.signRsa(member("acme").issuer(issuer.issuer() + "/").build()))).isEmpty();
        assertThat(tenantOf(issuer.signRsa(member("acme").audience("someone-else").build()))).isEmpty();
        assertThat(tenantOf(issuer.signRsa(member("acme").audience((String) null).build()))).isEmpty();
        // client_id counts only in a Cognito access token
        assertThat(tenantOf(issuer.signRsa(member("acme").audience((String) null).claim("client_id", CLIENT).build()))).isEmpty();
    }

    @Test
    void aKeyTheIssuerDoesNotPublishIsRefused() {
        RSAKey stranger = TestIssuer.generateRsa("rsa-1"); // same kid, other key
        RSAKey unknownKid = TestIssuer.generateRsa("rsa-unknown");

        assertThat(tenantOf(TestIssuer.sign(member("acme").build(), stranger, JWSAlgorithm.RS256))).isEmpty();
        assertThat(tenantOf(TestIssuer.sign(member("acme").build(), unknownKid, JWSAlgorithm.RS256))).isEmpty();
    }

    @Test
    void anUnsignedTokenIsRefused() {
        String none = new PlainJWT(member("acme").build()).serialize();

        assertThat(none).endsWith(".");
        assertThat(tenantOf(none)).isEmpty();
    }

    @Test
    void hmacUnderThePublicKeyIsRefused() throws Exception {
        // algorithm confusion: a verifier that took the JWKS key as an HMAC secret would accept this
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(), member("acme").build());
        forged.sign(new MACSigner(issuer.rsa.toRSAPublicKey().getEncoded()));

        assertThat(tenantOf(forged.serialize())).isEmpty();
    }

    @Test
    void aTamperedPayloadIsRefused() {
        String token = issuer.signRsa(member("acme").build());
        String[] parts = token.split("\\.");
        String otherTenant = Base64URL.encode(member("globex").claim("cognito:groups", List.of("admin")).build().toString()).toString();

        assertThat(tenantOf(token)).contains("acme");
        assertThat(tenantOf(parts[0] + "." + otherTenant + "." + parts[2])).isEmpty();
    }

    @Test
    void aMissingInvalidOrUnknownTenantIsRefused() {
        assertThat(tenantOf(issuer.signRsa(issuer.claims(CLIENT).build()))).isEmpty();
        assertThat(tenantOf(issuer.signRsa(member("Not A Tenant").build()))).isEmpty();
        assertThat(tenantOf(issuer.signRsa(issuer.claims(CLIENT).claim("custom:tenant", List.of("acme")).build()))).isEmpty();
        assertThat(tenantOf(issuer.signRsa(member("initech").build()))).isEmpty();
    }

    @Test
    void theHighestRoleAmongTheGroupsWinsAndNoRoleGroupIsMember() {
        assertThat(roleWith(List.of("member", "admin", "reviewer"))).isEqualTo("admin");
        assertThat(roleWith(List.of("reviewer", "member"))).isEqualTo("reviewer");
        assertThat(roleWith(List.of("eu-west-1_Abc123_Google", "Admin"))).isEqualTo("member");
        assertThat(roleWith(List.of())).isEqualTo("member");
        assertThat(roleWith(null)).isEqualTo("member");
    }

    @Test
    void claimNamesAreConfigurable() {
        AuthorizerHandler custom = handlerFor(new JwtSettings(issuer.issuer(), List.of(CLIENT), issuer.jwksUrl(), "org",
                "roles", JwtSettings.DEFAULT_JWKS_TIMEOUT));
        String token = issuer.signRsa(issuer.claims(CLIENT).claim("org", "globex").claim("roles", "member admin").build());

        assertThat(decide(custom, token).get("context")).isEqualTo(Map.of(
                "tenantId", "globex", "principalId", "jwt:" + subjectOf(token), "role", "admin"));
    }

    @Test
    void cognitoTokensMustSayTheirUseAndAccessTokensNameTheirClient() {
        AuthorizerHandler cognito = handlerFor(new JwtSettings(COGNITO_ISSUER, List.of(CLIENT), issuer.jwksUrl(),
                JwtSettings.DEFAULT_TENANT_CLAIM, JwtSettings.DEFAULT_ROLE_CLAIM, JwtSettings.DEFAULT_JWKS_TIMEOUT));
        JWTClaimsSet.Builder id = member("acme").issuer(COGNITO_ISSUER).claim("token_use", "id");
        JWTClaimsSet.Builder access = member("acme").issuer(COGNITO_ISSUER).audience((String) null).claim("token_use", "access");

        assertThat(decide(cognito, issuer.signRsa(id.build())).get("isAuthorized")).isEqualTo(true);
        assertThat(decide(cognito, issuer.signRsa(id.claim("token_use", null).build())).get("isAuthorized")).isEqualTo(false);
        assertThat(decide(cognito, issuer.signRsa(id.claim("token_use", "refresh").build())).get("isAuthorized")).isEqualTo(false);
        assertThat(decide(cognito, issuer.signRsa(access.claim("client_id", CLIENT).build())).get("isAuthorized")).isEqualTo(true);
        assertThat(decide(cognito, issuer.signRsa(access.claim("client_id", "other").build())).get("isAuthorized")).isEqualTo(false);
    }

    @Test
    void aNewKeyIdIsFetchedAfterRotation() {
        assertThat(tenantOf(issuer.signRsa(member("acme").build()))).contains("acme");
        int before = issuer.fetches();
        RSAKey next = TestIssuer.generateRsa("rsa-2");
        issuer.publish(next);

        assertThat(tenantOf(TestIssuer.sign(member("acme").build(), next, JWSAlgorithm.RS256))).contains("acme");
        assertThat(issuer.fetches()).isEqualTo(before + 1);
    }

    @Test
    void anIssuerThatIsDownDeniesQuickly() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        AuthorizerHandler down = handlerFor(new JwtSettings(issuer.issuer(), List.of(CLIENT),
                URI.create("http://127.0.0.1:" + closedPort + TestIssuer.PATH), JwtSettings.DEFAULT_TENANT_CLAIM,
                JwtSettings.DEFAULT_ROLE_CLAIM, JwtSettings.DEFAULT_JWKS_TIMEOUT));

        long started = System.nanoTime();
        assertThat(decide(down, issuer.signRsa(member("acme").build()))).isEqualTo(Map.of("isAuthorized", false));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void anIssuerThatHangsDeniesWithinTheTimeout() {
        AuthorizerHandler slow = handlerFor(JwtSettings.of(issuer.issuer(), List.of(CLIENT)).withJwksTimeout(Duration.ofMillis(300)));
        issuer.stall(Duration.ofSeconds(2));

        long started = System.nanoTime();
        assertThat(decide(slow, issuer.signRsa(member("acme").build()))).isEqualTo(Map.of("isAuthorized", false));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void withoutAnIssuerJwtsAreRefusedAndApiKeysStillWork() {
        AuthorizerHandler keysOnly = new AuthorizerHandler(new ApiKeyAuthenticator(tenants, keys), Optional.empty());
        ApiKeys.NewKey key = keys.generate(TenantId.of("acme"));
        tenants.putKey(new ApiKeyRecord(key.tenant(), key.keyId(), keys.hash(key.key()), Role.ADMIN, "test", Instant.now()),
                AuditEvent.of(key.tenant(), Instant.now(), "operator", "operator", AuditAction.API_KEY_CREATED, key.keyId(), Map.of(), null));
        String token = issuer.signRsa(member("acme").build());

        assertThat(decide(keysOnly, token)).isEqualTo(Map.of("isAuthorized", false));
        assertThat(decide(handler, token).get("isAuthorized")).isEqualTo(true);
        for (AuthorizerHandler h : List.of(keysOnly, handler)) {
            assertThat(decide(h, key.key()).get("context")).isEqualTo(Map.of(
                    "tenantId", "acme", "principalId", "key:" + key.keyId(), "role", "admin"));
            assertThat(decide(h, "not.a.jwt")).isEqualTo(Map.of("isAuthorized", false));
        }
    }

    @Test
    void theEnvironmentConfiguresSignIn() {
        assertThat(JwtSettings.fromEnvironment(Map.of())).isEmpty();
        assertThat(JwtSettings.fromEnvironment(Map.of(JwtSettings.ISSUER, COGNITO_ISSUER, JwtSettings.AUDIENCE, " a, b ,")))
                .contains(new JwtSettings(COGNITO_ISSUER, List.of("a", "b"), URI.create(COGNITO_ISSUER + "/.well-known/jwks.json"),
                        "custom:tenant", "cognito:groups", JwtSettings.DEFAULT_JWKS_TIMEOUT));
        assertThat(JwtSettings.fromEnvironment(Map.of(JwtSettings.ISSUER, "https://login.example.com/", JwtSettings.AUDIENCE, "a",
                JwtSettings.JWKS_URL, "https://keys.example.com/jwks", JwtSettings.TENANT_CLAIM, "org", JwtSettings.ROLE_CLAIM, "roles")))
                .contains(new JwtSettings("https://login.example.com/", List.of("a"), URI.create("https://keys.example.com/jwks"),
                        "org", "roles", JwtSettings.DEFAULT_JWKS_TIMEOUT));
        assertThatThrownBy(() -> JwtSettings.fromEnvironment(Map.of(JwtSettings.ISSUER, COGNITO_ISSUER)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(JwtSettings.AUDIENCE);
        assertThatThrownBy(() -> JwtSettings.fromEnvironment(Map.of(JwtSettings.ISSUER, "login.example.com", JwtSettings.AUDIENCE, "a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absolute");
    }

    private JWTClaimsSet.Builder member(String tenant) {
        return issuer.claims(CLIENT).claim("custom:tenant", tenant);
    }

    private String roleWith(List<String> groups) {
        return String.valueOf(contextOf(issuer.signRsa(member("acme").claim("cognito:groups", groups).build())).get("role"));
    }

    private Optional<String> tenantOf(String token) {
        Map<?, ?> context = contextOf(token);
        return context == null ? Optional.empty() : Optional.of(String.valueOf(context.get("tenantId")));
    }

    private Map<?, ?> contextOf(String token) {
        return (Map<?, ?>) decide(handler, token).get("context");
    }

    private static String subjectOf(String token) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet().getSubject();
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    static AuthorizerHandler handlerFor(JwtSettings settings) {
        return new AuthorizerHandler(new ApiKeyAuthenticator(tenants, keys), Optional.of(new JwtAuthenticator(settings, tenants)));
    }

    static Map<String, Object> decide(AuthorizerHandler handler, String credential) {
        APIGatewayV2CustomAuthorizerEvent event = new APIGatewayV2CustomAuthorizerEvent();
        event.setHeaders(Map.of("Authorization", "Bearer " + credential));
        return handler.handleRequest(event, null);
    }
}
