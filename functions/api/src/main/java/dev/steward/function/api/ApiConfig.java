package dev.steward.function.api;

import dev.steward.guardrails.aws.GuardrailProviders;
import dev.steward.store.Stores;
import dev.steward.store.tenant.TenantLimit;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * What the API function needs: stores, the upload bucket and the URLs clients upload large files to, the agent-loop
 * state machine, limits, and the guardrail provider whose PII guardrail redacts a run's input before it is stored.
 */
public record ApiConfig(
        Stores stores, S3Client s3, String bucket, UploadUrls uploadUrls, SfnClient sfn, String stateMachineArn, long maxUploadBytes,
        Map<TenantLimit, Long> tenantLimits, Clock clock, GuardrailProviders guardrails) {
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 20L * 1024 * 1024;

    public ApiConfig {
        Objects.requireNonNull(stores, "stores");
        Objects.requireNonNull(s3, "s3");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(uploadUrls, "uploadUrls");
        Objects.requireNonNull(sfn, "sfn");
        Objects.requireNonNull(stateMachineArn, "stateMachineArn");
        if (maxUploadBytes < 1) {
            throw new IllegalArgumentException("maxUploadBytes must be positive");
        }
        tenantLimits = Map.copyOf(tenantLimits);
        for (TenantLimit limit : TenantLimit.values()) {
            if (!tenantLimits.containsKey(limit)) {
                throw new IllegalArgumentException("tenantLimits lacks " + limit.wire());
            }
        }
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(guardrails, "guardrails");
    }

    /**
     * On AWS (uploads presigned for S3 with the function's role): {@code TABLE_NAME}, {@code BUCKET_NAME}, {@code STATE_MACHINE_ARN}, optional {@code MAX_UPLOAD_BYTES},
     * the deployment's tenant limits ({@link TenantLimit#deploymentDefaults}: the daily token budget, which the plan
     * step applies and this function reports, and run starts per minute, which this function applies)
     * and the guardrail variables ({@code STEWARD_GUARDRAILS_PROVIDER}, ...) the agent loop reads too.
     */
    public static ApiConfig fromEnvironment(Map<String, String> env) {
        return new ApiConfig(
                Stores.fromEnvironment(env),
                S3Client.builder().httpClient(UrlConnectionHttpClient.create()).build(),
                required(env, "BUCKET_NAME"),
                new S3UploadUrls(S3Presigner.create()),
                SfnClient.builder().httpClient(UrlConnectionHttpClient.create()).build(),
                required(env, "STATE_MACHINE_ARN"),
                Long.parseLong(env.getOrDefault("MAX_UPLOAD_BYTES", Long.toString(DEFAULT_MAX_UPLOAD_BYTES))),
                TenantLimit.deploymentDefaults(env),
                Clock.systemUTC(),
                GuardrailProviders.fromEnvironment(env, DefaultCredentialsProvider::create));
    }

    private static String required(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(name + " is not set");
        }
        return v;
    }
}
