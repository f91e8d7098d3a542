package dev.steward.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3-compatible store on 127.0.0.1: S3Proxy with its filesystem blob store under the data dir, run in its own
 * class loader so its dependencies never meet ours. Clients are the real AWS SDK S3 client.
 */
final class LocalObjectStore implements AutoCloseable {
    static final String ACCESS_KEY = "local";
    static final String SECRET_KEY = "local";
    private final URI endpoint;
    private final URLClassLoader loader;

    private LocalObjectStore(URI endpoint, URLClassLoader loader) {
        this.endpoint = endpoint;
        this.loader = loader;
    }

    static LocalObjectStore start(Path jar, Path dataDir) {
        return start(jar, dataDir, false);
    }

    /**
     * With {@code checkSignatures}, S3Proxy checks every request's SigV4 signature (header or presigned URL) as S3
     * does, for the credentials {@link #client} signs with; local mode itself does not need that.
     */
    static LocalObjectStore start(Path jar, Path dataDir, boolean checkSignatures) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("S3Proxy jar not found at " + jar + "; build first: ./mvnw -DskipTests install");
        }
        try {
            Path base = Files.createDirectories(dataDir.resolve("s3"));
            int port = freePort();
            Properties p = new Properties();
            p.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + port);
            p.setProperty("s3proxy.authorization", checkSignatures ? "aws-v2-or-v4" : "none");
            if (checkSignatures) {
                p.setProperty("s3proxy.identity", ACCESS_KEY);
                p.setProperty("s3proxy.credential", SECRET_KEY);
            }
            p.setProperty("jclouds.provider", "filesystem");
            p.setProperty("jclouds.filesystem.basedir", base.toString());
            Path props = dataDir.resolve("s3proxy.properties");
            try (var out = Files.newOutputStream(props)) {
                p.store(out, "written by steward local mode at each start");
            }
            URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            Class<?> main = loader.loadClass("org.gaul.s3proxy.Main");
            Method m = main.getMethod("main", String[].class);
            Thread current = Thread.currentThread();
            ClassLoader previous = current.getContextClassLoader();
            // S3Proxy's Main redirects System.err into its logger and logs at INFO; keep our streams, quiet it.
            java.io.PrintStream out = System.out;
            java.io.PrintStream err = System.err;
            System.setProperty("LOG_LEVEL", System.getProperty("LOG_LEVEL", "warn"));
            current.setContextClassLoader(loader);
            try {
                m.invoke(null, (Object) new String[] {"--properties", props.toString()});
            } finally {
                current.setContextClassLoader(previous);
                System.setOut(out);
                System.setErr(err);
            }
            return new LocalObjectStore(URI.create("http://127.0.0.1:" + port), loader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("S3Proxy did not start", e);
        }
    }

    URI endpoint() {
        return endpoint;
    }

    S3Client client(ExecutionInterceptor... interceptors) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> {
                    for (ExecutionInterceptor i : interceptors) {
                        c.addExecutionInterceptor(i);
                    }
                })
                .build();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        // S3Proxy registered its own shutdown hook that stops its server with the JVM; its loader must stay
        // open until then, so there is nothing to release here.
    }
}
