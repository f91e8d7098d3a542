package dev.steward.cdk;

import java.util.List;
import java.util.Map;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cognito.AccountRecovery;
import software.amazon.awscdk.services.cognito.AuthFlow;
import software.amazon.awscdk.services.cognito.ClientAttributes;
import software.amazon.awscdk.services.cognito.CognitoDomainOptions;
import software.amazon.awscdk.services.cognito.OAuthFlows;
import software.amazon.awscdk.services.cognito.OAuthScope;
import software.amazon.awscdk.services.cognito.OAuthSettings;
import software.amazon.awscdk.services.cognito.SignInAliases;
import software.amazon.awscdk.services.cognito.StandardAttributesMask;
import software.amazon.awscdk.services.cognito.StringAttribute;
import software.amazon.awscdk.services.cognito.StringAttributeProps;
import software.amazon.awscdk.services.cognito.UserPool;
import software.amazon.awscdk.services.cognito.UserPoolClient;
import software.amazon.awscdk.services.cognito.UserPoolClientOptions;
import software.amazon.awscdk.services.cognito.UserPoolDomain;
import software.amazon.awscdk.services.cognito.UserPoolDomainOptions;
import software.amazon.awscdk.services.cognito.UserPoolGroupOptions;
import software.constructs.Construct;

/**
 * The Cognito user pool of {@code signin.<stage>=cognito}: the SPA's users sign in on its hosted UI and send the
 * ID token, which carries their tenant ({@code custom:tenant}) and groups ({@code cognito:groups}) for the authorizer.
 * Only the operator creates users (no self sign-up) and sets the tenant: the attribute is immutable and the app
 * client may read but not write it, so a user cannot move to another tenant. The app client is public (no secret),
 * uses the authorization code flow (Cognito enforces PKCE when the request carries a challenge), and redirects only
 * to the SPA's origins.
 */
public final class CognitoSignIn extends Construct {
    /** The custom attribute holding the tenant id; tokens carry it as {@code custom:tenant}. */
    static final String TENANT_ATTRIBUTE = "tenant";
    /** One group per role; a user's highest group is its role, no group is member. */
    static final List<String> GROUPS = List.of("admin", "reviewer", "member");

    private final UserPool pool;
    private final UserPoolClient client;
    private final UserPoolDomain domain;

    /**
     * @param origins the SPA's origins; each https one, and {@code http://localhost}, is a callback and sign-out URL
     *                ({@code <origin>/}); Cognito refuses other plain-http URLs, so they are left out
     * @throws IllegalArgumentException when there is no origin to send users back to
     */
    public CognitoSignIn(Construct scope, String id, StageConfig config, List<String> origins) {
        super(scope, id);
        var callbacks = origins.stream()
                .filter(origin -> origin.startsWith("https://") || origin.matches("http://localhost(:[0-9]+)?"))
                .map(origin -> origin + "/")
                .toList();
        if (callbacks.isEmpty()) {
            throw new IllegalArgumentException("signin." + config.name() + "=cognito needs an https (or http://localhost) SPA origin to send"
                    + " users back to: build the web app (its CloudFront origin is used) or set spaOrigins." + config.name());
        }
        this.pool = UserPool.Builder.create(this, "Pool")
                .userPoolName("steward-" + config.name())
                .selfSignUpEnabled(false)
                .signInAliases(SignInAliases.builder().email(true).build())
                .accountRecovery(AccountRecovery.EMAIL_ONLY)
                .customAttributes(Map.of(TENANT_ATTRIBUTE, new StringAttribute(StringAttributeProps.builder()
                        .minLen(2).maxLen(40).mutable(false).build())))
                .deletionProtection(config.keepsData())
                .removalPolicy(config.removalPolicy())
                .build();
        GROUPS.forEach(group -> pool.addGroup("Group-" + group, UserPoolGroupOptions.builder()
                .groupName(group)
                .description("Steward role " + group)
                .build()));
        this.client = pool.addClient("Spa", UserPoolClientOptions.builder()
                .generateSecret(false)
                .authFlows(AuthFlow.builder().userSrp(true).build())
                .oAuth(OAuthSettings.builder()
                        .flows(OAuthFlows.builder().authorizationCodeGrant(true).build())
                        .scopes(List.of(OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE))
                        .callbackUrls(callbacks)
                        .logoutUrls(callbacks)
                        .build())
                .readAttributes(new ClientAttributes()
                        .withStandardAttributes(StandardAttributesMask.builder().email(true).emailVerified(true).build())
                        .withCustomAttributes(TENANT_ATTRIBUTE))
                .writeAttributes(new ClientAttributes()
                        .withStandardAttributes(StandardAttributesMask.builder().email(true).build()))
                .preventUserExistenceErrors(true)
                .idTokenValidity(Duration.hours(1))
                .accessTokenValidity(Duration.hours(1))
                .build());
        this.domain = pool.addDomain("Domain", UserPoolDomainOptions.builder()
                .cognitoDomain(CognitoDomainOptions.builder()
                        // unique per region; "aws", "amazon" and "cognito" are not allowed in it
                        .domainPrefix("steward-" + config.name() + "-" + Stack.of(this).getAccount())
                        .build())
                .build());
    }

    /** What the tokens' {@code iss} is: {@code https://cognito-idp.<region>.amazonaws.com/<pool id>}. */
    public String issuer() {
        return "https://cognito-idp." + Stack.of(this).getRegion() + ".amazonaws.com/" + pool.getUserPoolId();
    }

    /** The SPA's app client id: the ID tokens' {@code aud}. */
    public String clientId() {
        return client.getUserPoolClientId();
    }

    /** The hosted UI, e.g. {@code https://steward-dev-123456789012.auth.eu-west-1.amazoncognito.com}. */
    public String hostedUiUrl() {
        return domain.baseUrl();
    }

    public UserPool pool() {
        return pool;
    }
}
