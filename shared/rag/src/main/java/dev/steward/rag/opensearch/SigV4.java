package dev.steward.rag.opensearch;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.opensearch.client.json.JsonpMapper;
import org.opensearch.client.transport.OpenSearchTransport;
import org.opensearch.client.transport.aws.AwsSdk2Transport;
import org.opensearch.client.transport.aws.AwsSdk2TransportOptions;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * AWS Signature Version 4 for the requests to an Amazon OpenSearch Service domain ({@link Service#ES}) or an
 * OpenSearch Serverless collection ({@link Service#AOSS}), done by opensearch-java's own {@link AwsSdk2Transport}:
 * each request is signed for {@code service} in {@code region} with the credentials {@code credentials} resolves at
 * that moment (so expiring role credentials are refreshed as the provider does it).
 */
public record SigV4(Service service, Region region, AwsCredentialsProvider credentials) {
    /** The signing name of the service, the fourth part of the credential scope. */
    public enum Service {
        /** Amazon OpenSearch Service (managed domains). */
        ES("es", ".es.amazonaws.com"),
        /** Amazon OpenSearch Serverless (collections). */
        AOSS("aoss", ".aoss.amazonaws.com");

        private final String signingName;
        private final String hostSuffix;

        Service(String signingName, String hostSuffix) {
            this.signingName = signingName;
            this.hostSuffix = hostSuffix;
        }

        public String signingName() {
            return signingName;
        }

        /** The service whose endpoints end like {@code host}, if any: {@code *.es.amazonaws.com}, {@code *.aoss.amazonaws.com}. */
        public static Optional<Service> ofHost(String host) {
            String h = host.toLowerCase(Locale.ROOT);
            for (Service s : values()) {
                if (h.endsWith(s.hostSuffix)) {
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }
    }

    public SigV4 {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(credentials, "credentials");
    }

    /**
     * A transport that signs every request to {@code url} (https only: the transport itself always speaks https)
     * and sends it with {@code http}. Closing the transport does not close {@code http}.
     *
     * @throws IllegalArgumentException when {@code url} is not an https URL with a host
     */
    OpenSearchTransport transport(URI url, SdkHttpClient http, JsonpMapper mapper) {
        if (!"https".equals(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("SigV4-signed OpenSearch needs an https URL with a host, got " + url);
        }
        String host = url.getPort() == -1 ? url.getHost() : url.getHost() + ":" + url.getPort();
        return new AwsSdk2Transport(http, host, service.signingName(), region, AwsSdk2TransportOptions.builder()
                .setCredentials(credentials)
                .setMapper(mapper)
                .build());
    }
}
