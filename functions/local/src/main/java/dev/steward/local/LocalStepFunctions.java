package dev.steward.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The agent-loop state machine, executed by {@code aws-local-stepfunctions} in a Node 22 child process (the project's
 * own {@code step-functions/local-runner}), behind a minimal Step Functions API that the real {@link SfnClient}
 * talks to. The child exits when our end of its stdin closes, so it never outlives this JVM, even after kill -9.
 */
final class LocalStepFunctions implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LocalStepFunctions.class.getName());
    static final String STATE_MACHINE_ARN = "arn:aws:states:us-east-1:000000000000:stateMachine:steward-agent-loop";

    private final Process process;
    private final SfnClient client;

    private LocalStepFunctions(Process process, SfnClient client) {
        this.process = process;
        this.client = client;
    }

    static LocalStepFunctions start(LocalConfig config, URI lambdaEndpoint, Map<String, String> substitutions) throws IOException {
        Path node = config.runnerDir().resolve("node_modules/.bin/node");
        if (!Files.isExecutable(node)) {
            throw new IllegalStateException("Node 22 for the local state machine runner is missing at " + node
                    + "; build first (./mvnw -DskipTests install runs npm ci in step-functions/local-runner)");
        }
        List<String> command = new ArrayList<>(List.of(node.toString(), "runner.mjs",
                "--definition", config.stateMachineFile().toString(),
                "--lambda-endpoint", lambdaEndpoint.toString()));
        substitutions.forEach((k, v) -> command.addAll(List.of("--substitution", k + "=" + v)));
        Process process = new ProcessBuilder(command)
                .directory(config.runnerDir().toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("READY ")) {
            process.destroyForcibly();
            throw new IllegalStateException("the local state machine runner did not start (it said: " + line + ")");
        }
        int port = Integer.parseInt(line.substring("READY ".length()).strip());
        Thread.ofVirtual().start(() -> out.lines().forEach(l -> LOG.info("[sfn] " + l)));
        SfnClient client = SfnClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        return new LocalStepFunctions(process, client);
    }

    SfnClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        try {
            process.getOutputStream().close();
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
            }
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
    }
}
