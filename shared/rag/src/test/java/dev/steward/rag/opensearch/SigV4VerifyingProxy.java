package dev.steward.rag.opensearch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Stands where Amazon OpenSearch Service would: an HTTPS server on 127.0.0.1 (a self-signed certificate for
 * {@code 127.0.0.1} and {@code localhost}, made with the JDK's keytool) that accepts a request only when it carries a
 * valid AWS Signature V4 for the expected access key, region and service, and then forwards it to a real OpenSearch
 * node over plain HTTP and relays the answer. Like AWS, it checks the {@code Authorization} header's form and
 * credential scope, {@code X-Amz-Date} (same day as the scope, within 15 minutes of now), the session token, the
 * {@code x-amz-content-sha256} payload hash (which OpenSearch Serverless requires) against the body, and the
 * signature itself: it signs the received method, path, query, signed headers and body again with the known secret
 * (the SDK's {@link AwsV4HttpSigner} at the request's own time) and compares. A request that fails gets AWS's 403
 * answer ({@code {"message": ...}}) and is not forwarded; every request is recorded.
 */
final class SigV4VerifyingProxy implements AutoCloseable {
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([a-z0-9-]+)/([a-z0-9]+)/aws4_request, "
                    + "SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);
    private static final String PASSWORD = "changeit";

    /** What the proxy expects requests to be signed with. */
    record Expected(String accessKey, String secretKey, Optional<String> sessionToken, String region, String service) {}

    /** One request as received: its method and path, headers, and why it was refused (empty if forwarded). */
    record Seen(String method, String path, String authorization, String amzDate, String securityToken,
            Optional<String> refusal) {}

    private final HttpsServer server;
    private final URI target;
    private final HttpClient forward = HttpClient.newHttpClient();
    private final KeyStore trust;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private volatile Expected expected;

    private SigV4VerifyingProxy(HttpsServer server, URI target, KeyStore trust, Expected expected) {
        this.server = server;
        this.target = target;
        this.trust = trust;
        this.expected = expected;
    }

    /** Starts the proxy in front of {@code target} (an OpenSearch node), with its key material under {@code dir}. */
    static SigV4VerifyingProxy start(URI target, Path dir, Expected expected) {
        try {
            KeyStore keys = selfSignedKeyStore(dir.resolve("proxy.p12"));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, PASSWORD.toCharArray());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(kmf.getKeyManagers(), null, null);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("proxy", keys.getCertificate("proxy"));

            HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(tls));
            server.setExecutor(Executors.newFixedThreadPool(4));
            SigV4VerifyingProxy proxy = new SigV4VerifyingProxy(server, target, trust, expected);
            server.createContext("/", proxy::handle);
            server.start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore selfSignedKeyStore(Path file) throws IOException, java.security.GeneralSecurityException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "proxy", "-keyalg", "EC",
                "-groupname", "secp256r1", "-validity", "2", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-keystore", file.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true)
                .start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        return keys;
    }

    /** The proxy's https URL. */
    URI url() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Trust managers that trust the proxy's certificate (and nothing else), for the client under test. */
    TrustManagerFactory trustManagers() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            return tmf;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    void expect(Expected expected) {
        this.expected = expected;
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    void clear() {
        seen.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            var headers = exchange.getRequestHeaders();
            Optional<String> refusal = verify(exchange, body);
            seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    headers.getFirst("Authorization"), headers.getFirst("X-Amz-Date"),
                    headers.getFirst("X-Amz-Security-Token"), refusal));
            if (refusal.isPresent()) {
                byte[] answer = ("{\"message\":\"" + refusal.get().replace("\"", "'") + "\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                boolean head = "HEAD".equals(exchange.getRequestMethod());
                exchange.sendResponseHeaders(403, head ? -1 : answer.length);
                if (!head) {
                    exchange.getResponseBody().write(answer);
                }
                return;
            }
            relay(exchange, body);
        }
    }

    /** Why the request's signature is not valid for {@link #expected}, or empty when it is. */
    private Optional<String> verify(HttpExchange exchange, byte[] body) {
        Expected want = expected;
        var headers = exchange.getRequestHeaders();
        String authorization = headers.getFirst("Authorization");
        if (authorization == null) {
            return Optional.of("Missing Authentication Token");
        }
        Matcher m = AUTHORIZATION.matcher(authorization);
        if (!m.matches()) {
            return Optional.of("Authorization header is not SigV4: " + authorization);
        }
        if (!m.group(1).equals(want.accessKey())) {
            return Optional.of("The security token included in the request is invalid (access key " + m.group(1) + ")");
        }
        if (!m.group(3).equals(want.region()) || !m.group(4).equals(want.service())) {
            return Optional.of("Credential should be scoped to " + want.region() + "/" + want.service()
                    + ", not " + m.group(3) + "/" + m.group(4));
        }
        String amzDate = headers.getFirst("X-Amz-Date");
        if (amzDate == null) {
            return Optional.of("Missing X-Amz-Date");
        }
        Instant signedAt = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        if (!amzDate.startsWith(m.group(2)) || Duration.between(signedAt, Instant.now()).abs().toMinutes() >= 15) {
            return Optional.of("Signature expired or dated elsewhere: " + amzDate + " for scope date " + m.group(2));
        }
        List<String> signedHeaders = Arrays.asList(m.group(5).split(";"));
        String token = headers.getFirst("X-Amz-Security-Token");
        if (!Optional.ofNullable(token).equals(want.sessionToken())) {
            return Optional.of("The security token included in the request is invalid (session token " + token + ")");
        }
        List<String> required = token == null ? List.of("host", "x-amz-date", "x-amz-content-sha256")
                : List.of("host", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token");
        for (String name : required) {
            if (!signedHeaders.contains(name)) {
                return Optional.of("SignedHeaders lack " + name + ": " + m.group(5));
            }
        }
        // OpenSearch Serverless requires the payload hash header; it must be the hash of the body as received.
        if (!sha256Hex(body).equals(headers.getFirst("X-Amz-Content-Sha256"))) {
            return Optional.of("x-amz-content-sha256 is not the SHA-256 of the body");
        }
        String expectedAuthorization = resign(exchange, body, signedHeaders, signedAt, want);
        if (!expectedAuthorization.equals(authorization)) {
            return Optional.of("The request signature we calculated does not match the signature you provided");
        }
        return Optional.empty();
    }

    /** The Authorization header the signer computes for the received request's signed parts. */
    private static String resign(HttpExchange exchange, byte[] body, List<String> signedHeaders, Instant at, Expected want) {
        URI received = exchange.getRequestURI();
        String host = exchange.getRequestHeaders().getFirst("Host");
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.fromValue(exchange.getRequestMethod()))
                .uri(URI.create("https://" + host + received.getRawPath()
                        + (received.getRawQuery() == null ? "" : "?" + received.getRawQuery())));
        for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            // the payload hash is left for the signer to compute from the body itself
            if (signedHeaders.contains(name) && !name.equals("x-amz-content-sha256")) {
                request.putHeader(header.getKey(), header.getValue());
            }
        }
        AwsCredentialsIdentity identity = want.sessionToken()
                .<AwsCredentialsIdentity>map(t -> AwsSessionCredentialsIdentity.create(want.accessKey(), want.secretKey(), t))
                .orElseGet(() -> AwsCredentialsIdentity.create(want.accessKey(), want.secretKey()));
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(identity)
                .request(request.build())
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, want.service())
                .putProperty(AwsV4HttpSigner.REGION_NAME, want.region())
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)));
        return signed.request().firstMatchingHeader("Authorization").orElse("");
    }

    private static String sha256Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Forwards the request to the node and relays status, content headers and body. */
    private void relay(HttpExchange exchange, byte[] body) throws IOException {
        URI received = exchange.getRequestURI();
        HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(received.getRawPath()
                        + (received.getRawQuery() == null ? "" : "?" + received.getRawQuery())))
                .method(exchange.getRequestMethod(), body.length == 0
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (String name : List.of("Content-Type", "Content-Encoding", "Accept-Encoding")) {
            String value = exchange.getRequestHeaders().getFirst(name);
            if (value != null) {
                request.header(name, value);
            }
        }
        HttpResponse<byte[]> response;
        try {
            response = forward.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        for (String name : List.of("Content-Type", "Content-Encoding")) {
            response.headers().firstValue(name).ifPresent(v -> exchange.getResponseHeaders().set(name, v));
        }
        byte[] answer = response.body();
        boolean noBody = "HEAD".equals(exchange.getRequestMethod()) || answer.length == 0;
        exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : answer.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        forward.close();
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
