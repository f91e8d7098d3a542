package dev.steward.function.authorizer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.steward.core.tenant.Principal;
import dev.steward.core.tenant.Role;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.tenant.TenantStore;
import java.net.MalformedURLException;
import java.text.ParseException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Resolves a JWT from the configured OIDC issuer (a Cognito user pool or another) to a principal of the tenant its
 * tenant claim names. The signature is checked against the issuer's JWKS (fetched with a bounded timeout, cached,
 * and fetched again when a token names a key id it has not seen, which is how key rotation reaches it); only RS256
 * and ES256 are accepted, so an unsigned token or one "signed" with HMAC under the public key is refused. Then
 * {@code iss} exactly, the audience, {@code exp}/{@code nbf} with {@value #CLOCK_SKEW_SECONDS} s of skew, Cognito's
 * {@code token_use}, and last that the tenant exists. Every refusal looks the same to the caller; the log says why
 * without the token.
 */
public final class JwtAuthenticator {
    private static final Logger LOG = Logger.getLogger(JwtAuthenticator.class.getName());
    static final int CLOCK_SKEW_SECONDS = 30;
    /** Asymmetric only: a symmetric algorithm would let anyone holding the (public) JWKS mint tokens. */
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
    /** Cognito and most issuers set no {@code typ}; RFC 9068 access tokens say {@code at+jwt}. */
    private static final DefaultJOSEObjectTypeVerifier<SecurityContext> TYPES = new DefaultJOSEObjectTypeVerifier<>(
            JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null);
    private static final int MAX_JWKS_BYTES = 64 * 1024;

    private final JwtSettings settings;
    private final TenantStore tenants;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    public JwtAuthenticator(JwtSettings settings, TenantStore tenants) {
        this.settings = settings;
        this.tenants = tenants;
        processor.setJWSTypeVerifier(TYPES);
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keysOf(settings)));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                null, // the audience is checked below: a Cognito access token names its client in client_id instead
                new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
                Set.of("sub", "exp"),
                null);
        claims.setMaxClockSkew(CLOCK_SKEW_SECONDS);
        processor.setJWTClaimsSetVerifier(claims);
    }

    public Optional<Principal> authenticate(String token) {
        try {
            JWTClaimsSet claims = processor.process(token, null);
            checkAudience(claims);
            return Optional.of(new Principal(tenantOf(claims), "jwt:" + claims.getSubject(), roleOf(claims)));
        } catch (ParseException | BadJOSEException | JOSEException e) {
            // nimbus's messages name the failed check, never the token
            LOG.info("JWT refused: " + e.getMessage());
            return Optional.empty();
        }
    }

    private void checkAudience(JWTClaimsSet claims) throws BadJWTException, ParseException {
        String use = claims.getStringClaim("token_use");
        if (settings.cognito() && !"id".equals(use) && !"access".equals(use)) {
            throw new BadJWTException("token_use is neither id nor access");
        }
        boolean audience = claims.getAudience().stream().anyMatch(settings.audiences()::contains);
        boolean client = "access".equals(use) && settings.audiences().contains(claims.getStringClaim("client_id"));
        if (!audience && !client) {
            throw new BadJWTException("audience (or an access token's client_id) is not one of the configured client ids");
        }
    }

    private TenantId tenantOf(JWTClaimsSet claims) throws BadJWTException, ParseException {
        String tenant = claims.getStringClaim(settings.tenantClaim());
        if (!TenantId.isValid(tenant)) {
            throw new BadJWTException("claim " + settings.tenantClaim() + " is missing or not a tenant id");
        }
        TenantId id = TenantId.of(tenant);
        if (tenants.find(id).isEmpty()) {
            throw new BadJWTException("tenant " + id + " of claim " + settings.tenantClaim() + " does not exist");
        }
        return id;
    }

    /**
     * The highest role among the role claim's values; member when none names a role: the tenant claim, which only
     * the operator can set, is what makes a user a member, and groups only raise that.
     */
    private Role roleOf(JWTClaimsSet claims) {
        return groupsOf(claims.getClaim(settings.roleClaim())).stream()
                .flatMap(group -> Arrays.stream(Role.values()).filter(role -> role.wire().equals(group)))
                .min(Role::compareTo) // declared highest first
                .orElse(Role.MEMBER);
    }

    private static Collection<String> groupsOf(Object claim) {
        return switch (claim) {
            case Collection<?> list -> list.stream().map(String::valueOf).toList();
            case String text -> List.of(text.split("[\\s,]+"));
            case null, default -> Collections.emptyList();
        };
    }

    private static JWKSource<SecurityContext> keysOf(JwtSettings settings) {
        int timeout = Math.toIntExact(settings.jwksTimeout().toMillis());
        try {
            // cached (5 min) and rate-limited by nimbus's defaults; an unknown kid forces a fetch within the rate limit
            return JWKSourceBuilder.<SecurityContext>create(settings.jwksUrl().toURL(),
                            new DefaultResourceRetriever(timeout, timeout, MAX_JWKS_BYTES))
                    .build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("the JWKS URL is not a URL: " + settings.jwksUrl(), e);
        }
    }
}
