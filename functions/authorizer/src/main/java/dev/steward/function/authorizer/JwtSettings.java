package dev.steward.function.authorizer;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which JWTs the authorizer accepts: those signed by a key of {@code jwksUrl} and issued by exactly {@code issuer}
 * to one of {@code audiences}; the tenant and role are read from the named claims. Cognito's names are the defaults,
 * so a Cognito user pool needs only its issuer and app client id.
 *
 * @param issuer       the {@code iss} a token must carry, character for character
 * @param audiences    client ids a token's {@code aud} (or a Cognito access token's {@code client_id}) must name one of
 * @param jwksUrl      where the issuer publishes its signing keys
 * @param tenantClaim  the claim holding the tenant id
 * @param roleClaim    the claim holding the caller's groups (a list or one string); the highest role among them wins
 * @param jwksTimeout  connect and read timeout of one JWKS fetch, so an issuer outage denies instead of hanging
 */
public record JwtSettings(String issuer, List<String> audiences, URI jwksUrl, String tenantClaim, String roleClaim,
                          Duration jwksTimeout) {
    public static final String ISSUER = "STEWARD_JWT_ISSUER";
    public static final String AUDIENCE = "STEWARD_JWT_AUDIENCE";
    public static final String JWKS_URL = "STEWARD_JWT_JWKS_URL";
    public static final String TENANT_CLAIM = "STEWARD_JWT_TENANT_CLAIM";
    public static final String ROLE_CLAIM = "STEWARD_JWT_ROLE_CLAIM";
    /** Cognito's name for the user pool's custom {@code tenant} attribute. */
    public static final String DEFAULT_TENANT_CLAIM = "custom:tenant";
    /** Cognito's list of the user's groups. */
    public static final String DEFAULT_ROLE_CLAIM = "cognito:groups";
    /** Well under API Gateway's 10 s wait for an authorizer, leaving room for the tenant lookup. */
    public static final Duration DEFAULT_JWKS_TIMEOUT = Duration.ofSeconds(2);

    public JwtSettings {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(jwksUrl, "jwksUrl");
        Objects.requireNonNull(tenantClaim, "tenantClaim");
        Objects.requireNonNull(roleClaim, "roleClaim");
        Objects.requireNonNull(jwksTimeout, "jwksTimeout");
        audiences = List.copyOf(audiences);
        if (audiences.isEmpty()) {
            // without it, a token the issuer minted for any other client would be accepted here
            throw new IllegalArgumentException(AUDIENCE + " must name the client id(s) whose tokens are accepted for issuer " + issuer);
        }
        if (!URI.create(issuer).isAbsolute()) {
            throw new IllegalArgumentException("the issuer must be an absolute URL, was " + issuer);
        }
        if (!jwksUrl.isAbsolute()) {
            throw new IllegalArgumentException("the JWKS URL must be absolute, was " + jwksUrl);
        }
    }

    /** The settings of issuer {@code issuer} with Cognito's claim names and the JWKS at the usual place. */
    public static JwtSettings of(String issuer, List<String> audiences) {
        return new JwtSettings(issuer, audiences, defaultJwksUrl(issuer), DEFAULT_TENANT_CLAIM, DEFAULT_ROLE_CLAIM,
                DEFAULT_JWKS_TIMEOUT);
    }

    /**
     * The settings the environment names, or empty when {@value #ISSUER} is unset (JWTs are then refused like any
     * unknown credential).
     *
     * @throws IllegalArgumentException when the issuer is set without an audience, or a URL is malformed
     */
    public static Optional<JwtSettings> fromEnvironment(Map<String, String> env) {
        String issuer = blankToNull(env.get(ISSUER));
        if (issuer == null) {
            return Optional.empty();
        }
        String audience = env.getOrDefault(AUDIENCE, "");
        List<String> audiences = Arrays.stream(audience.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        String jwks = blankToNull(env.get(JWKS_URL));
        return Optional.of(new JwtSettings(issuer, audiences, jwks == null ? defaultJwksUrl(issuer) : URI.create(jwks),
                Objects.requireNonNullElse(blankToNull(env.get(TENANT_CLAIM)), DEFAULT_TENANT_CLAIM),
                Objects.requireNonNullElse(blankToNull(env.get(ROLE_CLAIM)), DEFAULT_ROLE_CLAIM),
                DEFAULT_JWKS_TIMEOUT));
    }

    /** These settings with another JWKS fetch timeout. */
    public JwtSettings withJwksTimeout(Duration timeout) {
        return new JwtSettings(issuer, audiences, jwksUrl, tenantClaim, roleClaim, timeout);
    }

    /** Whether the issuer is a Cognito user pool, whose tokens say which kind they are in {@code token_use}. */
    public boolean cognito() {
        String host = URI.create(issuer).getHost();
        return host != null && host.startsWith("cognito-idp.");
    }

    private static URI defaultJwksUrl(String issuer) {
        return URI.create((issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer) + "/.well-known/jwks.json");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
