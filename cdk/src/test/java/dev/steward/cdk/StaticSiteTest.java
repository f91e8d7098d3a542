package dev.steward.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Match;

/**
 * The SPA is deployed exactly when {@code web-static/dist} has been built; its {@code config.json} names the API and,
 * on a stage with a Cognito user pool (dev here), the sign-in endpoints, and the pool sends users back to the site.
 */
class StaticSiteTest {
    @TempDir
    static Path repo;
    private static SynthesizedStages.Synthesized withSite;

    @BeforeAll
    static void synthesizeAStageWithABuiltSpa() throws IOException {
        var dist = Files.createDirectories(repo.resolve(StewardInputs.WEB_DIST));
        Files.writeString(dist.resolve("index.html"), "<!doctype html><title>Steward</title>");
        var shared = SynthesizedStages.get(); // reuse its jar and the warmed-up jsii runtime
        var inputs = new StewardInputs(FunctionAssets.sameJarForAll(shared.testJar),
                shared.inputs.agentLoopDefinition(), StewardInputs.webDistIn(repo));
        var app = new App(AppProps.builder().outdir(repo.resolve("cdk.out").toString()).build());
        var stage = StewardApp.build(app, inputs, List.of(StageConfig.dev().withSignIn(StageConfig.SignIn.cognito()))).getFirst();
        app.synth();
        withSite = SynthesizedStages.synthesized(stage);
    }

    @Test
    void siteIsDeployedOnlyWhenDistHasAnIndexHtml(@TempDir Path other) throws IOException {
        assertThat(StewardInputs.webDistIn(other)).isEmpty();
        Files.createDirectories(other.resolve(StewardInputs.WEB_DIST));
        assertThat(StewardInputs.webDistIn(other)).as("empty dist folder").isEmpty();
        Files.writeString(other.resolve(StewardInputs.WEB_DIST).resolve("index.html"), "<html></html>");
        assertThat(StewardInputs.webDistIn(other)).contains(other.resolve(StewardInputs.WEB_DIST).toAbsolutePath());
        assertThat(StewardInputs.webDistIn(repo)).isPresent();
    }

    @Test
    void builtSpaGetsAPrivateBucketBehindCloudFrontAndADeployment() {
        var template = withSite.template();
        template.resourceCountIs("AWS::CloudFront::Distribution", 1);
        template.hasResourceProperties("AWS::CloudFront::Distribution", Map.of("DistributionConfig", Match.objectLike(Map.of(
                "DefaultRootObject", "index.html",
                "DefaultCacheBehavior", Match.objectLike(Map.of("ViewerProtocolPolicy", "redirect-to-https")),
                "Origins", List.of(Match.objectLike(Map.of("OriginAccessControlId", Match.anyValue()))),
                "CustomErrorResponses", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "ErrorCode", 404, "ResponseCode", 200, "ResponsePagePath", "/index.html"))))))));
        template.resourceCountIs("AWS::CloudFront::OriginAccessControl", 1);
        template.resourceCountIs("Custom::CDKBucketDeployment", 1);
        var site = withSite.stack().site().orElseThrow();
        assertThat(StewardStackTest.properties(withSite, withSite.logicalId(site.bucket())))
                .containsEntry("PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true,
                        "BlockPublicPolicy", true, "IgnorePublicAcls", true, "RestrictPublicBuckets", true));
    }

    @Test
    void corsAllowsTheSitesCloudFrontOriginBesidesTheConfiguredOnes() {
        var distributionId = withSite.logicalId(withSite.stack().site().orElseThrow().distribution());
        withSite.template().hasResourceProperties("AWS::ApiGatewayV2::Api", Map.of(
                "CorsConfiguration", Match.objectLike(Map.of("AllowOrigins", Match.arrayWith(List.of(
                        StageConfig.dev().corsOrigins().getFirst(),
                        Map.of("Fn::Join", List.of("", List.of("https://",
                                Map.of("Fn::GetAtt", List.of(distributionId, "DomainName")))))))))));
        withSite.template().hasOutput("SiteUrl", Match.anyValue());
    }

    @Test
    void configJsonNamesTheApiAndTheUserPoolsSignInAndThePoolReturnsToTheSite() {
        var markers = StewardStackTest.jsonOf(withSite.template().findResources("Custom::CDKBucketDeployment")
                .values().iterator().next());
        var cognito = withSite.stack().cognito().orElseThrow();
        assertThat(markers).contains("SourceMarkers").contains("/oauth2/authorize").contains("/oauth2/token")
                .contains("https://cognito-idp.").contains(withSite.logicalId(cognito.pool()));
        var distributionId = withSite.logicalId(withSite.stack().site().orElseThrow().distribution());
        withSite.template().hasResourceProperties("AWS::Cognito::UserPoolClient", Map.of("CallbackURLs", Match.arrayWith(List.of(
                Map.of("Fn::Join", List.of("", List.of("https://", Map.of("Fn::GetAtt", List.of(distributionId, "DomainName")), "/")))))));
    }

    @Test
    void stacksWithoutABuiltSpaHaveNoSite() {
        assertThat(SynthesizedStages.get().inputs.webDist()).isEqualTo(Optional.empty());
        SynthesizedStages.get().stage("prod").template().resourceCountIs("Custom::CDKBucketDeployment", 0);
    }
}
