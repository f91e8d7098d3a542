package dev.steward.guardrails.aws;

import dev.steward.guardrails.Guardrail;
import dev.steward.guardrails.pii.PiiGuardrail;
import dev.steward.guardrails.pii.PiiRedactor;
import dev.steward.guardrails.pii.PiiScanner;
import dev.steward.guardrails.pii.PiiVault;
import dev.steward.guardrails.toxicity.ToxicityClassifier;
import dev.steward.guardrails.toxicity.ToxicityGuardrail;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.comprehend.ComprehendClient;

/**
 * Builds the PII and content guardrails of the configured provider from environment variables (README,
 * "Guardrails"). Start-up code creates one instance and asks it for a run's guardrails; wiring them into the loop
 * is the caller's business. The AWS clients are built once (no network call until a check runs), use the
 * url-connection HTTP client, an API call timeout, and no SDK retries: a throttled or failed call surfaces at once
 * as {@link dev.steward.core.error.TransientException} and the state machine's Retry (with its backoff) retries
 * the step. Close it to release the clients.
 *
 * <table>
 *   <caption>What each provider returns</caption>
 *   <tr><th>provider</th><th>{@link #pii(PiiVault)}</th><th>{@link #detectors()}</th></tr>
 *   <tr><td>local</td><td>{@link PiiGuardrail}</td><td>{@link ToxicityGuardrail} (lexicon)</td></tr>
 *   <tr><td>comprehend</td><td>{@link ComprehendPiiGuardrail}</td><td>{@link ComprehendToxicityGuardrail}</td></tr>
 *   <tr><td>bedrock</td><td>{@link PiiGuardrail} (placeholders and re-hydration stay ours)</td>
 *       <td>{@link BedrockApplyGuardrail}</td></tr>
 * </table>
 * Prompt injection is not covered here: the local detector runs with every provider.
 */
public final class GuardrailProviders implements AutoCloseable {
    public static final String PROVIDER = "STEWARD_GUARDRAILS_PROVIDER";
    public static final String REGION = "STEWARD_GUARDRAILS_REGION";
    public static final String ENDPOINT = "STEWARD_GUARDRAILS_ENDPOINT";
    public static final String TIMEOUT_SECONDS = "STEWARD_GUARDRAILS_TIMEOUT_SECONDS";
    public static final String LANGUAGE = "STEWARD_COMPREHEND_LANGUAGE";
    public static final String PII_MIN_SCORE = "STEWARD_COMPREHEND_PII_MIN_SCORE";
    public static final String TOXICITY_THRESHOLD = "STEWARD_COMPREHEND_TOXICITY_THRESHOLD";
    public static final String BEDROCK_GUARDRAIL_ID = "STEWARD_BEDROCK_GUARDRAIL_ID";
    public static final String BEDROCK_GUARDRAIL_VERSION = "STEWARD_BEDROCK_GUARDRAIL_VERSION";

    /** Which service checks the text. */
    public enum Provider { LOCAL, COMPREHEND, BEDROCK }

    private final Provider provider;
    private final PiiRedactor localRedactor;
    private final ComprehendClient comprehend;
    private final BedrockRuntimeClient bedrock;
    private final String language;
    private final double piiMinScore;
    private final List<Guardrail> detectors;

    private GuardrailProviders(Provider provider, Map<String, String> env, Supplier<AwsCredentialsProvider> credentials) {
        this.provider = provider;
        this.language = env.getOrDefault(LANGUAGE, "en");
        this.piiMinScore = number(env, PII_MIN_SCORE, 0.5);
        double toxicityThreshold = number(env, TOXICITY_THRESHOLD, 0.5);
        this.localRedactor = provider == Provider.COMPREHEND ? null : new PiiRedactor(PiiScanner.all());
        switch (provider) {
            case LOCAL -> {
                this.comprehend = null;
                this.bedrock = null;
                this.detectors = List.of(new ToxicityGuardrail(ToxicityClassifier.lexiconOnly()));
            }
            case COMPREHEND -> {
                this.comprehend = configure(ComprehendClient.builder(), env, credentials.get()).build();
                this.bedrock = null;
                this.detectors = List.of(new ComprehendToxicityGuardrail(comprehend, language, toxicityThreshold));
            }
            case BEDROCK -> {
                String id = required(env, BEDROCK_GUARDRAIL_ID);
                String version = required(env, BEDROCK_GUARDRAIL_VERSION);
                this.comprehend = null;
                this.bedrock = configure(BedrockRuntimeClient.builder(), env, credentials.get()).build();
                this.detectors = List.of(new BedrockApplyGuardrail(bedrock, id, version));
            }
            default -> throw new IllegalStateException(provider.name());
        }
    }

    /** From the process environment, with the SDK's default credentials chain. */
    public static GuardrailProviders fromEnvironment() {
        return fromEnvironment(System.getenv(), DefaultCredentialsProvider::create);
    }

    /**
     * From {@code env}, with {@code credentials} for the AWS providers (asked for only when one is configured).
     *
     * @throws IllegalArgumentException naming the variable when one is missing or malformed
     */
    public static GuardrailProviders fromEnvironment(Map<String, String> env, Supplier<? extends AwsCredentialsProvider> credentials) {
        Objects.requireNonNull(credentials, "credentials");
        String name = env.getOrDefault(PROVIDER, "local").strip().toUpperCase(Locale.ROOT);
        Provider provider;
        try {
            provider = Provider.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PROVIDER + " must be local, comprehend or bedrock, not '" + env.get(PROVIDER) + "'");
        }
        return new GuardrailProviders(provider, env, credentials::get);
    }

    public Provider provider() {
        return provider;
    }

    /** The PII guardrail of one run, redacting into its vault. */
    public Guardrail pii(PiiVault vault) {
        return provider == Provider.COMPREHEND
                ? new ComprehendPiiGuardrail(comprehend, vault, language, piiMinScore)
                : new PiiGuardrail(localRedactor, vault);
    }

    /** The content guardrails, shared by all runs (thread-safe). */
    public List<Guardrail> detectors() {
        return detectors;
    }

    @Override
    public void close() {
        if (comprehend != null) {
            comprehend.close();
        }
        if (bedrock != null) {
            bedrock.close();
        }
    }

    private static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(
            B builder, Map<String, String> env, AwsCredentialsProvider credentials) {
        Duration timeout = Duration.ofSeconds((long) number(env, TIMEOUT_SECONDS, 10));
        String region = env.get(REGION);
        builder.region(region != null && !region.isBlank() ? Region.of(region.strip()) : new DefaultAwsRegionProviderChain().getRegion())
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout))
                .overrideConfiguration(o -> o.apiCallTimeout(timeout).retryStrategy(AwsRetryStrategy.doNotRetry()));
        String endpoint = env.get(ENDPOINT);
        if (endpoint != null && !endpoint.isBlank()) {
            try {
                builder.endpointOverride(URI.create(endpoint.strip()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(ENDPOINT + " is not a URL: '" + endpoint + "'", e);
            }
        }
        return builder;
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required when " + PROVIDER + "=bedrock");
        }
        return value.strip();
    }

    private static double number(Map<String, String> env, String name, double fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            double parsed = Double.parseDouble(value.strip());
            if (!(parsed >= 0)) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a non-negative number, not '" + value + "'");
        }
    }
}
