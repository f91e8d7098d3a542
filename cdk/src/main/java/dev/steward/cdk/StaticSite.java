package dev.steward.cdk;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudfront.BehaviorOptions;
import software.amazon.awscdk.services.cloudfront.Distribution;
import software.amazon.awscdk.services.cloudfront.ErrorResponse;
import software.amazon.awscdk.services.cloudfront.ViewerProtocolPolicy;
import software.amazon.awscdk.services.cloudfront.origins.S3BucketOrigin;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.deployment.BucketDeployment;
import software.amazon.awscdk.services.s3.deployment.Source;
import software.constructs.Construct;

/**
 * The SPA: a private bucket behind CloudFront (origin access control), filled from {@code web-static/dist}.
 * Built in two steps because the API's CORS needs the site's origin and the site's {@code config.json} needs the
 * API's URL.
 */
public final class StaticSite extends Construct {
    private final Bucket bucket;
    private final Distribution distribution;

    public StaticSite(Construct scope, String id, StageConfig config) {
        super(scope, id);
        this.bucket = Bucket.Builder.create(this, "Bucket")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .encryption(BucketEncryption.S3_MANAGED)
                .removalPolicy(config.removalPolicy())
                // the site is rebuilt from source; only prod keeps the bucket around after a delete
                .autoDeleteObjects(!config.keepsData())
                .build();

        // Client-side routes (/runs/123) have no object: answer them with the SPA shell.
        var spaFallback = List.of(403, 404).stream()
                .map(status -> ErrorResponse.builder()
                        .httpStatus(status)
                        .responseHttpStatus(200)
                        .responsePagePath("/index.html")
                        .ttl(Duration.seconds(0))
                        .build())
                .toList();
        this.distribution = Distribution.Builder.create(this, "Distribution")
                .comment("Steward SPA (" + config.name() + ")")
                .defaultRootObject("index.html")
                .defaultBehavior(BehaviorOptions.builder()
                        .origin(S3BucketOrigin.withOriginAccessControl(bucket))
                        .viewerProtocolPolicy(ViewerProtocolPolicy.REDIRECT_TO_HTTPS)
                        .build())
                .errorResponses(spaFallback)
                .build();
    }

    /** The site's origin for CORS, e.g. {@code https://d111111abcdef8.cloudfront.net}. */
    public String origin() {
        return "https://" + distribution.getDistributionDomainName();
    }

    /**
     * Uploads the built SPA plus a {@code config.json} carrying the API URL and, when the stage has JWT sign-in, the
     * SPA's {@code signin} settings (issuer, client id, and a Cognito pool's hosted UI endpoints), so one build serves
     * every stage, and invalidates the CDN.
     *
     * @param signin empty when the stage has no sign-in besides API keys
     */
    public void publish(Path dist, String apiUrl, Map<String, String> signin) {
        var config = new LinkedHashMap<String, Object>();
        config.put("apiUrl", apiUrl);
        if (!signin.isEmpty()) {
            config.put("signin", signin);
        }
        BucketDeployment.Builder.create(this, "Deployment")
                .sources(List.of(
                        Source.asset(dist.toString()),
                        Source.jsonData("config.json", config)))
                .destinationBucket(bucket)
                .distribution(distribution)
                .distributionPaths(List.of("/*"))
                .build();
    }

    public Bucket bucket() {
        return bucket;
    }

    public Distribution distribution() {
        return distribution;
    }
}
