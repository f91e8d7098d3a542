package dev.steward.cdk;

import static dev.steward.cdk.GuardrailProviderStackTest.appWith;
import static dev.steward.cdk.StewardStackTest.environment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import dev.steward.cdk.SynthesizedStages.Synthesized;
import dev.steward.function.authorizer.JwtSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;

/**
 * JWT sign-in per stage: the {@code signin.<stage>} context value, the Cognito user pool it creates, and the
 * authorizer's variables that point at the pool or the external issuer. Stage with a user pool and prod with an
 * external issuer are those of {@link SynthesizedStages#withProviders()}; the default stages (no sign-in) are those of
 * {@link SynthesizedStages#get()}.
 */
class SignInStackTest {
    private static final String SPA = "https://app.example.com";
    private static final String ISSUER = "https://login.example.com/realms/steward";
    /** Stage with its own user pool (and an SPA origin to send users back to), prod on an external OIDC issuer. */
    static final Map<String, Object> CONTEXT = Map.of(
            "signin.stage", "cognito",
            "spaOrigins.stage", SPA + ",http://localhost:5173,http://127.0.0.1:8080",
            "signin.prod", "oidc:" + ISSUER + "|spa-client, cli-client");

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void aDefaultStageHasNoSignInAndItsAuthorizerRefusesJwts(String stage) {
        var s = SynthesizedStages.get().stage(stage);
        assertThat(s.stack().config().signIn()).isEqualTo(StageConfig.SignIn.none());
        s.template().resourceCountIs("AWS::Cognito::UserPool", 0);
        assertThat(environment(s, StewardFunction.AUTHORIZER).keySet()).noneMatch(k -> k.startsWith("STEWARD_JWT_"));
    }

    @Test
    void cognitoMakesAPoolWhereOnlyTheOperatorCreatesUsersAndSetsTheirTenant() {
        var s = SynthesizedStages.withProviders().stage("stage");
        s.template().resourceCountIs("AWS::Cognito::UserPool", 1);
        s.template().hasResourceProperties("AWS::Cognito::UserPool", Map.of(
                "AdminCreateUserConfig", Map.of("AllowAdminCreateUserOnly", true),
                "Schema", List.of(Map.of("Name", "tenant", "AttributeDataType", "String", "Mutable", false,
                        "StringAttributeConstraints", Map.of("MinLength", "2", "MaxLength", "40")))));
        for (var group : List.of("admin", "reviewer", "member")) {
            s.template().hasResourceProperties("AWS::Cognito::UserPoolGroup", Map.of("GroupName", group));
        }
        s.template().resourceCountIs("AWS::Cognito::UserPoolGroup", 3);
        s.template().hasResourceProperties("AWS::Cognito::UserPoolDomain", Map.of(
                "Domain", Match.objectLike(Map.of("Fn::Join", List.of("", List.of("steward-stage-", Map.of("Ref", "AWS::AccountId")))))));
    }

    @Test
    void theSpasClientIsPublicUsesTheCodeFlowReturnsToTheSpaAndCannotWriteTheTenant() {
        var s = SynthesizedStages.withProviders().stage("stage");
        // Cognito takes plain http for localhost only
        var callbacks = List.of(SPA + "/", "http://localhost:5173/");
        s.template().resourceCountIs("AWS::Cognito::UserPoolClient", 1);
        s.template().hasResourceProperties("AWS::Cognito::UserPoolClient", Map.of(
                "GenerateSecret", false,
                "AllowedOAuthFlows", List.of("code"),
                "AllowedOAuthFlowsUserPoolClient", true,
                "AllowedOAuthScopes", Match.arrayWith(List.of("openid")),
                "CallbackURLs", callbacks,
                "LogoutURLs", callbacks,
                "ReadAttributes", Match.arrayWith(List.of("custom:tenant")),
                "WriteAttributes", List.of("email")));
    }

    @Test
    void theAuthorizerTrustsThePoolsIdTokensForTheSpasClient() {
        var s = SynthesizedStages.withProviders().stage("stage");
        var env = environment(s, StewardFunction.AUTHORIZER);
        var pool = s.logicalId(s.stack().cognito().orElseThrow().pool());
        assertThat(env.get(JwtSettings.ISSUER)).isEqualTo(Map.of("Fn::Join", List.of("", List.of(
                "https://cognito-idp.", Map.of("Ref", "AWS::Region"), ".amazonaws.com/", Map.of("Ref", pool)))));
        assertThat(StewardStackTest.jsonOf(env.get(JwtSettings.AUDIENCE))).contains("SignInPoolSpa");
        assertThat(env).doesNotContainKeys(JwtSettings.JWKS_URL, JwtSettings.TENANT_CLAIM, JwtSettings.ROLE_CLAIM);
        assertOnlyTheAuthorizerReadsJwtVariables(s);
    }

    @Test
    void anExternalIssuerIsPassedToTheAuthorizerAsIs() {
        var s = SynthesizedStages.withProviders().stage("prod");
        assertThat(s.stack().config().signIn()).isEqualTo(StageConfig.SignIn.oidc(ISSUER, List.of("spa-client", "cli-client")));
        s.template().resourceCountIs("AWS::Cognito::UserPool", 0);
        var env = environment(s, StewardFunction.AUTHORIZER);
        assertThat(env).containsEntry(JwtSettings.ISSUER, ISSUER).containsEntry(JwtSettings.AUDIENCE, "spa-client,cli-client");
        assertOnlyTheAuthorizerReadsJwtVariables(s);
    }

    @Test
    void theContextValueIsParsedAndAMalformedOneNamesTheKey() {
        assertThat(StageConfig.SignIn.parse(" Cognito ")).isEqualTo(StageConfig.SignIn.cognito());
        assertThat(StageConfig.SignIn.parse("none")).isEqualTo(StageConfig.SignIn.none());
        for (var bad : List.of("cognito:x", "oidc:" + ISSUER, "oidc:http://login.example.com|c", "oidc:" + ISSUER + "|", "saml")) {
            assertThatThrownBy(() -> StageConfig.SignIn.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> StewardApp.configs(appWith(Map.of("signin.dev", "oidc:nope"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("signin.dev=oidc:nope").hasMessageContaining(StageConfig.SignIn.FORMAT);
    }

    @Test
    void aUserPoolNeedsAnSpaOriginToReturnTo() {
        var stack = new Stack(appWith(Map.of()), "NoOrigin");
        assertThatThrownBy(() -> new CognitoSignIn(stack, "SignIn", StageConfig.prod(), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spaOrigins.prod");
        assertThatThrownBy(() -> new CognitoSignIn(stack, "PlainHttp", StageConfig.prod(), List.of("http://127.0.0.1:8080")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https");
    }

    private static void assertOnlyTheAuthorizerReadsJwtVariables(Synthesized s) {
        for (var f : StewardFunction.values()) {
            if (f != StewardFunction.AUTHORIZER) {
                assertThat(environment(s, f).keySet()).as(f.name()).noneMatch(k -> k.startsWith("STEWARD_JWT_"));
            }
        }
    }
}
