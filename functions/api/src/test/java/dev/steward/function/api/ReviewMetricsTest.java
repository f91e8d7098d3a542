package dev.steward.function.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.core.json.Json;
import dev.steward.core.run.RunId;
import dev.steward.core.tenant.TenantId;
import dev.steward.store.review.ReviewRecord;
import dev.steward.store.review.ReviewStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.cloudwatchlogs.emf.config.EnvironmentConfigurationProvider;
import software.amazon.cloudwatchlogs.emf.environment.Environments;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

/**
 * Review decisions through the real Powertools metrics stack: the EMF library's Local environment prints the same
 * JSON lines the Lambda environment writes to the function's log, which CloudWatch turns into metrics.
 */
class ReviewMetricsTest {
    private static final ByteArrayOutputStream OUT = new ByteArrayOutputStream();
    private static PrintStream original;
    private static final Instant REQUESTED = Instant.parse("2026-03-01T10:00:00Z");

    @BeforeAll
    static void start() {
        EnvironmentConfigurationProvider.getConfig().setEnvironmentOverride(Environments.Local);
        original = System.out;
        System.setOut(new PrintStream(OUT, true, StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        System.setOut(original);
    }

    private static List<JsonNode> emitted() {
        List<JsonNode> out = new ArrayList<>();
        for (String line : OUT.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.contains("\"_aws\"")) {
                out.add(Json.tree(line));
            }
        }
        OUT.reset();
        return out;
    }

    private static ReviewRecord decided(ReviewStatus status, String decision, Instant at) {
        return new ReviewRecord(TenantId.of("acme"), ReviewRecord.newId(), RunId.random(), "support-agent", 3, "call_1", "send_email",
                "EXTERNAL_WRITE", Json.object(), "hash", null, "outside the allowlist", status,
                new ReviewRecord.Decision(decision, null, null, "key:reviewer", at), REQUESTED, REQUESTED.plusSeconds(86_400));
    }

    @Test
    void aDecisionBecomesOneRecordWithItsOutcomeAndHowLongItTook() {
        new ReviewMetrics(MetricsFactory.getMetricsInstance()).decided(decided(ReviewStatus.APPROVED, "approve", REQUESTED.plusSeconds(95)));

        List<JsonNode> records = emitted();
        assertThat(records).hasSize(1);
        JsonNode r = records.getFirst();
        JsonNode directive = r.path("_aws").path("CloudWatchMetrics").get(0);
        assertThat(directive.path("Namespace").asText()).isEqualTo("Steward");
        // exactly the set the dashboard's SEARCH names (the EMF library would add LogGroup, ServiceName, ServiceType)
        assertThat(directive.path("Dimensions")).hasSize(1);
        assertThat(directive.path("Dimensions").get(0)).extracting(JsonNode::asText).containsExactlyInAnyOrder("Tenant", "Agent", "Step");
        assertThat(r.path("Tenant").asText()).isEqualTo("acme");
        assertThat(r.path("Agent").asText()).isEqualTo("support-agent");
        assertThat(r.path("Step").asText()).isEqualTo("review");
        assertThat(r.path("Review.APPROVED").asDouble()).isEqualTo(1);
        assertThat(r.path("ReviewWait").asDouble()).isEqualTo(95);
        assertThat(directive.path("Metrics").findValuesAsText("Name")).containsExactlyInAnyOrder("Review.APPROVED", "ReviewWait");
    }

    @Test
    void outsideLambdaNothingIsWritten() {
        ReviewMetrics.fromEnvironment(Map.of()).decided(decided(ReviewStatus.REJECTED, "reject", REQUESTED.plusSeconds(5)));
        assertThat(emitted()).isEmpty();
    }
}
